package pg_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Pool.Listen outlives its connection: after the backend is killed it
// reconnects, listens again, says notifications may have been missed
// (Gap), and delivers the ones sent afterwards.
func TestPoolListenSurvivesLostConnection(t *testing.T) {
	t.Parallel()
	p, app := newPool(t, pg.PoolConfig{MinSize: 0, MaxSize: 2})
	got := make(chan pg.Notification, 100)
	stop, err := p.Listen(ctxT(t), "pool_chan", func(n pg.Notification) { got <- n })
	require.NoError(t, err)
	defer stop()
	next := func() pg.Notification { return nextNotification(t, got) }
	admin := connect(t)
	notify := func(payload string) {
		_, err := admin.Exec(ctxT(t), "SELECT pg_notify('pool_chan', $1)", payload)
		require.NoError(t, err)
	}
	notify("before")
	assert.Equal(t, "before", next().Payload)

	pid, err := pg.FetchVal[int32](ctxT(t), admin, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", app)
	require.NoError(t, err)
	killBackend(t, admin, pid)
	n := next()
	assert.True(t, n.Gap, "%+v", n)
	assert.Equal(t, "pool_chan", n.Channel)
	notify("after")
	assert.Equal(t, "after", next().Payload)

	stop()
	eventually(t, 10*time.Second, "the listener's connection to close", func() bool {
		n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'", app)
		return err == nil && n == 0
	})
}
