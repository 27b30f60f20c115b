package restart

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// TestMain gives the package a server of its own, which its tests restart.
func TestMain(m *testing.M) {
	pgtest.Main(m, pgtest.Options{})
}

// Pool.Listen rides out a server restart: it reports the gap, listens
// again on a new connection, and delivers what is sent afterwards.
func TestPoolListenThroughRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	srv := pgtest.Shared()
	p, err := pg.CreatePool(ctx, srv.DSN(), pg.PoolConfig{MaxSize: 2})
	require.NoError(t, err)
	defer p.Terminate()
	got := make(chan pg.Notification, 100)
	stop, err := p.Listen(ctx, "restart_chan", func(n pg.Notification) { got <- n })
	require.NoError(t, err)
	defer stop()
	next := func() pg.Notification {
		t.Helper()
		select {
		case n := <-got:
			return n
		case <-time.After(60 * time.Second):
			t.Fatal("no notification")
			return pg.Notification{}
		}
	}
	_, err = p.Exec(ctx, "SELECT pg_notify('restart_chan', 'before')")
	require.NoError(t, err)
	assert.Equal(t, "before", next().Payload)

	require.NoError(t, srv.Restart())
	n := next()
	assert.True(t, n.Gap, "%+v", n)
	// The pool's own connections were lost too; its methods recover.
	require.Eventually(t, func() bool {
		_, err := p.Exec(ctx, "SELECT pg_notify('restart_chan', 'after')")
		return err == nil
	}, 30*time.Second, 50*time.Millisecond)
	n = next()
	assert.Equal(t, "after", n.Payload)
	assert.False(t, n.Gap)
}
