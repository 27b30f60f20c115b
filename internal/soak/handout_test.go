package soak

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// TestDeadConnectionNotHandedOut isolates what the soak reports as
// "handed out a connection whose backend was terminated": a backend killed
// (and gone) while no call ran on its connection, after which a caller
// that could not have caused it gets the FATAL (issue 12, first section).
// Each case is one way the soak found a connection to slip past the
// pool's check: idle past the pool's 100 ms clock, handed to a waiter,
// released and retaken within microseconds by a lease that had not heard
// from the server since before the kill, and the same after a call that
// failed before it was sent (which once counted as hearing from it).
func TestDeadConnectionNotHandedOut(t *testing.T) {
	cases := []struct {
		name string
		run  func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(pid int32)) error
	}{
		{"Acquire 5 ms after the kill", func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32)) error {
			kill(backendPID(t, ctx, p))
			time.Sleep(5 * time.Millisecond)
			pc, err := p.Acquire(ctx)
			require.NoError(t, err)
			defer pc.Release()
			_, err = pc.Exec(ctx, "SELECT 1")
			return err
		}},
		{"Pool.QueryRow 5 ms after the kill", func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32)) error {
			kill(backendPID(t, ctx, p))
			time.Sleep(5 * time.Millisecond)
			var one int
			return p.QueryRow(ctx, "SELECT 1").Scan(&one)
		}},
		{"killed during a lease that ran nothing after it, taken back at once", func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32)) error {
			// Released straight into the idle list and taken again
			// microseconds later: the connection was idle only that
			// long, but silent since well before the kill.
			return killDuringLease(t, ctx, p, kill, func(*pg.PoolConn) {})
		}},
		{"killed during a lease whose last call failed before it was sent", func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32)) error {
			return killDuringLease(t, ctx, p, kill, func(a *pg.PoolConn) {
				// A call whose context has already ended sends nothing
				// and hears nothing: it proves nothing about the session.
				ended, cancel := context.WithCancel(ctx)
				cancel()
				_, err := a.Exec(ended, "SELECT 1")
				require.ErrorIs(t, err, context.Canceled)
			})
		}},
		{"handed to a waiting Acquire", func(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32)) error {
			a, pid := leaseWithPID(t, ctx, p)
			got := make(chan *pg.PoolConn, 1)
			go func() {
				b, err := p.Acquire(ctx)
				if err != nil {
					b = nil
				}
				got <- b
			}()
			require.Eventually(t, func() bool { return p.Stats().Waiting == 1 }, 10*time.Second, time.Millisecond)
			kill(pid)
			// The holder ran nothing since the kill; the backend died
			// with no call of anyone's on it.
			require.NoError(t, a.Release())
			b := <-got
			require.NotNil(t, b)
			defer b.Release()
			_, err := b.Exec(ctx, "SELECT 1")
			return err
		}},
	}
	srv := pgtest.Shared()
	cfg, err := pg.ParseConfig(srv.DSN())
	require.NoError(t, err)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			killer, err := pg.ConnectConfig(ctx, cfg)
			require.NoError(t, err)
			defer killer.Close(ctx)
			kill := func(pid int32) {
				var ok bool
				require.NoError(t, killer.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok))
				require.True(t, ok)
				// Gone from pg_stat_activity: the backend has sent its
				// FATAL. (pg_terminate_backend's own wait polls every
				// 100 ms, past the pool's idle check.)
				require.Eventually(t, func() bool {
					var alive bool
					require.NoError(t, killer.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1)", pid).Scan(&alive))
					return !alive
				}, 10*time.Second, time.Millisecond)
			}
			p, err := pg.CreatePoolConfig(ctx, cfg, pg.PoolConfig{MinSize: 1, MaxSize: 1})
			require.NoError(t, err)
			defer p.Close(ctx)
			// Whether the pool's 100 ms clock ticks between release and
			// Acquire is chance: ten rounds make a miss certain enough.
			const rounds = 10
			var failed int
			var first error
			for range rounds {
				if err := tc.run(t, ctx, p, kill); err != nil {
					failed++
					if first == nil {
						first = err
					}
				}
			}
			require.Zero(t, failed, "callers that got the dead connection, of %d; the first: %v", rounds, first)
		})
	}
}

// leaseWithPID acquires the pool's connection and returns it with its
// backend's pid, asked on the lease (so the lease has heard from it).
func leaseWithPID(t *testing.T, ctx context.Context, p *pg.Pool) (*pg.PoolConn, int32) {
	a, err := p.Acquire(ctx)
	require.NoError(t, err)
	var pid int32
	require.NoError(t, a.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	return a, pid
}

// killDuringLease kills the backend of a leased connection, runs then on
// the lease, releases it and at once acquires the pool's one connection
// again; it returns the error of a query on that.
func killDuringLease(t *testing.T, ctx context.Context, p *pg.Pool, kill func(int32), then func(*pg.PoolConn)) error {
	a, pid := leaseWithPID(t, ctx, p)
	kill(pid)
	then(a)
	require.NoError(t, a.Release())
	b, err := p.Acquire(ctx)
	require.NoError(t, err)
	defer b.Release()
	_, err = b.Exec(ctx, "SELECT 1")
	return err
}

// backendPID returns the pid of the pool's one connection, which is then
// idle in the pool.
func backendPID(t *testing.T, ctx context.Context, p *pg.Pool) int32 {
	var pid int32
	require.NoError(t, p.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	return pid
}
