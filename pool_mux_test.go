package pg_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// muxPool is a pool with n multiplexed connections and a few ordinary
// ones.
func muxPool(t *testing.T, n int) (*pg.Pool, string) {
	t.Helper()
	return newPool(t, pg.PoolConfig{MaxSize: 2, MultiplexConns: n})
}

// Thousands of concurrent calls of every one-statement method, each
// checking that it got its own answer.
func TestPoolMuxConcurrent(t *testing.T) {
	t.Parallel()
	p, app := muxPool(t, 2)
	ctx := ctxT(t)
	const goroutines, each = 64, 40
	var wg sync.WaitGroup
	errs := make(chan error, goroutines)
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				n := int64(g*1000 + i)
				if err := muxRoundTrip(ctx, p, n, i%5); err != nil {
					errs <- fmt.Errorf("goroutine %d call %d: %w", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Equal(t, 2, serverConns(t, connect(t), app), "the multiplexed connections alone served it all")
}

// muxRoundTrip runs one call of kind k (0..4) with n and checks its answer.
func muxRoundTrip(ctx context.Context, p *pg.Pool, n int64, k int) error {
	var got int64
	var err error
	switch k {
	case 0:
		got, err = pg.FetchVal[int64](ctx, p, "SELECT $1::int8 * 2", n)
	case 1:
		err = p.QueryRow(ctx, "SELECT $1::int8 * 2, 'x'", n).Scan(&got, nil)
	case 2:
		var recs []pg.Record
		if recs, err = p.Fetch(ctx, "SELECT $1::int8 + g FROM generate_series(0, 2) g", n); err == nil {
			if len(recs) != 3 || recs[2].Value(0).(int64) != n+2 {
				return fmt.Errorf("Fetch gave %v for %d", recs, n)
			}
			got = recs[0].Value(0).(int64) * 2
		}
	case 3:
		var rec pg.Record
		if rec, err = p.FetchRow(ctx, "SELECT $1::int8 + $1::int8 AS v", n); err == nil {
			got = rec.Value(0).(int64)
		}
	case 4:
		var tag pg.CommandTag
		if tag, err = p.Exec(ctx, "SELECT generate_series(1, $1::int8 % 7 + 1)", n); err == nil {
			got = 2 * n
			if tag.RowsAffected() != n%7+1 {
				return fmt.Errorf("Exec tag %q for %d", tag, n)
			}
		}
	}
	if err != nil {
		return err
	}
	if got != 2*n {
		return fmt.Errorf("kind %d: got %d for %d", k, got, n)
	}
	return nil
}

// A server error in the middle of a pipeline is that request's error
// alone: its neighbours, written in the same batch, answer right, and the
// connection stays.
func TestPoolMuxErrorInPipeline(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 1)
	ctx := ctxT(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 200 {
		wg.Go(func() {
			if i%3 == 0 {
				_, err := pg.FetchVal[int32](ctx, p, "SELECT 1 / ($1::int4 - $1::int4)", i)
				var pe *pg.PgError
				if !errors.As(err, &pe) || pe.Code != "22012" {
					errs <- fmt.Errorf("%d: want division_by_zero, got %v", i, err)
				}
				return
			}
			got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4 + 1", i)
			if err != nil || got != int32(i+1) {
				errs <- fmt.Errorf("%d: got %d, %v", i, got, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	pid1 := backendPID(t, p)
	for range 5 {
		assert.Equal(t, pid1, backendPID(t, p), "one multiplexed connection, never replaced")
	}
}

// Statements that change the session go to an ordinary connection (where
// the pool's reset undoes them) and never reach the shared one.
func TestPoolMuxSessionStatements(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 1)
	ctx := ctxT(t)
	muxPID := backendPID(t, p)
	for _, sql := range []string{
		"SET search_path = nowhere",
		"set application_name = 'x'",
		"/* hi */ BEGIN",
		"LISTEN mux_chan",
		"CREATE TEMP TABLE mux_tmp (a int)",
	} {
		_, err := p.Fetch(ctx, sql)
		require.NoError(t, err, sql)
	}
	path, err := pg.FetchVal[string](ctx, p, "SHOW search_path")
	require.NoError(t, err)
	assert.NotEqual(t, "nowhere", path)
	assert.Equal(t, muxPID, backendPID(t, p))
	listening, err := pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM pg_listening_channels()")
	require.NoError(t, err)
	assert.Zero(t, listening)
}

// A call whose context ends returns at once, whether its request was
// written or still queued; the connection goes on serving the others.
func TestPoolMuxCancel(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 1)
	ctx := ctxT(t)
	pid := backendPID(t, p)

	// Written: a long statement, its caller gives up after 100 ms.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Exec(short, "SELECT pg_sleep($1)", 6.0)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 4*time.Second, "returned at its deadline, not at the statement's end")

	// Queued behind it: also returns at its deadline, never run.
	short2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	_, err = p.Exec(short2, "SELECT pg_sleep($1)", 0.0)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	// The connection is the same and answers again once the sleep ends.
	got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4", 7)
	require.NoError(t, err)
	assert.EqualValues(t, 7, got)
	assert.Equal(t, pid, backendPID(t, p))
}

// Close waits for the calls in flight, which all succeed; later calls
// fail with ErrPoolClosed.
func TestPoolMuxCloseWithCallsInFlight(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 2)
	ctx := ctxT(t)
	var wg sync.WaitGroup
	started := make(chan struct{}, 50)
	errs := make(chan error, 50)
	for i := range 50 {
		wg.Go(func() {
			started <- struct{}{}
			got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4 FROM pg_sleep(0.2)", i)
			if err != nil && !errors.Is(err, pg.ErrPoolClosed) {
				errs <- err
			} else if err == nil && got != int32(i) {
				errs <- fmt.Errorf("got %d for %d", got, i)
			}
		})
	}
	for range 50 {
		<-started
	}
	require.NoError(t, p.Close(ctx))
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	_, err := pg.FetchVal[int32](ctx, p, "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrPoolClosed)
}

// Init runs once on each multiplexed connection; the Tracer sees every
// multiplexed call, with its SQL, arguments and result.
func TestPoolMuxHooksAndTracer(t *testing.T) {
	t.Parallel()
	var inits, starts, ends atomic.Int64
	tr := &pg.Tracer{
		QueryStart: func(ctx context.Context, _ *pg.Conn, d pg.TraceQueryStart) context.Context {
			starts.Add(1)
			return ctx
		},
		QueryEnd: func(_ context.Context, _ *pg.Conn, d pg.TraceQueryEnd) {
			if d.SQL == "SELECT $1::int4" && d.Err == nil && len(d.Args) == 1 {
				ends.Add(1)
			}
		},
	}
	p, _ := newPool(t, pg.PoolConfig{MaxSize: 1, MultiplexConns: 3, Tracer: tr,
		Init: func(context.Context, *pg.Conn) error { inits.Add(1); return nil }})
	assert.EqualValues(t, 3, inits.Load())
	ctx := ctxT(t)
	for i := range 20 {
		got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4", i)
		require.NoError(t, err)
		require.EqualValues(t, i, got)
	}
	assert.EqualValues(t, 20, ends.Load())
	assert.GreaterOrEqual(t, starts.Load(), int64(20))
	assert.EqualValues(t, 3, inits.Load(), "no ordinary connection was needed")
}
