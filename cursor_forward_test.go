package pg_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Forward returns the number of rows it skipped. MOVE FORWARD 0 does not
// skip: it re-positions on the current row, and the server's tag counts
// that row (MOVE 1 after a FETCH), so Forward(0) must report 0 and leave
// the position alone. A negative count is refused with a clear error (a
// protocol portal cannot scroll backwards), and a count beyond the
// server's int4 FETCH count is not a syntax error.
func TestCursorForwardCounts(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(ctx)
	cur, err := tx.Cursor(ctx, "SELECT i FROM generate_series(1, 10) AS i")
	require.NoError(t, err)

	n, err := cur.Forward(ctx, 0) // before the first row
	require.NoError(t, err)
	assert.Zero(t, n)
	rec, err := cur.FetchRow(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(1), rec.Value(0))

	n, err = cur.Forward(ctx, 0) // on row 1
	require.NoError(t, err)
	assert.Zero(t, n)
	rec, err = cur.FetchRow(ctx)
	require.NoError(t, err)
	assert.Equal(t, int32(2), rec.Value(0), "Forward(0) moved the cursor")

	_, err = cur.Forward(ctx, -1)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Forward")
	assert.Contains(t, err.Error(), "-1")

	n, err = cur.Forward(ctx, math.MaxInt32+10)
	require.NoError(t, err)
	assert.Equal(t, int64(8), n)
	n, err = cur.Forward(ctx, 0) // after the last row
	require.NoError(t, err)
	assert.Zero(t, n)
	_, err = cur.FetchRow(ctx)
	assert.ErrorIs(t, err, pg.ErrNoRows)
	require.NoError(t, tx.Commit(ctx))
}
