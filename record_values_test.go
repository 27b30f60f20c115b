package pg_test

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

// "char" (pg_type.typtype and friends) decodes as its one-character text,
// as asyncpg and psql show it, and still scans into a byte.
func TestCharDecodesAsString(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rec, err := c.FetchRow(ctx, "SELECT typtype, typcategory FROM pg_type WHERE typname = 'int4'")
	require.NoError(t, err)
	assert.Equal(t, "b", rec.Get("typtype"))
	assert.Equal(t, "N", rec.Get("typcategory"))
	assert.Equal(t, `<Record typtype="b" typcategory="N">`, rec.String())

	var b byte
	var s string
	require.NoError(t, rec.Scan(&b, &s), "Record.Scan takes what Rows.Scan takes")
	assert.Equal(t, byte('b'), b)
	assert.Equal(t, "N", s)
	require.NoError(t, c.QueryRow(ctx, `SELECT 'x'::"char"`).Scan(&b))
	assert.Equal(t, byte('x'), b)

	v, err := pg.FetchVal[any](ctx, c, `SELECT E'\\377'::"char"`)
	require.NoError(t, err)
	assert.Equal(t, `\377`, v, "a byte past ASCII is charout's octal escape")
	var back byte
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::"char"`, v).Scan(&back), "and goes back as itself")
	assert.Equal(t, byte(0xff), back)
}

// Record.Scan accepts whatever Rows.Scan accepts for the same columns,
// and its errors name the column's type.
func TestRecordScanMatchesRowsScan(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const sql = `SELECT '2000-01-02'::date, '10.0.0.1'::inet, '{"a": 1}'::jsonb, ARRAY[1,2]::int4[], ROW(1, 'x'), 'q'::"char"`
	type obj struct{ A int }
	scanAll := func(scan func(...any) error) (string, netip.Addr, obj, pg.Array[int32], []any, string, error) {
		var d string
		var ip netip.Addr
		var o obj
		var arr pg.Array[int32]
		var row []any
		var ch string
		err := scan(&d, &ip, &o, &arr, &row, &ch)
		return d, ip, o, arr, row, ch, err
	}
	var viaRows, viaRecord []any
	d, ip, o, arr, row, ch, err := scanAll(c.QueryRow(ctx, sql).Scan)
	require.NoError(t, err)
	viaRows = []any{d, ip, o, arr, row, ch}
	rec, err := c.FetchRow(ctx, sql)
	require.NoError(t, err)
	d, ip, o, arr, row, ch, err = scanAll(rec.Scan)
	require.NoError(t, err)
	viaRecord = []any{d, ip, o, arr, row, ch}
	assert.Equal(t, viaRows, viaRecord)
	assert.Equal(t, []any{"2000-01-02", netip.MustParseAddr("10.0.0.1"), obj{A: 1}, pg.Array[int32]{Elements: []int32{1, 2}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 1}}}, []any{int32(1), "x"}, "q"}, viaRecord)

	var st struct {
		D  string `pg:"date"`
		IP string `pg:"inet"`
	}
	rec, err = c.FetchRow(ctx, `SELECT '2000-01-02'::date AS date, '10.0.0.1'::inet AS inet`)
	require.NoError(t, err)
	require.NoError(t, rec.ScanStruct(&st))
	assert.Equal(t, "2000-01-02", st.D)
	assert.Equal(t, "10.0.0.1", st.IP)

	rec, err = c.FetchRow(ctx, `SELECT 'x'::text AS t`)
	require.NoError(t, err)
	var n int
	err = rec.Scan(&n)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "text", "the error names the column's type")
	assert.NotContains(t, err.Error(), "scan  into")
}

// json and jsonb print as JSON text in a Record and in Values, and
// marshal as themselves.
func TestJSONFormatsAsText(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rec, err := c.FetchRow(ctx, `SELECT '{"a": [1, 2]}'::jsonb AS j, '[true]'::json AS k`)
	require.NoError(t, err)
	assert.Equal(t, `<Record j={"a": [1, 2]} k=[true]>`, rec.String())
	assert.Equal(t, `[{"a": [1, 2]} [true]]`, fmt.Sprint(rec.Values()))
	assert.Equal(t, pg.JSON(`[true]`), rec.Get("k"))
	out, err := json.Marshal(rec.Map())
	require.NoError(t, err)
	assert.JSONEq(t, `{"j": {"a": [1, 2]}, "k": [true]}`, string(out))

	var raw json.RawMessage
	require.NoError(t, rec.Scan(nil, &raw))
	assert.Equal(t, json.RawMessage(`[true]`), raw)
	var back string
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::jsonb::text`, rec.Get("j")).Scan(&back))
	assert.Equal(t, `{"a": [1, 2]}`, back)
}
