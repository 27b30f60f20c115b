package pg_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A call on a socket the network had already reset fails before a byte of
// its request is written: SafeToRetry says so. A call whose backend was
// killed while it ran may have run: SafeToRetry says no.
func TestSafeToRetry(t *testing.T) {
	t.Parallel()
	cfg, proxy := proxied(t)
	c, err := pg.ConnectConfig(ctxT(t), cfg)
	require.NoError(t, err)
	defer c.Terminate()
	proxy.ResetAll()
	_, err = c.Exec(ctxT(t), "SELECT 1")
	require.Error(t, err)
	assert.True(t, pg.SafeToRetry(err), "%v", err)
	_, err = c.Exec(ctxT(t), "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrConnClosed)
	assert.True(t, pg.SafeToRetry(err))

	victim := connect(t)
	pid := victim.ServerPID()
	done := make(chan error, 1)
	go func() {
		_, err := victim.Exec(context.Background(), "SELECT pg_sleep(30)")
		done <- err
	}()
	admin := connect(t)
	eventually(t, 10*time.Second, "the sleep to start", func() bool {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1 AND query LIKE 'SELECT pg_sleep%'", int32(pid))
		return err == nil && n == 1
	})
	killBackend(t, admin, int32(pid))
	err = <-done
	require.Error(t, err)
	assert.False(t, pg.SafeToRetry(err), "%v", err)
	assert.False(t, pg.SafeToRetry(errors.New("other")))
}

// The pool's own methods run a call again, once, on another connection
// when the first broke before any of the request was written. A Setup
// hook resets the socket just before the call, past the Acquire check.
func TestPoolRetriesUnsentCall(t *testing.T) {
	t.Parallel()
	cfg, proxy := proxied(t)
	var once atomic.Bool
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pg.PoolConfig{MaxSize: 2, Setup: func(ctx context.Context, c *pg.Conn) error {
		if once.CompareAndSwap(false, true) {
			proxy.ResetAll()
		}
		return nil
	}})
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	v, err := pg.FetchVal[int32](ctxT(t), p, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)
	assert.True(t, once.Load())
	assert.GreaterOrEqual(t, p.Stats().ClosedBroken, int64(1))
}
