package pg_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
)

// setupSchema creates a fresh schema for one test (the server is shared
// with every other test) and drops it at the end.
func setupSchema(t *testing.T, c *pg.Conn, name, ddl string) {
	t.Helper()
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE; CREATE SCHEMA "+name+"; SET search_path = "+name+", public; "+ddl)
	require.NoError(t, err)
	t.Cleanup(func() {
		c2 := connect(t)
		_, _ = c2.Exec(ctx, "DROP SCHEMA IF EXISTS "+name+" CASCADE")
	})
}

const derivedDDL = `
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy', 'très bien');
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE DOMAIN smallposint AS posint CHECK (VALUE < 100);
CREATE DOMAIN email AS text;
CREATE TYPE addr AS (street text, zip int4, tags text[]);
CREATE TYPE person AS (name text, age smallposint, home addr, mood mood, born date);
CREATE TYPE floatrange AS RANGE (subtype = float8);
CREATE DOMAIN intarr AS int4[];
CREATE TYPE withtext AS (id int4, v tsvector);
CREATE TYPE geotext AS (v tsvector, b box, p path, c circle, ch "char", s pg_snapshot, n numeric, ts timestamptz, arr box[]);
CREATE TYPE shrunk AS (a int4, gone text, b text);
ALTER TYPE shrunk DROP ATTRIBUTE gone;
`

type addr struct {
	Street string
	Zip    *int32
	Tags   []string
}

type withText struct {
	ID int32
	V  string
}

type geoText struct {
	V   string
	B   pg.Box
	P   pg.Path
	C   pg.Circle
	Ch  byte
	S   pg.Snapshot
	N   pg.Numeric
	TS  time.Time
	Arr []pg.Box
}

// taggedAddr and taggedPerson map addr and person by `pg` tags, with
// Go names that match no attribute and fields the tags leave out.
type taggedAddr struct {
	Road     string    `pg:"street"`
	Postcode *int32    `pg:"zip"`
	Labels   []*string `pg:"tags"`
	Note     string    `pg:"-"`
}

type taggedPerson struct {
	Who      string      `pg:"name"`
	Years    int16       `pg:"age"`
	Where    *taggedAddr `pg:"home"`
	Feeling  string      `pg:"mood"`
	Birthday time.Time   `pg:"born,omitempty"`
	Ignored  int         `pg:"-"`
}

const (
	addrCols   = "street,zip,tags"
	personCols = "name,age,home,mood,born"
)

// record is the pg.Record of the comma-separated column names and values.
func record(cols string, values ...any) pg.Record {
	return codec.NewRecord(codec.NewColumns(strings.Split(cols, ",")), values)
}

type person struct {
	Name string
	Age  int32
	Home addr
	Mood string
	Born time.Time
}

// derivedCases need introspection: enums, domains (through a chain),
// composites (nested, with arrays and NULLs), custom ranges and arrays of
// each.
func derivedCases() []typeCase {
	zip := int32(12345)
	return []typeCase{
		{typ: "mood", lit: "happy", want: "happy"},
		{typ: "mood", lit: "très bien", want: "très bien"},
		{typ: "mood[]", lit: `{sad,NULL,"très bien"}`, want: []*string{ptr("sad"), nil, ptr("très bien")}, def: []any{"sad", nil, "très bien"}},
		{typ: "posint", lit: "7", want: int32(7)},
		{typ: "smallposint", lit: "99", want: int32(99)},
		{typ: "smallposint[]", lit: "{1,2}", want: []int32{1, 2}, def: []any{int32(1), int32(2)}},
		{typ: "email", lit: "a@b.c", want: "a@b.c"},
		{typ: "addr", lit: `("1 Main St",12345,"{a,""b c""}")`, want: addr{Street: "1 Main St", Zip: &zip, Tags: []string{"a", "b c"}},
			def: record(addrCols, "1 Main St", int32(12345), []any{"a", "b c"})},
		{typ: "addr", lit: `(x,,)`, want: addr{Street: "x"}, def: record(addrCols, "x", nil, nil)},
		{typ: "person", lit: `(Ann,42,"(Elm,,{})",ok,1980-05-06)`, want: person{Name: "Ann", Age: 42, Home: addr{Street: "Elm", Tags: []string{}}, Mood: "ok", Born: date(1980, 5, 6)},
			def: record(personCols, "Ann", int32(42), record(addrCols, "Elm", nil, []any{}), "ok", date(1980, 5, 6))},
		// Struct fields matched by `pg` tags (and `pg:"-"` skipped), both
		// ways.
		{typ: "addr", lit: `("2 Side Rd",,"{x,NULL}")`, want: taggedAddr{Road: "2 Side Rd", Labels: []*string{ptr("x"), nil}},
			def: record(addrCols, "2 Side Rd", nil, []any{"x", nil})},
		{typ: "person", lit: `(Bo,7,"(Elm,1,{})",sad,2000-01-01)`, want: taggedPerson{Who: "Bo", Years: 7, Where: &taggedAddr{Road: "Elm", Postcode: ptr(int32(1)), Labels: []*string{}}, Feeling: "sad", Birthday: date(2000, 1, 1)},
			def: record(personCols, "Bo", int32(7), record(addrCols, "Elm", int32(1), []any{}), "sad", date(2000, 1, 1))},
		{typ: "addr[]", lit: `{"(a,1,{})",NULL}`, want: []*addr{{Street: "a", Zip: ptr(int32(1)), Tags: []string{}}, nil},
			def: []any{record(addrCols, "a", int32(1), []any{}), nil}},
		{typ: "intarr", lit: "{1,2,NULL}", want: []*int32{ptr(int32(1)), ptr(int32(2)), nil}, def: []any{int32(1), int32(2), nil}},
		// A composite with a text-only attribute travels as text.
		{typ: "withtext", lit: `(1,"'a' 'b'")`, want: withText{ID: 1, V: "'a' 'b'"}, def: record("id,v", int32(1), "'a' 'b'"), textFormat: true},
		{typ: "geotext", lit: `('a',"(3,4),(1,2)","[(1,2),(3,4)]","<(1,2),3>",x,10:20:15,1.50,"2020-01-01 00:00:00+00","{(3,4),(1,2);(2,2),(1,1)}")`, want: geoText{
			V: "'a'", B: pg.Box{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, P: pg.Path{P: []pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}}},
			C: pg.Circle{P: pg.Point{X: 1, Y: 2}, R: 3}, Ch: 'x', S: pg.Snapshot{Xmin: 10, Xmax: 20, Xip: []uint64{15}}, N: mustNumeric("1.50"),
			TS: date(2020, 1, 1), Arr: []pg.Box{{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, {P: [2]pg.Point{{X: 2, Y: 2}, {X: 1, Y: 1}}}},
		}, def: record("v,b,p,c,ch,s,n,ts,arr", "'a'", pg.Box{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, pg.Path{P: []pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}}},
			pg.Circle{P: pg.Point{X: 1, Y: 2}, R: 3}, "x", pg.Snapshot{Xmin: 10, Xmax: 20, Xip: []uint64{15}}, mustNumeric("1.50"),
			date(2020, 1, 1), []any{pg.Box{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, pg.Box{P: [2]pg.Point{{X: 2, Y: 2}, {X: 1, Y: 1}}}}), textFormat: true},
		{typ: "shrunk", lit: "(1,x)", want: struct {
			A int32
			B string
		}{1, "x"}, def: record("a,b", int32(1), "x")},
		{typ: "floatrange", lit: "[1.5,2.5)", want: pg.Range[float64]{Lower: 1.5, Upper: 2.5, LowerInc: true}, def: pg.Range[any]{Lower: 1.5, Upper: 2.5, LowerInc: true}},
		{typ: "floatrange", lit: "empty", want: pg.Range[float64]{Empty: true}, def: pg.Range[any]{Empty: true}},
		{typ: "floatmultirange", lit: "{[1,2),[3,4)}", want: []pg.Range[float64]{{Lower: 1, Upper: 2, LowerInc: true}, {Lower: 3, Upper: 4, LowerInc: true}},
			def: []pg.Range[any]{{Lower: 1.0, Upper: 2.0, LowerInc: true}, {Lower: 3.0, Upper: 4.0, LowerInc: true}}},
	}
}

func TestTypesDerivedRoundTrip(t *testing.T) {
	t.Parallel()
	c := connect(t)
	setupSchema(t, c, "types_derived", derivedDDL)
	runTypeCases(t, c, derivedCases())
}

// A fresh connection introspects a type it first meets as an array of a
// composite of domains and enums, in a schema off the search_path.
func TestTypesIntrospectionFresh(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_fresh", derivedDDL)
	fresh := connect(t)
	var people []person
	err := fresh.QueryRow(ctx, `SELECT ARRAY['(Ann,42,"(Elm,7,{x})",ok,1980-05-06)'::types_fresh.person, NULL]`).Scan(&people)
	require.Error(t, err, "a NULL element into a non-pointer struct")
	var pp []*person
	require.NoError(t, fresh.QueryRow(ctx, `SELECT ARRAY['(Ann,42,"(Elm,7,{x})",ok,1980-05-06)'::types_fresh.person, NULL]`).Scan(&pp))
	require.Len(t, pp, 2)
	assert.Equal(t, "Elm", pp[0].Home.Street)
	assert.Nil(t, pp[1])
	var moods []string
	require.NoError(t, fresh.QueryRow(ctx, `SELECT $1::types_fresh.mood[]`, []string{"sad", "ok"}).Scan(&moods))
	assert.Equal(t, []string{"sad", "ok"}, moods)
	_, err = fresh.Exec(ctx, `SELECT $1::types_fresh.mood`, "nope")
	var pe *pg.PgError
	require.ErrorAs(t, err, &pe, "an invalid label is the server's error")
	assert.Equal(t, "22P02", pe.Code)
}

// Composites also decode into Records, maps and []any, and encode from
// maps, Records and []any; an unknown map key is an error.
func TestTypesComposite(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_composite", derivedDDL)

	const lit = `SELECT '(Ann,42,"(Elm,7,{x})",ok,1980-05-06)'::person`
	rec, err := pg.FetchVal[pg.Record](ctx, c, lit)
	require.NoError(t, err)
	assert.Equal(t, []string{"name", "age", "home", "mood", "born"}, rec.Columns())
	assert.Equal(t, "Ann", rec.Get("name"))
	assert.Equal(t, int32(42), rec.Get("age"))
	home, ok := rec.Get("home").(pg.Record)
	require.True(t, ok, "nested composite decodes as a Record, got %T", rec.Get("home"))
	assert.Equal(t, int32(7), home.Get("zip"))
	assert.Equal(t, []any{"x"}, home.Get("tags"))

	m, err := pg.FetchVal[map[string]any](ctx, c, lit)
	require.NoError(t, err)
	assert.Equal(t, "ok", m["mood"])

	// Encode from a map (missing keys are NULL), []any and a Record.
	var p person
	err = c.QueryRow(ctx, "SELECT $1::person", map[string]any{"name": "Bo", "age": 3, "home": map[string]any{"street": "s", "tags": []string{}}, "mood": "sad", "born": date(2000, 1, 1)}).Scan(&p)
	require.NoError(t, err)
	assert.Equal(t, person{Name: "Bo", Age: 3, Home: addr{Street: "s", Tags: []string{}}, Mood: "sad", Born: date(2000, 1, 1)}, p)
	var s string
	err = c.QueryRow(ctx, "SELECT $1::addr::text", []any{"q", 5, nil}).Scan(&s)
	require.NoError(t, err)
	assert.Equal(t, "(q,5,)", s)
	err = c.QueryRow(ctx, "SELECT $1::person::text", rec).Scan(&s)
	require.NoError(t, err)
	assert.Equal(t, `(Ann,42,"(Elm,7,{x})",ok,1980-05-06)`, s)

	_, err = c.Exec(ctx, "SELECT $1::addr", map[string]any{"street": "s", "nope": 1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"nope"`)
	assert.Contains(t, err.Error(), "$1")

	// The domain's CHECK is the server's: a violation is a PgError.
	_, err = c.Exec(ctx, "SELECT $1::posint", 0)
	var pe *pg.PgError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "23514", pe.Code)

	// Anonymous records decode as Records with f1..fn names, and into structs.
	rec, err = pg.FetchVal[pg.Record](ctx, c, "SELECT ROW(1, 'a', NULL::int8, ROW(2.5::float8))")
	require.NoError(t, err)
	assert.Equal(t, []string{"f1", "f2", "f3", "f4"}, rec.Columns())
	assert.Equal(t, []any{int32(1), "a", nil, rec.Value(3)}, rec.Values())
	inner, ok := rec.Value(3).(pg.Record)
	require.True(t, ok)
	assert.Equal(t, 2.5, inner.Value(0))
	var anon struct {
		F1 int64
		F2 string
		F3 *int64
		F4 pg.Record
	}
	require.NoError(t, c.QueryRow(ctx, "SELECT ROW(1, 'a', NULL::int8, ROW(2.5::float8))").Scan(&anon))
	assert.Equal(t, int64(1), anon.F1)
	assert.Nil(t, anon.F3)
	recs, err := pg.FetchVal[[]pg.Record](ctx, c, "SELECT ARRAY[ROW(1,'x'), ROW(2,'y')]")
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "y", recs[1].Value(1))
}

// A composite altered under a cached type reports OutdatedSchemaError;
// ReloadSchemaState makes it work again.
func TestTypesReloadSchemaState(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupSchema(t, c, "types_reload", "CREATE TYPE pair AS (a int4, b text); CREATE TABLE tp (p pair); INSERT INTO tp VALUES ('(1,x)')")

	var rec pg.Record
	require.NoError(t, c.QueryRow(ctx, "SELECT p FROM tp").Scan(&rec))
	assert.Equal(t, int32(1), rec.Get("a"))

	other := connect(t)
	_, err := other.Exec(ctx, "ALTER TYPE types_reload.pair ADD ATTRIBUTE c int8")
	require.NoError(t, err)
	_, err = other.Exec(ctx, "UPDATE types_reload.tp SET p.c = 9")
	require.NoError(t, err)

	err = c.QueryRow(ctx, "SELECT p FROM tp").Scan(&rec)
	var outdated *pg.OutdatedSchemaError
	require.ErrorAs(t, err, &outdated, "got %v", err)
	assert.Contains(t, err.Error(), "retry")

	// The connection is still usable, and works after the reload.
	require.NoError(t, c.ReloadSchemaState(ctx))
	require.NoError(t, c.QueryRow(ctx, "SELECT p FROM tp").Scan(&rec))
	assert.Equal(t, []string{"a", "b", "c"}, rec.Columns())
	assert.Equal(t, int64(9), rec.Get("c"))
}

// Types the driver has no codec for (an extension's citext) travel as text.
func TestTypesUnknownBaseTypeAsText(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	setupExtensionSchema(t, c, "types_citext", "citext", "")
	var s string
	var arr []string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::citext, ARRAY['A','b']::citext[]", "MiXeD").Scan(&s, &arr))
	assert.Equal(t, "MiXeD", s)
	assert.Equal(t, []string{"A", "b"}, arr)
	var eq bool
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::citext = 'mixed'", "MIXED").Scan(&eq))
	assert.True(t, eq)
}

// Errors: out of range, wrong Go type and NULL into a non-pointer are
// clear errors naming the argument or column, and the connection stays
// usable after each.
func TestTypesErrors(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	stillUsable := func() {
		t.Helper()
		var n int32
		require.NoError(t, c.QueryRow(ctx, "SELECT 1").Scan(&n))
		assert.Equal(t, int32(1), n)
	}

	_, err := c.Exec(ctx, "SELECT $1::int4, $2::int2", 1, 32768)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "32768 out of range for int2")
	assert.Contains(t, err.Error(), "$2")
	var argErr *pg.ArgumentError
	assert.ErrorAs(t, err, &argErr)
	stillUsable()

	_, err = c.Exec(ctx, "SELECT $1::int8", uint64(1<<63))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "out of range for int8")
	stillUsable()

	_, err = c.Exec(ctx, "SELECT $1::int4", time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "$1")
	assert.Contains(t, err.Error(), "time.Duration")
	stillUsable()

	_, err = c.Exec(ctx, "SELECT $1::uuid", struct{ X int }{1})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "struct { X int }")
	stillUsable()

	var n int32
	err = c.QueryRow(ctx, "SELECT NULL::int4 AS maybe").Scan(&n)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"maybe"`)
	assert.Contains(t, err.Error(), "NULL")
	var nullErr *pg.NullError
	assert.ErrorAs(t, err, &nullErr)
	stillUsable()

	var small int16
	err = c.QueryRow(ctx, "SELECT 70000::int4 AS big").Scan(&small)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"big"`)
	assert.Contains(t, err.Error(), "out of range")
	stillUsable()

	var tm time.Time
	err = c.QueryRow(ctx, "SELECT 'infinity'::timestamptz AS ts").Scan(&tm)
	var infErr *pg.InfinityError
	require.ErrorAs(t, err, &infErr)
	assert.Contains(t, err.Error(), `"ts"`)
	stillUsable()

	var ragged [][]int32
	err = c.QueryRow(ctx, "SELECT '{1,2}'::int4[]").Scan(&ragged)
	require.Error(t, err, "a 1-D array into [][]int32")
	stillUsable()
	_, err = c.Exec(ctx, "SELECT $1::int4[]", [][]int32{{1, 2}, {3}})
	require.Error(t, err)
	assert.Contains(t, strings.ToLower(err.Error()), "ragged")
	stillUsable()

	var d time.Duration
	err = c.QueryRow(ctx, "SELECT 'x'::text AS s").Scan(&d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "time.Duration")
	stillUsable()

	// Scanning NULL into pointers, Null[T] and *any is fine.
	var p *int32
	var nn pg.Null[int32]
	var a any = 5
	require.NoError(t, c.QueryRow(ctx, "SELECT NULL::int4, NULL::int4, NULL::int4").Scan(&p, &nn, &a))
	assert.Nil(t, p)
	assert.False(t, nn.Valid)
	assert.Nil(t, a)
	assert.False(t, errors.Is(err, pg.ErrNoRows))
}
