package pg_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Notifications reach the callbacks of an idle connection without a call,
// in order; a callback may use the connection itself.
func TestNotificationsArriveWhileIdle(t *testing.T) {
	t.Parallel()
	c := connect(t)
	got := make(chan pg.Notification, 100)
	pids := make(chan int32, 100)
	require.NoError(t, c.Listen(ctxT(t), "idle_chan", func(n pg.Notification) {
		got <- n
		if n.Payload == "query" { // the callback uses the connection
			pid, err := pg.FetchVal[int32](ctxT(t), c, "SELECT pg_backend_pid()")
			require.NoError(t, err)
			pids <- pid
		}
	}))
	sender := connect(t)
	for i := range 50 {
		_, err := sender.Exec(ctxT(t), "SELECT pg_notify('idle_chan', $1)", fmt.Sprint(i))
		require.NoError(t, err)
	}
	for i := range 50 {
		select {
		case n := <-got:
			assert.Equal(t, fmt.Sprint(i), n.Payload)
		case <-time.After(10 * time.Second):
			t.Fatalf("notification %d did not arrive while the connection was idle", i)
		}
	}
	_, err := sender.Exec(ctxT(t), "SELECT pg_notify('idle_chan', 'query')")
	require.NoError(t, err)
	select {
	case pid := <-pids:
		assert.Equal(t, int32(c.ServerPID()), pid)
	case <-time.After(10 * time.Second):
		t.Fatal("the callback's own query did not run")
	}
	<-got
	// The connection still serves calls, and their notifications too.
	v, err := pg.FetchVal[int32](ctxT(t), c, "SELECT 1 FROM pg_notify('idle_chan', 'in-call')")
	require.NoError(t, err)
	assert.Equal(t, int32(1), v)
	select {
	case n := <-got:
		assert.Equal(t, "in-call", n.Payload)
	case <-time.After(10 * time.Second):
		t.Fatal("a notification sent during a call was not delivered")
	}
}

// The end of an idle session reaches OnTerminate without a call.
func TestTerminationArrivesWhileIdle(t *testing.T) {
	t.Parallel()
	c := connect(t)
	reason := make(chan error, 1)
	c.OnTerminate(func(err error) { reason <- err })
	_, err := c.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)
	admin := connect(t)
	_, err = admin.Exec(ctxT(t), "SELECT pg_terminate_backend($1)", int32(c.ServerPID()))
	require.NoError(t, err)
	select {
	case err := <-reason:
		var pe *pg.PgError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "57P01", pe.Code)
	case <-time.After(10 * time.Second):
		t.Fatal("OnTerminate did not run while the connection was idle")
	}
	assert.True(t, c.IsClosed())
}

// AddListener's remove function drops one callback; UNLISTEN goes with
// the channel's last.
func TestAddListenerRemove(t *testing.T) {
	t.Parallel()
	c := connect(t)
	var mu sync.Mutex
	var a, b []string
	removeA, err := c.AddListener(ctxT(t), "rm_chan", func(n pg.Notification) { mu.Lock(); a = append(a, n.Payload); mu.Unlock() })
	require.NoError(t, err)
	removeB, err := c.AddListener(ctxT(t), "rm_chan", func(n pg.Notification) { mu.Lock(); b = append(b, n.Payload); mu.Unlock() })
	require.NoError(t, err)
	notify := func(p string) {
		_, err := c.Exec(ctxT(t), "SELECT pg_notify('rm_chan', $1)", p)
		require.NoError(t, err)
	}
	notify("1")
	require.NoError(t, removeA(ctxT(t)))
	notify("2")
	listening := func() []string {
		var chans []string
		rows, err := c.Query(ctxT(t), "SELECT pg_listening_channels()")
		require.NoError(t, err)
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			chans = append(chans, s)
		}
		return chans
	}
	assert.Equal(t, []string{"rm_chan"}, listening())
	require.NoError(t, removeB(ctxT(t)))
	assert.Empty(t, listening())
	notify("3")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []string{"1"}, a)
	assert.Equal(t, []string{"1", "2"}, b)
}

// nextNotification waits, with a generous bound, for the next
// notification a test's callback sent to ch.
func nextNotification(t *testing.T, ch <-chan pg.Notification) pg.Notification {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("no notification")
		return pg.Notification{}
	}
}
