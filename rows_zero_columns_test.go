package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A row of zero columns is a row: on a fresh connection (whose DataRow
// scratch has never held values) it must not read as "no current row".
func TestRowsOfZeroColumns(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	rows, err := c.Query(ctx, "SELECT FROM generate_series(1, $1::int)", 2)
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		n++
		vals, err := rows.Values()
		require.NoError(t, err)
		assert.Empty(t, vals)
		require.NoError(t, rows.Scan())
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, 2, n)

	recs, err := connect(t).Fetch(ctx, "SELECT FROM generate_series(1, 2)")
	require.NoError(t, err)
	assert.Len(t, recs, 2)
}
