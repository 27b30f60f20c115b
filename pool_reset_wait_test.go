package pg

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg/pgtest"
)

// WaitForNotification on a connection whose deferred session reset is
// still owed a reply — sent at a pool Release (pendingSyncs > 0, nothing
// left to send) or still queued — reads that reply first instead of
// taking it for a stray message and breaking the connection.

// listenerWithReset opens a connection listening on channel, with
// work_mem changed and a reset of it queued; flushed says whether the reset
// has already been written, as Release does when the connection goes idle.
func listenerWithReset(t *testing.T, channel, reset string, flushed bool) *Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	require.NoError(t, c.Listen(ctx, channel, nil))
	_, err = c.Exec(ctx, "SET work_mem = '7MB'")
	require.NoError(t, err)
	c.queueSessionReset(reset)
	if flushed {
		require.NoError(t, c.flushPending())
		require.Empty(t, c.pendingSend)
	}
	require.Equal(t, 1, c.pendingSyncs)
	return c
}

func notify(t *testing.T, channel, payload string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	require.NoError(t, err)
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "SELECT pg_notify($1, $2)", channel, payload)
	require.NoError(t, err)
}

func TestWaitForNotificationReadsOwedReset(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		flushed bool
		closes  bool // a Close for an evicted statement is queued too
	}{
		{name: "sent at release", flushed: true},
		{name: "still queued", flushed: false},
		{name: "still queued behind a Close", flushed: false, closes: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			channel := "owed_reset_" + time.Now().Format("150405.000000000")
			c := listenerWithReset(t, channel, "RESET ALL", tc.flushed)
			if tc.closes {
				c.queueClose("pg_s_never_prepared") // closing a missing statement is no error
			}
			notify(t, channel, "hello")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			n, err := c.WaitForNotification(ctx)
			require.NoError(t, err)
			assert.Equal(t, channel, n.Channel)
			assert.Equal(t, "hello", n.Payload)
			assert.Zero(t, c.pendingSyncs)
			assert.Empty(t, c.pendingSend)
			assert.NoError(t, c.resetErr)
			assert.False(t, c.IsClosed())

			// The reset ran and the connection is in step.
			wm, err := FetchVal[string](ctx, c, "SELECT current_setting('work_mem')")
			require.NoError(t, err)
			assert.Equal(t, "4MB", wm)

			// With nothing owed any more, a wait times out and leaves the
			// connection usable.
			short, cancelShort := context.WithTimeout(ctx, 200*time.Millisecond)
			defer cancelShort()
			_, err = c.WaitForNotification(short)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			one, err := FetchVal[int32](ctx, c, "SELECT 1")
			require.NoError(t, err)
			assert.Equal(t, int32(1), one)
		})
	}
}

// A failed reset is reported at once rather than waited behind: the
// session is in a failed transaction.
func TestWaitForNotificationReportsFailedReset(t *testing.T) {
	t.Parallel()
	for _, flushed := range []bool{true, false} {
		c := listenerWithReset(t, "failed_reset_chan", "BEGIN; SELECT 1/0; COMMIT", flushed)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		start := time.Now()
		_, err := c.WaitForNotification(ctx)
		cancel()
		var pgErr *PgError
		require.ErrorAs(t, err, &pgErr, "flushed=%v", flushed)
		assert.Equal(t, "22012", pgErr.Code)
		assert.Less(t, time.Since(start), 20*time.Second, "reported, not waited for")
		assert.Same(t, c.resetErr, err)
		assert.False(t, c.IsClosed())
		assert.Equal(t, byte('E'), c.TxStatus())
	}
}

// The pool's PoolConn no longer works around it: a wait right after
// Acquire, with the last Release's reset unanswered, times out normally
// and the connection stays healthy; after a failed reset it returns a
// PoolResetError.
func TestPoolConnWaitAfterRelease(t *testing.T) {
	t.Parallel()
	p := newResetPool(t)
	ctx := context.Background()
	pc := acquireUnpeeked(t, p, func() {
		pc, err := p.Acquire(ctx)
		require.NoError(t, err)
		_, err = pc.Exec(ctx, "SET work_mem = '7MB'")
		require.NoError(t, err)
		require.NoError(t, pc.Release())
	})
	require.Equal(t, 1, pc.h.conn.pendingSyncs, "the reset's reply is owed")
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	_, err := pc.WaitForNotification(short)
	cancel()
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	wm, err := FetchVal[string](ctx, pc, "SELECT current_setting('work_mem')")
	require.NoError(t, err)
	assert.Equal(t, "4MB", wm)
	require.NoError(t, pc.Release())

	pc = acquireUnpeeked(t, p, func() { leaseWithFailingReset(t, p) })
	closedBefore := p.Stats().ClosedResetFailed // a retry in acquireUnpeeked closed one
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	_, err = pc.WaitForNotification(cctx)
	cancel()
	var re *PoolResetError
	require.ErrorAs(t, err, &re)
	assert.False(t, errors.Is(err, context.DeadlineExceeded))
	require.NoError(t, pc.Release())
	assert.EqualValues(t, closedBefore+1, p.Stats().ClosedResetFailed)
}
