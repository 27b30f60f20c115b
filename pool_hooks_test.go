package pg_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// hookLog records hook calls in order.
type hookLog struct {
	mu    sync.Mutex
	calls []string
}

func (l *hookLog) add(s string) {
	l.mu.Lock()
	l.calls = append(l.calls, s)
	l.mu.Unlock()
}

func (l *hookLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.calls...)
}

func TestPoolHookOrderAndCounts(t *testing.T) {
	t.Parallel()
	var log hookLog
	p, _ := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 2,
		Connect: func(ctx context.Context, cfg *pg.Config) (*pg.Conn, error) {
			log.add("connect")
			return pg.ConnectConfig(ctx, cfg)
		},
		Init: func(ctx context.Context, c *pg.Conn) error {
			log.add("init")
			_, err := c.Exec(ctx, "SELECT 1")
			return err
		},
		Setup: func(ctx context.Context, c *pg.Conn) error {
			log.add("setup")
			return nil
		},
		Reset: func(ctx context.Context, c *pg.Conn) error {
			log.add("reset")
			_, err := c.Exec(ctx, "RESET ALL")
			return err
		},
	})
	assert.Equal(t, []string{"connect", "init"}, log.get())

	a := acquire(t, p)
	b := acquire(t, p) // a second connection opens
	require.NoError(t, a.Release())
	require.NoError(t, b.Release())
	_, err := p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, []string{
		"connect", "init",
		"setup",                    // a
		"connect", "init", "setup", // b
		"reset", "reset",
		"setup", "reset", // Exec
	}, log.get())
}

func TestPoolFailingHooks(t *testing.T) {
	t.Parallel()
	errHook := errors.New("hook failed on purpose")
	var failInit, failSetup, failReset atomic.Bool
	p, app := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 2,
		Init: func(ctx context.Context, c *pg.Conn) error {
			if failInit.Load() {
				return errHook
			}
			return nil
		},
		Setup: func(ctx context.Context, c *pg.Conn) error {
			if failSetup.Load() {
				return errHook
			}
			return nil
		},
		Reset: func(ctx context.Context, c *pg.Conn) error {
			if failReset.Load() {
				return errHook
			}
			_, err := c.Exec(ctx, "RESET ALL")
			return err
		},
	})
	admin := connect(t)

	// Setup: the error reaches the caller, the connection goes back.
	failSetup.Store(true)
	_, err := p.Acquire(ctxT(t))
	require.ErrorIs(t, err, errHook)
	assert.Contains(t, err.Error(), "Setup")
	_, err = p.Exec(ctxT(t), "SELECT 1")
	require.ErrorIs(t, err, errHook)
	failSetup.Store(false)
	st := p.Stats()
	assert.Equal(t, 0, st.InUse)
	assert.EqualValues(t, 2, st.SetupFailedCount)
	pid := backendPID(t, p)

	// Reset: the connection is closed instead of returned dirty.
	failReset.Store(true)
	pc := acquire(t, p)
	assert.Equal(t, pid, backendPID(t, pc))
	require.NoError(t, pc.Release())
	failReset.Store(false)
	assert.EqualValues(t, 1, p.Stats().ClosedResetFailed)
	assert.NotEqual(t, pid, backendPID(t, p))

	// Init: the Acquire that opened the connection fails; the slot is
	// free again.
	failInit.Store(true)
	a := acquire(t, p) // the idle one: no Init
	_, err = p.Acquire(ctxT(t))
	require.ErrorIs(t, err, errHook)
	assert.Contains(t, err.Error(), "Init")
	assert.Equal(t, 1, p.Stats().Size)
	failInit.Store(false)
	b := acquire(t, p)
	require.NoError(t, a.Release())
	require.NoError(t, b.Release())
	assert.EqualValues(t, 1, p.Stats().ClosedHookFailed)
	assert.LessOrEqual(t, serverConns(t, admin, app), 2)
	_, err = p.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
}

func TestPoolHookPanicKeepsPoolHealthy(t *testing.T) {
	t.Parallel()
	var panicSetup atomic.Bool
	p, _ := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 1,
		Setup: func(ctx context.Context, c *pg.Conn) error {
			if panicSetup.Load() {
				panic("setup panics")
			}
			return nil
		},
	})
	panicSetup.Store(true)
	assert.Panics(t, func() { _, _ = p.Acquire(ctxT(t)) })
	panicSetup.Store(false)
	// The panicking Acquire's connection was terminated; its slot must
	// come back for the pool of one to work. The bound is generous: the
	// replacement connection is made under a loaded test run.
	ctx, cancel := context.WithTimeout(ctxT(t), 30*time.Second)
	defer cancel()
	_, err := p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
}

func TestPoolResetAndInitPanicKeepPoolHealthy(t *testing.T) {
	t.Parallel()
	var panicReset, panicInit atomic.Bool
	p, _ := newPool(t, pg.PoolConfig{
		MinSize: 1, MaxSize: 1,
		Init: func(ctx context.Context, c *pg.Conn) error {
			if panicInit.Load() {
				panic("init panics")
			}
			return nil
		},
		Reset: func(ctx context.Context, c *pg.Conn) error {
			if panicReset.Load() {
				panic("reset panics")
			}
			return nil
		},
	})
	pc := acquire(t, p)
	panicReset.Store(true)
	assert.Panics(t, func() { _ = pc.Release() })
	panicReset.Store(false)
	assert.Equal(t, 0, p.Stats().Size)

	panicInit.Store(true)
	assert.Panics(t, func() { _, _ = p.Acquire(ctxT(t)) })
	panicInit.Store(false)
	assert.Equal(t, 0, p.Stats().Size)

	ctx, cancel := context.WithTimeout(ctxT(t), 5*time.Second)
	defer cancel()
	_, err := p.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
}
