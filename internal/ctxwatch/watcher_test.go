package ctxwatch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// conn stands for the watched connection: it records the deadlines the
// Watcher sets and runs a cancel action the test controls.
type conn struct {
	mu        sync.Mutex
	deadlines []time.Time

	cancels  atomic.Int32   // cancel actions started
	running  atomic.Int32   // cancel actions not yet returned
	started  chan time.Time // the cancel ctx's deadline, once per start
	cancelFn func(context.Context) error
}

func newConn(cancel func(context.Context) error) *conn {
	return &conn{started: make(chan time.Time, 16), cancelFn: cancel}
}

func (c *conn) watcher(grace, timeout time.Duration) *Watcher {
	w := &Watcher{}
	w.Init(Actions{
		Cancel: func(ctx context.Context) error {
			c.cancels.Add(1)
			c.running.Add(1)
			defer c.running.Add(-1)
			dl, _ := ctx.Deadline()
			c.started <- dl
			return c.cancelFn(ctx)
		},
		SetDeadline: func(t time.Time) {
			c.mu.Lock()
			c.deadlines = append(c.deadlines, t)
			c.mu.Unlock()
		},
		Grace:   grace,
		Timeout: timeout,
	})
	return w
}

func (c *conn) deadlineLog() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.deadlines...)
}

func answered(context.Context) error { return nil }

// awaitErr waits until the watcher's call is marked cancelled, as
// the owner's failing read would find it.
func awaitErr(t *testing.T, w *Watcher) error {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for w.state.Load()&phaseMask != phaseCancelled {
		require.True(t, time.Now().Before(deadline), "cancellation never finished")
		time.Sleep(time.Millisecond)
	}
	return w.Err()
}

func TestBackgroundContextCostsNothing(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	allocs := testing.AllocsPerRun(100, func() {
		if err := w.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		if !w.InCall() {
			t.Fatal("not in call")
		}
		w.Stop()
	})
	assert.Zero(t, allocs)
	assert.False(t, w.InCall())
	assert.Zero(t, c.cancels.Load())
	assert.Empty(t, c.deadlineLog())
}

// Ordering: the reply arrives (Stop) before the context ends. Nothing is
// cancelled, and the registration kept between calls ignores the end.
func TestReplyBeforeContextDone(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx))
	w.Stop()
	fired := make(chan struct{})
	context.AfterFunc(ctx, func() { close(fired) })
	cancel()
	<-fired
	// Whenever the watcher's own AfterFunc runs, it finds no call.
	require.ErrorIs(t, w.Start(ctx), context.Canceled)
	assert.Zero(t, c.cancels.Load())
	assert.Empty(t, c.deadlineLog())
}

// Ordering: the context ends, the server answers the cancel, then the
// reply (the error the cancel caused) arrives.
func TestContextDoneCancelAnsweredThenReply(t *testing.T) {
	c := newConn(answered)
	const grace = 5 * time.Second
	w := c.watcher(grace, 0)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx))
	before := time.Now()
	cancel()
	cancelDeadline := <-c.started
	assert.ErrorIs(t, awaitErr(t, w), context.Canceled)
	w.Stop()
	assert.Nil(t, w.Err())
	assert.EqualValues(t, 1, c.cancels.Load())
	// The grace bounds both the call (its deadline) and the cancel.
	dls := c.deadlineLog()
	require.Len(t, dls, 2)
	assert.WithinRange(t, dls[0], before.Add(grace), time.Now().Add(grace))
	assert.Equal(t, dls[0], cancelDeadline)
	assert.True(t, dls[1].IsZero(), "Stop clears the deadline")
}

// Ordering: the context ends and the reply arrives while the cancel
// request is still in flight: Stop waits for it, so it cannot reach the
// server during the next call.
func TestReplyWhileCancelInFlight(t *testing.T) {
	var seq, cancelReturned, stopReturned atomic.Int32
	release := make(chan struct{})
	c := newConn(func(context.Context) error {
		<-release
		cancelReturned.Store(seq.Add(1))
		return nil
	})
	w := c.watcher(5*time.Second, 0)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx))
	cancel()
	<-c.started
	assert.ErrorIs(t, w.Err(), context.Canceled)
	stopped := make(chan struct{})
	go func() {
		w.Stop()
		stopReturned.Store(seq.Add(1))
		close(stopped)
	}()
	// Release the cancel a little later: a Stop that did not wait would
	// have returned first (a shorter delay only makes the test weaker).
	time.AfterFunc(20*time.Millisecond, func() { close(release) })
	<-stopped
	assert.Less(t, cancelReturned.Load(), stopReturned.Load(), "Stop returned before the cancel request finished")
	assert.Zero(t, c.running.Load())
	dls := c.deadlineLog()
	require.Len(t, dls, 2)
	assert.True(t, dls[1].IsZero())
}

// Ordering: the context ends and the cancel request fails (no connection
// to the server): the deadline moves to now, so the call ends at once.
func TestContextDoneCancelFailed(t *testing.T) {
	c := newConn(func(context.Context) error { return errors.New("connection refused") })
	const grace = time.Hour
	w := c.watcher(grace, 0)
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	require.NoError(t, w.Start(ctx))
	cancel()
	<-c.started
	assert.ErrorIs(t, awaitErr(t, w), context.Canceled)
	dls := c.deadlineLog()
	require.Len(t, dls, 2)
	assert.True(t, dls[0].After(time.Now().Add(grace/2)), "first the end of the grace")
	assert.True(t, dls[1].Before(time.Now()), "then now, once the cancel failed")
	w.Stop()
	assert.True(t, c.deadlineLog()[2].IsZero())
}

// Ordering: the context ends and the cancel request is never answered (a
// silent network): the cancel's own context ends with the grace, and the
// call's deadline is the same instant.
func TestContextDoneCancelUnanswered(t *testing.T) {
	c := newConn(func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() })
	const grace = 50 * time.Millisecond
	w := c.watcher(grace, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	require.NoError(t, w.Start(ctx))
	cancelDeadline := <-c.started
	assert.ErrorIs(t, awaitErr(t, w), context.DeadlineExceeded)
	dls := c.deadlineLog()
	require.Len(t, dls, 2)
	assert.Equal(t, cancelDeadline, dls[0])
	assert.False(t, dls[1].Before(cancelDeadline), "the cancel gave up at the end of the grace")
	w.Stop()
	assert.Zero(t, c.running.Load())
}

// Ordering: the reply arrives first and the cancel is then attempted by a
// late AfterFunc of the same registration: it finds no call and does
// nothing (the generation check, exercised directly).
func TestLateFireBetweenCalls(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	require.NoError(t, w.Start(ctx))
	gen := w.armedGen
	w.Stop()
	w.fire(gen)
	assert.Zero(t, c.cancels.Load())
}

// A registration left armed for an earlier context can never cancel a
// later call, neither through context.AfterFunc (replaced) nor when its
// AfterFunc had already started (generation).
func TestStaleRegistration(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	ctx1, cancel1 := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx1))
	oldGen := w.armedGen
	w.Stop()
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	require.NoError(t, w.Start(ctx2))
	cancel1()
	w.fire(oldGen) // as if ctx1's AfterFunc had started before it was replaced
	assert.Nil(t, w.Err())
	w.Stop()
	assert.Zero(t, c.cancels.Load())
	assert.Empty(t, c.deadlineLog())
}

// Calls that reuse a context register once and allocate nothing; the kept
// registration still cancels a later call made with that context.
func TestSameContextReused(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx))
	w.Stop()
	allocs := testing.AllocsPerRun(100, func() {
		if err := w.Start(ctx); err != nil {
			t.Fatal(err)
		}
		w.Stop()
	})
	assert.Zero(t, allocs)
	assert.EqualValues(t, 1, w.armedGen)
	require.NoError(t, w.Start(ctx))
	cancel()
	<-c.started
	assert.ErrorIs(t, awaitErr(t, w), context.Canceled)
	w.Stop()
	assert.EqualValues(t, 1, c.cancels.Load())
	// The spent registration is not reused: a new context registers anew.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	require.NoError(t, w.Start(ctx2))
	assert.EqualValues(t, 2, w.armedGen)
	w.Stop()
}

// A context that ends between Start's registration check and the call is
// caught by Start; when the kept registration already fired between calls
// (and so will not fire again), Start still sees the end.
func TestStartWithEndedContext(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, w.Start(ctx))
	w.Stop()
	cancel()
	for range 3 {
		require.ErrorIs(t, w.Start(ctx), context.Canceled)
		assert.False(t, w.InCall())
		assert.Zero(t, c.running.Load(), "no cancel may outlive Start")
	}
	// A fresh registration on an ended context fires at once; Start waits
	// for that cancel if it started.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	require.ErrorIs(t, w.Start(ctx2), context.Canceled)
	assert.Zero(t, c.running.Load())
}

// Timeout applies to calls whose context has no deadline, and only to them.
func TestTimeout(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 20*time.Millisecond)
	require.NoError(t, w.Start(context.Background()))
	<-c.started
	assert.ErrorIs(t, awaitErr(t, w), context.DeadlineExceeded)
	w.Stop()
	assert.Nil(t, w.timeoutCancel)
	assert.Nil(t, w.stop, "the timeout's registration dies with the call")

	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	require.NoError(t, w.Start(ctx))
	assert.Nil(t, w.timeoutCancel)
	w.Stop()
	assert.EqualValues(t, 1, c.cancels.Load())
}

// Deregister may run from another goroutine (a close) while the owner
// starts and stops calls; -race checks the locking.
func TestDeregisterFromAnotherGoroutine(t *testing.T) {
	c := newConn(answered)
	w := c.watcher(time.Second, 0)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				w.Deregister()
			}
		}
	})
	for range 1000 {
		ctx, cancel := context.WithCancel(context.Background())
		require.NoError(t, w.Start(ctx))
		w.Stop()
		cancel()
	}
	close(stop)
	wg.Wait()
	assert.Zero(t, c.cancels.Load())
}

// Every ordering of context end and Stop, run concurrently many times:
// whatever the interleaving, Stop returns with no cancel action running,
// Err is the context's error exactly when a cancel ran, and the deadline
// is cleared last.
func TestRacingOrderings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cancel func(context.Context) error
	}{
		{"answered", answered},
		{"failed", func(context.Context) error { return errors.New("refused") }},
		{"unanswered", func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newConn(tc.cancel)
			c.started = make(chan time.Time, 1000)
			w := c.watcher(time.Millisecond, 0)
			for i := range 300 {
				ctx, cancel := context.WithCancel(context.Background())
				require.NoError(t, w.Start(ctx))
				before := c.cancels.Load()
				go cancel()
				time.Sleep(time.Duration(i%3) * 10 * time.Microsecond) // vary the interleaving
				err := w.Err()
				w.Stop()
				require.Zero(t, c.running.Load())
				if err != nil {
					require.ErrorIs(t, err, context.Canceled)
					require.Equal(t, before+1, c.cancels.Load())
				}
				if c.cancels.Load() > before {
					dls := c.deadlineLog()
					require.True(t, dls[len(dls)-1].IsZero())
				}
				cancel()
			}
		})
	}
}
