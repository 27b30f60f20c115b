package pg_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A query logger added in PoolConfig.Init belongs to the connection: it
// sees every query of every lease, while one added during a lease is gone
// at its Release. The Init logger used to be dropped at the first Release
// (it saw 1 of 3 queries).
func TestPoolInitCallbacksOutliveRelease(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var initSaw, leaseSaw []string
	var notices int
	p, _ := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 1,
		Init: func(ctx context.Context, c *pg.Conn) error {
			c.AddQueryLogger(func(q pg.LoggedQuery) {
				mu.Lock()
				initSaw = append(initSaw, q.SQL)
				mu.Unlock()
			})
			c.OnNotice(func(*pg.Notice) {
				mu.Lock()
				notices++
				mu.Unlock()
			})
			return nil
		},
	})
	ctx := ctxT(t)
	_, err := p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)

	pc := acquire(t, p)
	pc.Conn().AddQueryLogger(func(q pg.LoggedQuery) {
		mu.Lock()
		leaseSaw = append(leaseSaw, q.SQL)
		mu.Unlock()
	})
	_, err = pc.Exec(ctx, "SELECT 2")
	require.NoError(t, err)
	pc.Release()

	_, err = p.Exec(ctx, "DO $$BEGIN RAISE NOTICE 'n'; END$$")
	require.NoError(t, err)

	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"SELECT 1", "SELECT 2", "DO $$BEGIN RAISE NOTICE 'n'; END$$"}, initSaw)
	assert.Equal(t, []string{"SELECT 2"}, leaseSaw, "a lease's logger goes at its Release")
	assert.Equal(t, 1, notices, "Init's notice callback outlives the release too")
}

// The pool's own check of a connection idle past a second (an empty
// query) is not one of the user's queries: neither an Init logger nor the
// pool's Tracer sees it.
func TestPoolIdlePingUnobserved(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var logged, traced []string
	tr := &pg.Tracer{
		QueryStart: func(ctx context.Context, _ *pg.Conn, d pg.TraceQueryStart) context.Context {
			mu.Lock()
			traced = append(traced, d.SQL)
			mu.Unlock()
			return ctx
		},
	}
	p, _ := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 1, Tracer: tr,
		Init: func(ctx context.Context, c *pg.Conn) error {
			c.AddQueryLogger(func(q pg.LoggedQuery) {
				mu.Lock()
				logged = append(logged, q.SQL)
				mu.Unlock()
			})
			return nil
		},
	})
	ctx := ctxT(t)
	_, err := p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	time.Sleep(1500 * time.Millisecond) // past the pool's ping-after-idle second
	_, err = p.Exec(ctx, "SELECT 2")
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"SELECT 1", "SELECT 2"}, logged)
	assert.Equal(t, []string{"SELECT 1", "SELECT 2"}, traced)
}
