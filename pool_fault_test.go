package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// proxiedPool is a pool whose connections go through a fault proxy.
func proxiedPool(t *testing.T, pc pg.PoolConfig) (*pg.Pool, interface {
	DropAll()
	StallServer(bool)
	Refuse(bool)
}) {
	t.Helper()
	cfg, proxy := proxied(t)
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pc)
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	return p, proxy
}

// Connections cut while idle are found by the check at Acquire and
// replaced; the caller never sees them.
func TestPoolNetworkDropWhileIdle(t *testing.T) {
	t.Parallel()
	p, proxy := proxiedPool(t, pg.PoolConfig{MinSize: 2, MaxSize: 2})
	proxy.DropAll()
	time.Sleep(2 * time.Second) // past pingAfterIdle
	for range 4 {
		_, err := p.Exec(ctxT(t), "SELECT 1")
		require.NoError(t, err)
	}
	assert.GreaterOrEqual(t, p.Stats().ClosedBroken, int64(1))
}

// A server that stops answering cannot hold Acquire past its context,
// and a server that refuses connections fails Acquire without hurting
// the pool.
func TestPoolUnresponsiveServer(t *testing.T) {
	t.Parallel()
	p, proxy := proxiedPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	time.Sleep(2 * time.Second) // the idle connection is checked at Acquire
	proxy.StallServer(true)
	ctx, cancel := context.WithTimeout(bg(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Acquire(ctx)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	t.Logf("Acquire returned after %v", time.Since(start))
	assert.Less(t, time.Since(start), 5*time.Second, "Acquire must not wait out the cancel grace period")
	proxy.StallServer(false)

	proxy.DropAll()
	proxy.Refuse(true)
	_, err = p.Exec(ctxT(t), "SELECT 1")
	require.Error(t, err)
	st := p.Stats()
	assert.Equal(t, 0, st.InUse)
	proxy.Refuse(false)
	_, err = p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, 1, p.Stats().Size)
}
