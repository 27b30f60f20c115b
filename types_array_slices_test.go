package pg_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// checkArraySlice scans the array lit of type typ into a []T and checks
// it against the server's own elements: unnest's rows, each scanned into a
// T on its own (a scalar scan, no array code involved).
func checkArraySlice[T any](t *testing.T, c *pg.Conn, typ, lit string) {
	t.Helper()
	ctx := ctxT(t)
	var got []T
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::text::"+typ, lit).Scan(&got), "%s %s", typ, lit)
	rows, err := c.Query(ctx, "SELECT unnest($1::text::"+typ+")", lit)
	require.NoError(t, err)
	want := []T{}
	for rows.Next() {
		var e T
		require.NoError(t, rows.Scan(&e))
		want = append(want, e)
	}
	require.NoError(t, rows.Close())
	assert.Equal(t, fmt.Sprintf("%#v", want), fmt.Sprintf("%#v", got), "%s %s into %T", typ, lit, got)
}

// Arrays of the built-in scalar types into plain Go slices (the inline
// paths of codec/array_inline.go), against the server's elements.
func TestArrayIntoSlices(t *testing.T) {
	t.Parallel()
	c := connect(t)
	for _, lit := range []string{"{}", "{1}", "{-32768,0,32767}", "[0:2]={5,6,7}"} {
		checkArraySlice[int16](t, c, "int2[]", lit)
		checkArraySlice[int32](t, c, "int2[]", lit)
		checkArraySlice[int64](t, c, "int2[]", lit)
		checkArraySlice[int](t, c, "int2[]", lit)
	}
	for _, lit := range []string{"{}", "{-2147483648,0,2147483647}", "{32767,-1}"} {
		checkArraySlice[int32](t, c, "int4[]", lit)
		checkArraySlice[int64](t, c, "int4[]", lit)
		checkArraySlice[int](t, c, "int4[]", lit)
	}
	checkArraySlice[int16](t, c, "int4[]", "{32767,-32768}")
	for _, lit := range []string{"{}", "{-9223372036854775808,9223372036854775807}", "{1,2}"} {
		checkArraySlice[int64](t, c, "int8[]", lit)
		checkArraySlice[int](t, c, "int8[]", lit)
	}
	checkArraySlice[int32](t, c, "int8[]", "{2147483647,-2147483648}")
	for _, lit := range []string{"{}", "{0,4294967295,2147483648}"} {
		checkArraySlice[uint32](t, c, "oid[]", lit)
		checkArraySlice[int64](t, c, "oid[]", lit)
	}
	checkArraySlice[bool](t, c, "bool[]", "{t,f,t}")
	checkArraySlice[float64](t, c, "float8[]", "{1.5,-0,Infinity,1e308,NaN}")
	checkArraySlice[float32](t, c, "float4[]", "{1.5,-Infinity,3.4e38}")
	for _, typ := range []string{"text[]", "name[]", "varchar[]", "bpchar[]"} {
		checkArraySlice[string](t, c, typ, `{"",a,"b c","ünï","x,y"}`)
	}
}

// What an array that does not fit the slice gives: an error naming the
// element or the shape, and the destination left as it was.
func TestArrayIntoSlicesRefused(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	for _, tc := range []struct {
		sql  string
		dst  any
		want []string
	}{
		{"SELECT '{{1,2},{3,4}}'::int4[]", &[]int32{9}, []string{"2-dimensional array", "[]int32"}},
		{"SELECT '{1,NULL,3}'::int4[]", &[]int32{9}, []string{"element 2", "NULL"}},
		{"SELECT '{a,NULL}'::text[]", &[]string{"s"}, []string{"element 2", "NULL"}},
		{"SELECT '{1,2147483648}'::int8[]", &[]int32{9}, []string{"element 2", "2147483648"}},
		{"SELECT '{40000}'::int4[]", &[]int16{9}, []string{"element 1", "40000"}},
		{"SELECT '{-1}'::int4[]", &[]uint32{9}, []string{"element 1", "-1"}},
		{"SELECT '{t,NULL}'::bool[]", &[]bool{true}, []string{"element 2", "NULL"}},
	} {
		before := fmt.Sprintf("%v", tc.dst)
		err := c.QueryRow(ctx, tc.sql).Scan(tc.dst)
		if assert.Error(t, err, tc.sql) {
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w, tc.sql)
			}
		}
		assert.Equal(t, before, fmt.Sprintf("%v", tc.dst), "%s: destination unchanged", tc.sql)
	}
	ints := []int32{9}
	require.NoError(t, c.QueryRow(ctx, "SELECT NULL::int4[]").Scan(&ints))
	assert.Nil(t, ints, "a NULL array is a nil slice")
	require.NoError(t, c.QueryRow(ctx, "SELECT '{}'::int4[]").Scan(&ints))
	assert.Equal(t, []int32{}, ints, "an empty array is an empty slice")
}
