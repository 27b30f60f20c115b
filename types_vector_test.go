package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// int2vector and oidvector (pg_index.indkey, pg_proc.proargtypes) take Go
// slices as parameters, alone and in arrays, and read their text form
// ("1 2 3"); the server accepts them only as one dimension from 0 without
// NULL, and an empty one only as text.
func TestVectorTypes(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	for _, tc := range []struct {
		sql  string
		arg  any
		want string
	}{
		{"SELECT $1::int2vector::text", []int16{1, -2, 3}, "1 -2 3"},
		{"SELECT $1::int2vector::text", []int16{}, ""},
		{"SELECT $1::oidvector::text", []uint32{16, 23}, "16 23"},
		{"SELECT $1::int2vector[]::text", [][]int16{{1, 2}, {}, {3}}, `{"1 2","",3}`},
		{"SELECT $1::int2vector[]::text", []any{[]any{int16(1), int16(2)}, nil}, `{"1 2",NULL}`},
		{"SELECT $1::int2vector[]::text", []any{[]any{nil}, []any{[]any{int16(4)}}}, `{{NULL},{4}}`},
	} {
		var got string
		require.NoError(t, c.QueryRow(ctx, tc.sql, tc.arg).Scan(&got), "%s %#v", tc.sql, tc.arg)
		assert.Equal(t, tc.want, got, "%#v", tc.arg)
	}
	var keys []int16
	require.NoError(t, c.QueryRow(ctx, "SELECT '5 6 7'::int2vector").Scan(&keys))
	assert.Equal(t, []int16{5, 6, 7}, keys)
	// Through the text form (an array of vectors read as text).
	var vs []any
	require.NoError(t, c.QueryRow(ctx, `SELECT '{"1 2",""}'::int2vector[]::text::int2vector[]`).Scan(&vs))
	assert.Len(t, vs, 2)
	_, err := c.Exec(ctx, "SELECT $1::int2vector", []any{int16(1), nil})
	assert.ErrorContains(t, err, "cannot hold NULL")
}
