package pg_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// CheckConn: nil on a healthy idle connection; a notification that
// arrived while idle is delivered and the connection stays good; a
// backend killed while idle is reported and the connection closed.
func TestCheckConn(t *testing.T) {
	t.Parallel()
	c := connect(t)
	require.NoError(t, c.CheckConn(ctxT(t)))

	got := make(chan pg.Notification, 1)
	require.NoError(t, c.Listen(ctxT(t), "checkconn", func(n pg.Notification) { got <- n }))
	admin := connect(t)
	_, err := admin.Exec(ctxT(t), "SELECT pg_notify('checkconn', 'x')")
	require.NoError(t, err)
	eventually(t, 10*time.Second, "the notification to be delivered", func() bool {
		require.NoError(t, c.CheckConn(ctxT(t)))
		return len(got) == 1
	})
	assert.Equal(t, "x", (<-got).Payload)

	killBackend(t, admin, int32(c.ServerPID()))
	require.Error(t, c.CheckConn(ctxT(t)))
	assert.True(t, c.IsClosed())
	assert.ErrorIs(t, c.CheckConn(ctxT(t)), pg.ErrConnClosed)
}
