package soak

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

const (
	appName  = "pg-soak" // the pool's connections, as the killer finds them
	workers  = 64
	poolSize = 8
	// recoveryWait is how long the run goes on past its duration for
	// every worker to succeed once after the restart.
	recoveryWait = 30 * time.Second
)

// TestSoak runs the workers against the pool while the killer terminates
// backends, contexts end mid-call and the server restarts half-way; then
// it closes the pool and checks that nothing leaked. See the package doc.
func TestSoak(t *testing.T) {
	f := &figures{workers: workers, poolSize: poolSize, strict: os.Getenv("PG_SOAK_STRICT") == "1"}
	f.duration = time.Duration(envInt(t, "PG_SOAK_SECONDS", 5)) * time.Second
	f.seed = envInt(t, "PG_SOAK_SEED", time.Now().UnixNano())
	baseGoroutines := runtime.NumGoroutine()

	srv := pgtest.Shared()
	cfg, err := pg.ParseConfig(srv.DSN())
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	other := func(name string) *pg.Config {
		c := cfg.Copy()
		c.ApplicationName = name
		return c
	}
	setup, err := pg.ConnectConfig(ctx, other("pg-soak-setup"))
	require.NoError(t, err)
	_, err = setup.Exec(ctx, "DROP TABLE IF EXISTS soak_kv, soak_rows;"+schema)
	require.NoError(t, err)
	require.NoError(t, setup.Close(ctx))

	s := &soak{start: time.Now()}
	s.pool, err = pg.CreatePoolConfig(ctx, other(appName), pg.PoolConfig{
		MinSize: poolSize, MaxSize: poolSize, Connect: s.connect, Tracer: &pg.Tracer{AcquireEnd: s.acquireEnd},
	})
	require.NoError(t, err)

	killCtx, stopKiller := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { s.killer(killCtx, other("pg-soak-killer"), rand.New(rand.NewPCG(uint64(f.seed), 1<<32))) })
	stop := make(chan struct{})
	ws := make([]*worker, workers)
	var wwg sync.WaitGroup
	for i := range ws {
		ws[i] = &worker{s: s, id: i, rng: rand.New(rand.NewPCG(uint64(f.seed), uint64(i)))}
		wwg.Go(func() { ws[i].run(stop) })
	}

	time.Sleep(f.duration / 2)
	var restartErr error
	if srv.External() {
		f.restartSkipped = true
	} else {
		s.tl.mu.Lock()
		s.tl.restartBegin = s.since()
		s.tl.mu.Unlock()
		restartErr = srv.Restart()
		s.tl.mu.Lock()
		s.tl.restartEnd, s.tl.restarted = s.since(), true
		f.restartTook = s.tl.restartEnd - s.tl.restartBegin
		s.tl.mu.Unlock()
		f.restarted = true
	}
	time.Sleep(time.Until(s.start.Add(f.duration)))
	for deadline := time.Now().Add(recoveryWait); f.restarted && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if notRecovered(ws) == 0 {
			break
		}
	}
	close(stop)
	wwg.Wait()
	stopKiller()
	wg.Wait()
	f.ran = s.since()

	st := s.pool.Stats()
	cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer ccancel()
	closeErr := s.pool.Close(cctx)
	f.created, f.closedBroken = st.CreatedConns, st.ClosedBroken
	f.connsFirst, f.connsLeft, f.connsTook, err = serverConnsLeft(cctx, other("pg-soak-check"))
	require.NoError(t, err)
	var stacks string
	f.goroutinesExtra, f.goroutinesTook, stacks = goroutinesLeft(baseGoroutines)

	s.tl.mu.Lock()
	defer s.tl.mu.Unlock()
	s.classifyAll(f)
	f.terms, f.killerErrs, f.killerErrsInRestartWin = len(s.tl.terms), s.tl.killerErrs, s.tl.killerErrsInRestartWin
	f.ops, f.okOps, f.calls, f.checks, f.wrong, f.armed = s.ops.Load(), s.okOps.Load(), s.calls.Load(), s.checks.Load(), s.wrong.Load(), s.armed.Load()
	f.wrongs = s.wrongs
	f.firstOK, f.allOK, f.notRecovered = recovery(ws, s.tl.restartEnd)
	t.Log("\n" + f.String())

	require.NoError(t, restartErr, "Restart")
	assert.NoError(t, closeErr, "pool.Close")
	assert.Zero(t, f.wrong, "wrong results")
	assert.Zero(t, f.connsLeft, "server connections left after pool.Close")
	assert.Zero(t, f.goroutinesExtra, "goroutines left after pool.Close:\n%s", stacks)
	if f.restarted {
		assert.Zero(t, f.notRecovered, "workers that never succeeded again within %v after the restart", recoveryWait)
	}
	assert.Positive(t, f.okOps)
	if f.strict {
		assert.Zero(t, f.byCause[causeUnexpected], "unexpected errors (PG_SOAK_STRICT=1)")
	}
}

func notRecovered(ws []*worker) int {
	n := 0
	for _, w := range ws {
		if w.recovered.Load() == 0 {
			n++
		}
	}
	return n
}

// recovery returns, from restartEnd, when the first worker and when the
// last worker first succeeded again (-1 when some never did), and how
// many never did.
func recovery(ws []*worker, restartEnd time.Duration) (first, all time.Duration, never int) {
	first, all = -1, 0
	for _, w := range ws {
		r := time.Duration(w.recovered.Load())
		if r == 0 {
			never++
			continue
		}
		if d := r - restartEnd; first < 0 || d < first {
			first = d
		}
		all = max(all, r-restartEnd)
	}
	if never > 0 {
		all = -1
	}
	return first, all, never
}

func envInt(t *testing.T, name string, def int64) int64 {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	n, err := strconv.ParseInt(s, 10, 64)
	require.NoError(t, err, name)
	return n
}
