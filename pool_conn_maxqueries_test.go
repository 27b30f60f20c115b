package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Calls made through PoolConn.Conn count toward MaxQueries, as its doc
// says: a connection that reached the limit that way is replaced.
func TestPoolConnCallsCountTowardMaxQueries(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1, MaxQueries: 3})
	ctx := ctxT(t)
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)
	c := pc.Conn()
	pid := c.ServerPID()
	for range 3 {
		_, err = c.Exec(ctx, "SELECT 1")
		require.NoError(t, err)
	}
	require.NoError(t, pc.Release())

	pc, err = p.Acquire(ctx)
	require.NoError(t, err)
	defer pc.Release()
	assert.NotEqual(t, pid, pc.Conn().ServerPID(), "the connection that ran MaxQueries calls was replaced")
}
