package pg_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

type collectUser struct {
	ID      int64
	Name    string
	EMail   *string `pg:"email"`
	Created time.Time
	Ignored string `pg:"-"`
	collectMeta
}

type collectMeta struct {
	Score pg.Numeric
}

func TestCollectRows(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const q = `SELECT i AS id, 'u' || i AS name, CASE WHEN i = 2 THEN NULL ELSE 'u' || i || '@x' END AS email,
		'2020-01-01'::timestamptz + i * interval '1 day' AS created, (i * 1.5)::numeric(10,2) AS score
		FROM generate_series(1, $1::int) i`
	users, err := pg.CollectRows[collectUser](ctx, c, q, 3)
	require.NoError(t, err)
	require.Len(t, users, 3)
	assert.Equal(t, int64(2), users[1].ID)
	assert.Equal(t, "u2", users[1].Name)
	assert.Nil(t, users[1].EMail)
	require.NotNil(t, users[2].EMail)
	assert.Equal(t, "u3@x", *users[2].EMail)
	assert.True(t, users[0].Created.Equal(time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "4.50", users[2].Score.String())

	// Empty result: an empty, non-nil slice.
	users, err = pg.CollectRows[collectUser](ctx, c, q, 0)
	require.NoError(t, err)
	assert.NotNil(t, users)
	assert.Empty(t, users)

	// Pointers to structs, scalars, Records and maps.
	ptrs, err := pg.CollectRows[*collectUser](ctx, c, q, 2)
	require.NoError(t, err)
	require.Len(t, ptrs, 2)
	assert.Equal(t, "u2", ptrs[1].Name)
	ids, err := pg.CollectRows[int64](ctx, c, "SELECT generate_series(1, 3)")
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2, 3}, ids)
	times, err := pg.CollectRows[time.Time](ctx, c, "SELECT '2020-01-01'::date")
	require.NoError(t, err)
	assert.Equal(t, []time.Time{date(2020, 1, 1)}, times)
	nums, err := pg.CollectRows[pg.Numeric](ctx, c, "SELECT 1.50::numeric")
	require.NoError(t, err)
	assert.Equal(t, "1.50", nums[0].String())
	recs, err := pg.CollectRows[pg.Record](ctx, c, "SELECT 1 AS a, 'x' AS b")
	require.NoError(t, err)
	assert.Equal(t, "x", recs[0].Get("b"))
	maps, err := pg.CollectRows[map[string]any](ctx, c, "SELECT 1 AS a, 'x' AS b")
	require.NoError(t, err)
	assert.Equal(t, []map[string]any{{"a": int32(1), "b": "x"}}, maps)

	// A column without a field, and a multi-column result into a scalar.
	_, err = pg.CollectRows[collectUser](ctx, c, "SELECT 1 AS id, 2 AS nope")
	var unmapped *pg.UnmappedColumnError
	require.ErrorAs(t, err, &unmapped)
	assert.Equal(t, "nope", unmapped.Column)
	_, err = pg.CollectRows[int64](ctx, c, "SELECT 1, 2")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "one-column")
	// The connection is free after each.
	n, err := pg.FetchVal[int32](ctx, c, "SELECT 7")
	require.NoError(t, err)
	assert.Equal(t, int32(7), n)
}

func TestCollectOne(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	u, err := pg.CollectOne[collectUser](ctx, c, "SELECT 5 AS id, 'five' AS name")
	require.NoError(t, err)
	assert.Equal(t, collectUser{ID: 5, Name: "five"}, u)
	_, err = pg.CollectOne[collectUser](ctx, c, "SELECT 5 AS id WHERE false")
	assert.ErrorIs(t, err, pg.ErrNoRows)
	s, err := pg.CollectOne[string](ctx, c, "SELECT 'a' UNION ALL SELECT 'b'")
	require.NoError(t, err)
	assert.Equal(t, "a", s)
}

// Record: index and name access, duplicate names (the last wins, as in
// asyncpg), Len, Columns, Values, Map, Scan, ScanStruct, and Rows.Values.
func TestRecordAPI(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rec, err := c.FetchRow(ctx, "SELECT 1 AS a, 'first' AS dup, NULL::int4 AS n, 'last' AS dup")
	require.NoError(t, err)
	assert.Equal(t, 4, rec.Len())
	assert.Equal(t, []string{"a", "dup", "n", "dup"}, rec.Columns())
	assert.Equal(t, []any{int32(1), "first", nil, "last"}, rec.Values())
	assert.Equal(t, "first", rec.Value(1))
	assert.Nil(t, rec.Value(9))
	assert.Equal(t, "last", rec.Get("dup"))
	v, ok := rec.Lookup("n")
	assert.True(t, ok)
	assert.Nil(t, v)
	_, ok = rec.Lookup("missing")
	assert.False(t, ok)
	assert.Equal(t, map[string]any{"a": int32(1), "dup": "last", "n": nil}, rec.Map())
	assert.Equal(t, `<Record a=1 dup="first" n=NULL dup="last">`, rec.String())

	var a int64
	var d1, d2 string
	var n *int32
	require.NoError(t, rec.Scan(&a, &d1, &n, &d2))
	assert.Equal(t, int64(1), a)
	assert.Equal(t, "first", d1)
	assert.Equal(t, "last", d2)
	assert.Nil(t, n)
	err = rec.Scan(&a, &d1, &a, &d2)
	require.Error(t, err, "NULL into int64")
	assert.Contains(t, err.Error(), `"n"`)
	require.Error(t, rec.Scan(&a))

	var st struct {
		A   int32
		Dup string
		N   pg.Null[int32]
	}
	require.NoError(t, rec.ScanStruct(&st))
	assert.Equal(t, int32(1), st.A)
	assert.Equal(t, "last", st.Dup, "the last duplicate wins")
	assert.False(t, st.N.Valid)

	// Rows.Values decodes each column's default Go value.
	rows, err := c.Query(ctx, "SELECT 1::int2, 'x', NULL::text, '{1,2}'::int8[]")
	require.NoError(t, err)
	require.True(t, rows.Next())
	vals, err := rows.Values()
	require.NoError(t, err)
	require.NoError(t, rows.Close())
	assert.Equal(t, []any{int16(1), "x", nil, []any{int64(1), int64(2)}}, vals)

	// Records from Fetch outlive the query and its buffers.
	recs, err := c.Fetch(ctx, "SELECT repeat(i::text, 3) AS s, decode('00ff', 'hex') AS b FROM generate_series(1, 50) i")
	require.NoError(t, err)
	require.Len(t, recs, 50)
	assert.Equal(t, "111", recs[0].Get("s"))
	assert.Equal(t, "505050", recs[49].Get("s"))
	assert.Equal(t, []byte{0, 0xff}, recs[0].Get("b"))
}
