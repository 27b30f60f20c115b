package pg_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

var poolSeq atomic.Int64

// newPool creates a pool on the shared server whose connections carry an
// application_name of their own, so pg_stat_activity can count them. The
// pool is terminated when the test ends.
func newPool(t *testing.T, pc pg.PoolConfig) (*pg.Pool, string) {
	t.Helper()
	cfg := testConfig(t)
	app := fmt.Sprintf("pooltest_%d", poolSeq.Add(1))
	cfg.ApplicationName = app
	if pc.Logger == nil {
		pc.Logger = slog.New(slog.DiscardHandler) // keep expected warnings out of the test output
	}
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pc)
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	return p, app
}

// serverConns counts the server backends of the pool with application
// name app.
func serverConns(t *testing.T, c *pg.Conn, app string) int {
	t.Helper()
	n, err := pg.FetchVal[int64](ctxT(t), c, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1", app)
	require.NoError(t, err)
	return int(n)
}

// backendPID asks the server which backend serves q.
func backendPID(t *testing.T, q pg.Querier) int32 {
	t.Helper()
	pid, err := pg.FetchVal[int32](ctxT(t), q, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	return pid
}

// eventually polls cond every 20ms until it holds or d passes.
func eventually(t *testing.T, d time.Duration, msg string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %v: %s", d, msg)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// terminateBackend kills pid from another connection and waits until it
// is gone.
func terminateBackend(t *testing.T, admin *pg.Conn, pid int32) {
	t.Helper()
	ok, err := pg.FetchVal[bool](ctxT(t), admin, "SELECT pg_terminate_backend($1)", pid)
	require.NoError(t, err)
	require.True(t, ok)
	eventually(t, 20*time.Second, "killed backend gone from pg_stat_activity", func() bool {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)
		require.NoError(t, err)
		return n == 0
	})
}

func acquire(t *testing.T, p *pg.Pool) *pg.PoolConn {
	t.Helper()
	pc, err := p.Acquire(ctxT(t))
	require.NoError(t, err)
	return pc
}

func bg() context.Context { return context.Background() }
