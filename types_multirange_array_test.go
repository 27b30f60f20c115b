package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A 2-D array of multiranges read into any goes back as the same value:
// its rows are []any, which must not be taken for multiranges.
func TestArrayOfMultirangesRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	const lit = `{{"{[1,3),[5,7)}","{}"},{NULL,"{[9,10)}"}}`
	var v any
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::text::int4multirange[]", lit).Scan(&v))
	var back string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int4multirange[]::text", v).Scan(&back))
	assert.Equal(t, lit, back)
}

// An array whose bounds do not start at 1 reads into any as a pg.Array,
// which keeps them: sent back, it is the same array.
func TestArrayLowerBoundsRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	for _, lit := range []string{"[0:1]={7,8}", "[7:7]={3564330}", "[-2:-1][3:3]={{1},{NULL}}"} {
		var v any
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::text::int4[]", lit).Scan(&v))
		var back string
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::int4[]::text", v).Scan(&back))
		assert.Equal(t, lit, back)
		rec, err := c.FetchRow(ctx, "SELECT $1::text::int4[]", lit)
		require.NoError(t, err)
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::int4[]::text", rec.Value(0)).Scan(&back))
		assert.Equal(t, lit, back, "through a Record")
	}
	var plain []int32
	require.NoError(t, c.QueryRow(ctx, "SELECT '[0:1]={7,8}'::int4[]").Scan(&plain))
	assert.Equal(t, []int32{7, 8}, plain, "a Go slice takes the elements")
}
