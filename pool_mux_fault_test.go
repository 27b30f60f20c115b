package pg_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A multiplexed connection cut with requests in flight fails every one
// of them with a *ConnError (none hangs, none gets another's answer), and
// the pool connects again for the calls that follow.
func TestPoolMuxConnectionLoss(t *testing.T) {
	t.Parallel()
	p, proxy := proxiedPool(t, pg.PoolConfig{MaxSize: 1, MultiplexConns: 2})
	ctx := ctxT(t)
	const calls = 100
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for i := range calls {
		wg.Go(func() {
			got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4 FROM pg_sleep(2)", i)
			switch {
			case err == nil && got != int32(i):
				errs <- fmt.Errorf("%d: got %d", i, got)
			case err == nil:
				// Not yet written when the connection broke: SafeToRetry,
				// and the Pool's retry ran it on the new connection.
			default:
				var ce *pg.ConnError
				if !errors.As(err, &ce) {
					errs <- fmt.Errorf("%d: want a *ConnError, got %T %v", i, err, err)
				}
			}
		})
	}
	// Everything is written (depth allows) and the first sleeps are running.
	time.Sleep(300 * time.Millisecond)
	proxy.DropAll()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	eventually(t, 20*time.Second, "the pool answers again", func() bool {
		got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4", 5)
		return err == nil && got == 5
	})
	for i := range 50 {
		got, err := pg.FetchVal[int32](ctx, p, "SELECT $1::int4 + 1", i)
		require.NoError(t, err)
		require.EqualValues(t, i+1, got)
	}
}

// A request still queued (the pipeline is full) when its context ends
// returns at once and never runs.
func TestPoolMuxCancelQueued(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 1)
	ctx := ctxT(t)
	table := fmt.Sprintf("mux_cancel_%d", time.Now().UnixNano())
	_, err := p.Exec(ctx, "CREATE TABLE "+table+" (a int)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = p.Exec(bg(), "DROP TABLE "+table) })

	// Warm every session the test will use, so that each call below is
	// one request (no describe first).
	var wg sync.WaitGroup
	for range pg.MuxDepth + 8 {
		wg.Go(func() {
			_, err := p.Exec(ctx, "SELECT pg_sleep($1)", 0.02)
			assert.NoError(t, err)
			_, err = p.Exec(ctx, "INSERT INTO "+table+" VALUES ($1)", 0)
			assert.NoError(t, err)
		})
	}
	wg.Wait()

	// Fill the pipeline: one sleep, then quick statements behind it.
	for i := range pg.MuxDepth {
		wg.Go(func() {
			sleep := 0.0
			if i == 0 {
				sleep = 6
			}
			_, err := p.Exec(ctx, "SELECT pg_sleep($1)", sleep)
			assert.NoError(t, err)
		})
		if i == 0 {
			time.Sleep(100 * time.Millisecond) // the sleep goes first
		}
	}
	time.Sleep(200 * time.Millisecond)
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = p.Exec(short, "INSERT INTO "+table+" VALUES ($1)", 1)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 4*time.Second, "returned at its deadline, not after the sleep ahead of it")
	wg.Wait()
	n, err := pg.FetchVal[int64](ctx, p, "SELECT count(*) FROM "+table+" WHERE a = 1")
	require.NoError(t, err)
	assert.Zero(t, n, "the abandoned request was never written")
}

// Terminate fails the calls in flight at once.
func TestPoolMuxTerminateInFlight(t *testing.T) {
	t.Parallel()
	p, _ := muxPool(t, 1)
	ctx := ctxT(t)
	done := make(chan error, 1)
	go func() {
		_, err := p.Exec(ctx, "SELECT pg_sleep($1)", 10.0)
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	p.Terminate()
	select {
	case err := <-done:
		require.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a call in flight outlived Terminate")
	}
	_, err := p.Exec(ctx, "SELECT $1::int4", 1)
	assert.ErrorIs(t, err, pg.ErrPoolClosed)
}
