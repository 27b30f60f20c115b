package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestListenAcrossConnections(t *testing.T) {
	t.Parallel()
	listener := connect(t)
	sender := connect(t)
	ctx := ctxT(t)
	const ch = `Chan "quoted" ünï`

	got := make(chan pg.Notification, 10)
	next := func() pg.Notification { return nextNotification(t, got) }
	require.NoError(t, listener.Listen(ctx, ch, func(n pg.Notification) { got <- n }))
	_, err := sender.Exec(ctx, "SELECT pg_notify($1, $2)", ch, "first")
	require.NoError(t, err)

	// Delivered while idle, without a call.
	n := next()
	assert.Equal(t, ch, n.Channel)
	assert.Equal(t, "first", n.Payload)
	assert.Equal(t, sender.ServerPID(), n.PID)

	// WaitForNotification returns the next one, which the callback also
	// receives.
	wait := make(chan pg.Notification, 1)
	go func() {
		n, err := listener.WaitForNotification(ctx)
		assert.NoError(t, err)
		wait <- n
	}()
	// The wait may begin before or after the notification arrives: send
	// until it returns.
	for i := 0; ; i++ {
		_, err = sender.Exec(ctx, "SELECT pg_notify($1, $2)", ch, "second")
		require.NoError(t, err)
		select {
		case n = <-wait:
		case <-time.After(50 * time.Millisecond):
			continue
		}
		break
	}
	assert.Equal(t, "second", n.Payload)
	assert.Equal(t, "second", next().Payload)

	// A notification sent inside the listener's own call arrives with it.
	for len(got) > 0 {
		<-got
	}
	_, err = listener.Exec(ctx, "SELECT pg_notify($1, 'self')", ch)
	require.NoError(t, err)
	assert.Equal(t, "self", next().Payload)

	// After Unlisten nothing of the channel arrives. Notifications reach
	// a listener in commit order, so when one sent later on another
	// channel has arrived, 'gone' would have arrived before it.
	require.NoError(t, listener.Listen(ctx, "after_unlisten", nil))
	require.NoError(t, listener.Unlisten(ctx, ch))
	_, err = sender.Exec(ctx, "SELECT pg_notify($1, 'gone')", ch)
	require.NoError(t, err)
	_, err = sender.Exec(ctx, "NOTIFY after_unlisten")
	require.NoError(t, err)
	n, err = listener.WaitForNotification(ctx)
	require.NoError(t, err)
	assert.Equal(t, "after_unlisten", n.Channel, "the first notification after Unlisten")

	// A wait that times out returns the context's error.
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	_, err = listener.WaitForNotification(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	for len(got) > 0 {
		assert.NotEqual(t, "gone", (<-got).Payload)
	}
	// The timed-out wait left the connection usable.
	v, err := pg.FetchVal[int32](ctx, listener, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), v)
}

func TestWaitForNotificationQueue(t *testing.T) {
	t.Parallel()
	listener, reading := connectReadSignal(t)
	sender := connect(t)
	ctx := ctxT(t)
	// No callback: notifications are queued for WaitForNotification, also
	// those that arrive during other calls. The sender's commit signals
	// the listener's backend before the sender's Exec returns, so the
	// backend sends them before it answers the listener's next query
	// (PostgresMain processes a pending notify interrupt before
	// ReadyForQuery): the listener's Exec reads them.
	require.NoError(t, listener.Listen(ctx, "q", nil))
	for _, p := range []string{"1", "2", "3"} {
		_, err := sender.Exec(ctx, "SELECT pg_notify('q', $1)", p)
		require.NoError(t, err)
	}
	_, err := listener.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	for _, want := range []string{"1", "2", "3"} {
		n, err := listener.WaitForNotification(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, n.Payload)
	}

	// A wait that starts before the notification is sent: it is sent
	// once the wait is reading from the server.
	done := make(chan pg.Notification, 1)
	drain(reading)
	go func() {
		n, err := listener.WaitForNotification(ctx)
		assert.NoError(t, err)
		done <- n
	}()
	<-reading
	_, err = sender.Exec(ctx, "NOTIFY q, 'late'")
	require.NoError(t, err)
	select {
	case n := <-done:
		assert.Equal(t, "late", n.Payload)
	case <-time.After(30 * time.Second):
		t.Fatal("notification not delivered")
	}

	// Cancellation of a wait.
	cctx, cancel := context.WithCancel(ctx)
	drain(reading)
	go func() { <-reading; cancel() }()
	_, err = listener.WaitForNotification(cctx)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, listener.IsClosed())
}

func TestNoticesFromRaiseNotice(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var a, b []string
	removeA := c.OnNotice(func(n *pg.Notice) { a = append(a, n.Severity+":"+n.Message) })
	c.OnNotice(func(n *pg.Notice) { b = append(b, n.Message) })
	_, err := c.Exec(ctx, "DO $$ BEGIN RAISE NOTICE 'one %', 1; END $$")
	require.NoError(t, err)
	removeA()
	removeA() // idempotent
	_, err = c.Exec(ctx, "DO $$ BEGIN RAISE WARNING 'two'; END $$")
	require.NoError(t, err)
	assert.Equal(t, []string{"NOTICE:one 1"}, a)
	assert.Equal(t, []string{"one 1", "two"}, b)
}

func TestOnTerminate(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	var calls []error
	removed := 0
	remove := c.OnTerminate(func(error) { removed++ })
	c.OnTerminate(func(err error) { calls = append(calls, err) })
	remove()
	require.NoError(t, c.Close(ctx))
	require.NoError(t, c.Close(ctx))
	require.Len(t, calls, 1)
	assert.NoError(t, calls[0], "Close reports nil")
	assert.Zero(t, removed)

	// A connection the server kills reports the error.
	c2 := connect(t)
	got := make(chan error, 1)
	c2.OnTerminate(func(err error) { got <- err })
	killer := connect(t)
	_, err := killer.Exec(ctx, "SELECT pg_terminate_backend($1)", int32(c2.ServerPID()))
	require.NoError(t, err)
	_, err = c2.Exec(ctx, "SELECT 1")
	require.Error(t, err)
	select {
	case err := <-got:
		var pgErr *pg.PgError
		require.ErrorAs(t, err, &pgErr, "the FATAL error that ended the session")
		assert.Equal(t, "57P01", pgErr.Code)
	case <-time.After(10 * time.Second):
		t.Fatal("OnTerminate not called")
	}
}

func TestQueryLogger(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var logged []pg.LoggedQuery
	remove := c.AddQueryLogger(func(q pg.LoggedQuery) { logged = append(logged, q) })

	_, err := c.Exec(ctx, "SELECT $1::int4", 5)
	require.NoError(t, err)
	_, err = c.Fetch(ctx, "SELECT generate_series(1, $1)", 3)
	require.NoError(t, err)
	_, err = c.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)

	require.Len(t, logged, 3)
	assert.Equal(t, "SELECT $1::int4", logged[0].SQL)
	assert.Equal(t, []any{5}, logged[0].Args)
	assert.NoError(t, logged[0].Err)
	assert.Equal(t, c.ServerPID(), logged[0].PID)
	assert.False(t, logged[0].Start.IsZero())
	assert.Equal(t, int64(3), logged[1].Tag.RowsAffected())
	assert.Positive(t, logged[1].Duration)
	var pgErr *pg.PgError
	assert.ErrorAs(t, logged[2].Err, &pgErr)

	remove()
	_, err = c.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
	assert.Len(t, logged, 3)
}
