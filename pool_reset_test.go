package pg_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// syncBuffer is a bytes.Buffer safe for a slog handler.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPoolSessionStateDoesNotLeak(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	admin := connect(t)
	ctx := ctxT(t)
	const lockKey = 915001

	pc := acquire(t, p)
	pid := backendPID(t, pc)
	var noticed atomic.Int32
	pc.Conn().OnNotice(func(*pg.Notice) { noticed.Add(1) })
	for _, sql := range []string{
		"SET work_mem = '7MB'",
		"SET statement_timeout = '123s'",
		"SET search_path = pg_catalog",
		"LISTEN pool_leak_chan",
		"SELECT pg_advisory_lock(915001)",
		"BEGIN",
		"DECLARE pool_leak_cur CURSOR WITH HOLD FOR SELECT generate_series(1, 10)",
		"COMMIT",
		"SET ROLE " + pwUser,
		"BEGIN",
		"SELECT pg_advisory_xact_lock(915002)",
		"CREATE TEMP TABLE pool_leak_tx (x int)", // rolled back with the transaction
	} {
		_, err := pc.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	require.NoError(t, pc.Release())
	assert.Contains(t, logs.String(), "released inside a transaction")

	// The reset runs at Release, not at the next use: the session gives
	// up its locks and its transaction while it sits idle.
	eventually(t, 20*time.Second, "advisory locks released by the idle session", func() bool {
		n, err := pg.FetchVal[int64](ctx, admin, "SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory'", pid)
		require.NoError(t, err)
		return n == 0
	})
	got, err := pg.FetchVal[bool](ctx, admin, "SELECT pg_try_advisory_lock($1)", int64(lockKey))
	require.NoError(t, err)
	assert.True(t, got)
	_, err = admin.Exec(ctx, "SELECT pg_advisory_unlock_all()")
	require.NoError(t, err)
	state, err := pg.FetchVal[string](ctx, admin, "SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
	require.NoError(t, err)
	assert.Equal(t, "idle", state)

	pc = acquire(t, p)
	defer pc.Release()
	require.Equal(t, pid, backendPID(t, pc), "the same connection comes back")
	assert.False(t, pc.Conn().InTransaction())
	check := func(sql, want string) {
		t.Helper()
		v, err := pg.FetchVal[string](ctx, pc, sql)
		require.NoError(t, err, sql)
		assert.Equal(t, want, v, sql)
	}
	// Settings are back to what a fresh session has.
	for _, name := range []string{"work_mem", "statement_timeout", "search_path"} {
		want, err := pg.FetchVal[string](ctx, admin, "SELECT current_setting($1)", name)
		require.NoError(t, err)
		check("SELECT current_setting('"+name+"')", want)
	}
	check("SELECT (current_user = session_user)::text", "true")
	check("SELECT count(*)::text FROM pg_listening_channels()", "0")
	check("SELECT count(*)::text FROM pg_cursors WHERE name = 'pool_leak_cur'", "0")
	check("SELECT count(*)::text FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'", "0")
	check("SELECT (to_regclass('pg_temp.pool_leak_tx') IS NULL)::text", "true")
	check("SELECT pg_try_advisory_xact_lock(915002)::text", "true")
	_, err = pc.Exec(ctx, "DO $$BEGIN RAISE NOTICE 'to nobody'; END$$")
	require.NoError(t, err)
	assert.Zero(t, noticed.Load(), "the previous user's notice callback must be gone")
}

// resetRoundTrip dirties a lease, releases it and checks that the next
// lease on the same connection runs and sees a clean session (a failed
// reset would refuse the call with a PoolResetError).
func resetRoundTrip(t *testing.T, p *pg.Pool, dirty ...string) {
	t.Helper()
	ctx := ctxT(t)
	pc := acquire(t, p)
	pid := backendPID(t, pc)
	for _, sql := range dirty {
		_, err := pc.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	require.NoError(t, pc.Release())
	pc = acquire(t, p)
	defer pc.Release()
	require.Equal(t, pid, backendPID(t, pc))
	wm, err := pg.FetchVal[string](ctx, pc, "SELECT current_setting('work_mem')")
	require.NoError(t, err)
	assert.NotEqual(t, "7MB", wm)
	iso, err := pg.FetchVal[string](ctx, pc, "SELECT current_setting('default_transaction_isolation')")
	require.NoError(t, err)
	assert.Equal(t, "read committed", iso)
	assert.Zero(t, p.Stats().ClosedResetFailed)
}

func TestPoolResetAsOrdinaryUser(t *testing.T) {
	t.Parallel()
	cfg, err := pg.ParseConfig(pgtest.Shared().UserDSN(pwUser, pwPass))
	require.NoError(t, err)
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	require.NoError(t, err)
	defer p.Terminate()
	resetRoundTrip(t, p, "SET work_mem = '7MB'", "SET default_transaction_isolation = 'serializable'",
		"SELECT pg_advisory_lock(915010)", "LISTEN pool_user_chan")
}

// On a hot standby the reset must not fail either, even after the user
// made serializable (refused on a standby) the session's default.
func TestPoolResetOnHotStandby(t *testing.T) {
	t.Parallel()
	if pgtest.Shared().External() {
		t.Skip("needs servers pgtest starts")
	}
	primary := startServer(t, pgtest.Options{})
	standby := startServer(t, pgtest.Options{StandbyOf: primary})
	cfg := tcpConfig(standby, primary.Superuser(), "")
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	require.NoError(t, err)
	defer p.Terminate()
	inRecovery, err := pg.FetchVal[bool](ctxT(t), p, "SELECT pg_is_in_recovery()")
	require.NoError(t, err)
	require.True(t, inRecovery)
	resetRoundTrip(t, p, "SET work_mem = '7MB'", "SELECT pg_advisory_lock(915011)",
		"SET default_transaction_isolation = 'serializable'")
}

// A connection released while an Acquire waits goes straight to it, its
// reset travelling with the new owner's first request: that request must
// see a clean session, and a lease ending in a transaction must still be
// rolled back at once.
func TestPoolResetOnHandoff(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	ctx := ctxT(t)
	for _, inTx := range []bool{false, true} {
		pc := acquire(t, p)
		pid := backendPID(t, pc)
		for _, sql := range []string{"SET work_mem = '7MB'", "SELECT pg_advisory_lock(915020)"} {
			_, err := pc.Exec(ctx, sql)
			require.NoError(t, err)
		}
		if inTx {
			_, err := pc.Exec(ctx, "BEGIN")
			require.NoError(t, err)
			_, err = pc.Exec(ctx, "SELECT pg_advisory_xact_lock(915021)")
			require.NoError(t, err)
		}
		got := make(chan *pg.PoolConn, 1)
		go func() {
			pc, err := p.Acquire(ctx)
			assert.NoError(t, err)
			got <- pc
		}()
		eventually(t, 10*time.Second, "waiter queued", func() bool { return p.Stats().Waiting == 1 })
		require.NoError(t, pc.Release())
		next := <-got
		if inTx {
			// Rolled back at Release, before the new owner runs anything.
			eventually(t, 20*time.Second, "transaction rolled back", func() bool {
				s, err := pg.FetchVal[string](ctx, admin, "SELECT state FROM pg_stat_activity WHERE pid = $1", pid)
				require.NoError(t, err)
				return s == "idle"
			})
		}
		require.Equal(t, pid, backendPID(t, next))
		wm, err := pg.FetchVal[string](ctx, next, "SELECT current_setting('work_mem')")
		require.NoError(t, err)
		assert.NotEqual(t, "7MB", wm)
		n, err := pg.FetchVal[int64](ctx, next, "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'")
		require.NoError(t, err)
		assert.Zero(t, n)
		assert.False(t, next.Conn().InTransaction())
		require.NoError(t, next.Release())
	}
	assert.Zero(t, p.Stats().ClosedResetFailed)
}

// A waiter handed a connection just as its context ends leaves it idle
// with its reset sent, not pending.
func TestPoolHandoffToCanceledWaiter(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	for range 20 {
		pc := acquire(t, p)
		pid := backendPID(t, pc)
		_, err := pc.Exec(ctxT(t), "SELECT pg_advisory_lock(915030)")
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(bg())
		done := make(chan struct{})
		go func() {
			defer close(done)
			if w, err := p.Acquire(ctx); err == nil {
				assert.NoError(t, w.Release())
			}
		}()
		eventually(t, 10*time.Second, "waiter queued", func() bool { return p.Stats().Waiting == 1 })
		// Race the cancel against the handoff.
		go cancel()
		require.NoError(t, pc.Release())
		<-done
		eventually(t, 20*time.Second, "advisory lock released while idle", func() bool {
			n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_locks WHERE pid = $1 AND locktype = 'advisory'", pid)
			require.NoError(t, err)
			return n == 0
		})
	}
	assert.Equal(t, 1, p.Stats().Size)
	assert.Zero(t, p.Stats().ClosedResetFailed)
}

// A connection with an idle watcher (an OnTerminate callback registered
// in Init) reads whatever the server sends while it sits idle: the reset
// written at Release must not reach it as news (it took the reset's reply
// for a protocol violation and broke the connection after every reset).
func TestPoolResetWithIdleWatcher(t *testing.T) {
	t.Parallel()
	var ended atomic.Int32
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, Init: func(ctx context.Context, c *pg.Conn) error {
		c.OnTerminate(func(error) { ended.Add(1) })
		return nil
	}})
	admin := connect(t)
	ctx := ctxT(t)
	pc := acquire(t, p)
	pid := backendPID(t, pc)
	require.NoError(t, pc.Release())
	for range 5 {
		pc := acquire(t, p)
		require.Equal(t, pid, backendPID(t, pc), "the same connection comes back")
		_, err := pc.Exec(ctx, "SET work_mem = '7MB'")
		require.NoError(t, err)
		require.NoError(t, pc.Release())
		// The reset has run and its reply is on its way: the watcher
		// would read it now.
		eventually(t, 20*time.Second, "the reset ran", func() bool {
			var q, state string
			require.NoError(t, admin.QueryRow(ctx, "SELECT query, state FROM pg_stat_activity WHERE pid = $1", pid).Scan(&q, &state))
			return state == "idle" && strings.Contains(q, "RESET ALL")
		})
	}
	pc = acquire(t, p)
	defer pc.Release()
	assert.Equal(t, pid, backendPID(t, pc))
	assert.NotEqual(t, "7MB", probe(t, pc, probeWorkMem))
	assert.Zero(t, p.Stats().ClosedBroken)
	assert.Zero(t, ended.Load())
}
