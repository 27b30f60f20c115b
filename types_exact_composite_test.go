package pg_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// Item 1: a struct that maps to no attribute is not a composite value, and
// a []any element of an array of composites is one composite.
func TestExactCompositeParameters(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TYPE exact19_comp AS (a int4, b text, c int8)")
	require.NoError(t, err)
	t.Cleanup(func() {
		cc := connect(t)
		_, _ = cc.Exec(context.Background(), "DROP TYPE IF EXISTS exact19_comp CASCADE")
	})
	_, err = c.Exec(ctx, "CREATE DOMAIN exact19_dom AS exact19_comp")
	require.NoError(t, err)
	text := func(q string, arg any) (string, error) {
		var s string
		err := c.QueryRow(ctx, q, arg).Scan(&s)
		return s, err
	}
	type hidden struct{ x int }
	type skipped struct {
		A int `pg:"-"`
	}
	for _, v := range []any{time.Time{}, time.Now(), pg.NumericFromInt64(5), hidden{x: 1}, skipped{A: 1}, &hidden{}} {
		for _, q := range []string{"SELECT $1::exact19_comp::text", "SELECT $1::exact19_dom::text", "SELECT $1::exact19_comp[]::text"} {
			arg := v
			if q == "SELECT $1::exact19_comp[]::text" {
				arg = []any{v}
			}
			s, err := text(q, arg)
			if assert.Error(t, err, "%s with %T stored %s", q, v, s) {
				var ae *pg.ArgumentError
				assert.True(t, errors.As(err, &ae), "%v", err)
				assert.Contains(t, err.Error(), "exact19_comp")
				assert.Contains(t, err.Error(), "cannot encode Go type")
			}
		}
	}
	// A struct whose fields are all NULL is still a composite of NULLs.
	type partial struct {
		A *int
	}
	s, err := text("SELECT $1::exact19_comp::text", partial{})
	require.NoError(t, err)
	assert.Equal(t, "(,,)", s)

	// Arrays of composites: each []any element is one composite's fields,
	// as the server reads '{"(,,5)"}'.
	var want string
	require.NoError(t, c.QueryRow(ctx, `SELECT '{"(,,5)"}'::exact19_comp[]::text`).Scan(&want))
	for _, arg := range []any{
		[]any{[]any{nil, nil, 5}},
		[][]any{{nil, nil, 5}},
		[]any{map[string]any{"c": 5}},
		pg.Array[any]{Elements: []any{[]any{nil, nil, 5}}},
	} {
		s, err := text("SELECT $1::exact19_comp[]::text", arg)
		if assert.NoError(t, err, "%#v", arg) {
			assert.Equal(t, want, s, "%#v", arg)
		}
		s, err = text("SELECT $1::exact19_dom[]::text", arg)
		if assert.NoError(t, err, "%#v", arg) {
			assert.Equal(t, want, s, "domain %#v", arg)
		}
	}
	require.NoError(t, c.QueryRow(ctx, `SELECT '{"(1,x,)","(,,5)"}'::exact19_comp[]::text`).Scan(&want))
	s, err = text("SELECT $1::exact19_comp[]::text", []any{[]any{1, "x", nil}, []any{nil, nil, 5}})
	require.NoError(t, err)
	assert.Equal(t, want, s)
	// Two dimensions of composites through pg.Array.
	require.NoError(t, c.QueryRow(ctx, `SELECT '{{"(1,x,)"},{"(,,5)"}}'::exact19_comp[]::text`).Scan(&want))
	s, err = text("SELECT $1::exact19_comp[]::text", pg.Array[any]{
		Dims:     []pg.ArrayDimension{{Length: 2, LowerBound: 1}, {Length: 1, LowerBound: 1}},
		Elements: []any{[]any{1, "x", nil}, []any{nil, nil, 5}},
	})
	require.NoError(t, err)
	assert.Equal(t, want, s)
}
