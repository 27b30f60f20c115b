package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

// The matrix's new methods behave as their Conn counterparts: a pool
// batch holds its connection until Close; a lease's cursor and callbacks
// end with the lease.
func TestQueryMatrixMethods(t *testing.T) {
	t.Parallel()
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	ctx := ctxT(t)

	var b pg.Batch
	b.Queue("SELECT 1")
	b.Queue("SELECT 2")
	br, err := p.SendBatch(ctx, &b)
	require.NoError(t, err)
	var one, two int
	require.NoError(t, br.QueryRow().Scan(&one))
	require.NoError(t, br.QueryRow().Scan(&two))
	require.NoError(t, br.Close())
	assert.Equal(t, []int{1, 2}, []int{one, two})
	// The only connection came back: this Acquire does not wait.
	pc, err := p.Acquire(ctx)
	require.NoError(t, err)

	var notices []string
	pc.OnNotice(func(n *pg.Notice) { notices = append(notices, n.Message) })
	_, err = pc.Exec(ctx, "DO $$ BEGIN RAISE NOTICE 'hi'; END $$")
	require.NoError(t, err)
	assert.Equal(t, []string{"hi"}, notices)

	_, err = pc.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	cur, err := pc.Cursor(ctx, "SELECT generate_series(1, 5)")
	require.NoError(t, err)
	recs, err := cur.Fetch(ctx, 2)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	require.NoError(t, pc.Release())
	_, err = cur.Fetch(ctx, 2)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased, "a cursor ends with its lease")
	assert.NoError(t, cur.Close(ctx))

	tx, err := p.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	n := 0
	for rec, err := range tx.IterFetchSize(ctx, 2, "SELECT generate_series(1, 5)") {
		require.NoError(t, err)
		n += int(rec.Value(0).(int32))
	}
	assert.Equal(t, 15, n)
	require.NoError(t, tx.Rollback(ctx))
}
