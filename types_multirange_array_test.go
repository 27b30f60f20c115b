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
