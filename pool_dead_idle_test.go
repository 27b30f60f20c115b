package pg_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// killBackend ends pid with pg_terminate_backend and waits until the
// backend has left pg_stat_activity, so its FATAL error and close are on
// their way. It polls without pausing: pg_terminate_backend's own wait
// sleeps in 100 ms steps, long enough for the pool's clock to tick.
func killBackend(t *testing.T, admin *pg.Conn, pid int32) {
	t.Helper()
	ok, err := pg.FetchVal[bool](ctxT(t), admin, "SELECT pg_terminate_backend($1)", pid)
	require.NoError(t, err)
	require.True(t, ok, "no backend %d", pid)
	for {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid)
		require.NoError(t, err)
		if n == 0 {
			return
		}
	}
}

// A pooled connection whose backend was killed while idle is never handed
// out: Acquire right after the kill gives a working connection, and the
// pool's own methods succeed, whatever the pool's clock says.
func TestPoolNeverHandsOutKilledIdleConn(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	admin := connect(t)
	for round := range 10 {
		pid := backendPID(t, p)
		killBackend(t, admin, pid)
		if round%2 == 0 {
			pc, err := p.Acquire(ctxT(t))
			require.NoError(t, err)
			_, err = pc.Exec(ctxT(t), "SELECT 1")
			pc.Release()
			require.NoError(t, err, "round %d: Acquire handed out the killed connection", round)
		} else {
			v, err := pg.FetchVal[int32](ctxT(t), p, "SELECT 7")
			require.NoError(t, err, "round %d: FetchVal ran on the killed connection", round)
			require.Equal(t, int32(7), v)
		}
		require.NotEqual(t, pid, backendPID(t, p))
	}
	require.GreaterOrEqual(t, p.Stats().ClosedBroken, int64(10))
}

// The same holds when a middlebox resets the idle socket (a TCP RST, no
// FATAL from the server).
func TestPoolNeverHandsOutResetIdleConn(t *testing.T) {
	t.Parallel()
	cfg, proxy := proxied(t)
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pg.PoolConfig{MinSize: 2, MaxSize: 2})
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	for round := range 10 {
		_, err := p.Exec(ctxT(t), "SELECT 1")
		require.NoError(t, err)
		proxy.ResetAll()
		_, err = p.Exec(ctxT(t), "SELECT 1")
		require.NoError(t, err, "round %d: the reset connection was handed out", round)
	}
}
