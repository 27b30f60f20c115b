package pg_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func ptr[T any](v T) *T { return &v }

// containerCases cover arrays, ranges and multiranges of built-in types.
func containerCases() []typeCase {
	tstz := func(s string) time.Time {
		t, err := time.Parse("2006-01-02 15:04:05Z07", s)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	return []typeCase{
		{typ: "int4[]", lit: "{}", want: []int32{}, def: []any{}},
		{typ: "int4[]", lit: "{1,2,3}", want: []int32{1, 2, 3}, def: []any{int32(1), int32(2), int32(3)}},
		{typ: "int4[]", lit: "{1,NULL,3}", want: []*int32{ptr(int32(1)), nil, ptr(int32(3))}, def: []any{int32(1), nil, int32(3)}},
		{typ: "int4[]", lit: "{1,NULL,3}", want: []pg.Null[int32]{pg.NullOf(int32(1)), {}, pg.NullOf(int32(3))}, def: []any{int32(1), nil, int32(3)}},
		{typ: "int8[]", lit: "{{1,2},{3,4}}", want: [][]int64{{1, 2}, {3, 4}}, def: []any{[]any{int64(1), int64(2)}, []any{int64(3), int64(4)}}},
		{typ: "int4[]", lit: "{{{1,2},{3,4}},{{5,6},{7,8}}}", want: [][][]int32{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}, def: []any{[]any{[]any{int32(1), int32(2)}, []any{int32(3), int32(4)}}, []any{[]any{int32(5), int32(6)}, []any{int32(7), int32(8)}}}},
		{typ: "int4[]", lit: "[2:3]={1,2}", want: pg.Array[int32]{Elements: []int32{1, 2}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 2}}}, def: pg.Array[any]{Elements: []any{int32(1), int32(2)}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 2}}}}, // bounds kept (issue 19)
		{typ: "int2[]", lit: "[0:1][-1:0]={{1,2},{3,4}}", want: pg.Array[int16]{Elements: []int16{1, 2, 3, 4}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 0}, {Length: 2, LowerBound: -1}}}, def: pg.Array[any]{Elements: []any{int16(1), int16(2), int16(3), int16(4)}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 0}, {Length: 2, LowerBound: -1}}}},
		{typ: "text[]", lit: `{"a,b",NULL,"c\"d","NULL","",x}`, want: []*string{ptr("a,b"), nil, ptr(`c"d`), ptr("NULL"), ptr(""), ptr("x")}, def: []any{"a,b", nil, `c"d`, "NULL", "", "x"}},
		{typ: "text[]", lit: `{"é ✓","{}","\\"}`, want: []string{"é ✓", "{}", `\`}, def: []any{"é ✓", "{}", `\`}},
		{typ: "varchar[]", lit: "{a,b}", want: []string{"a", "b"}, def: []any{"a", "b"}},
		{typ: "bool[]", lit: "{t,f}", want: []bool{true, false}, def: []any{true, false}},
		{typ: "float8[]", lit: "{NaN,Infinity,-Infinity,1.5}", want: []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1.5}, def: []any{math.NaN(), math.Inf(1), math.Inf(-1), 1.5}},
		{typ: "numeric[]", lit: "{1.00,NaN,-Infinity}", want: []pg.Numeric{mustNumeric("1.00"), pg.NumericNaN(), pg.NumericInf(-1)}, def: []any{mustNumeric("1.00"), pg.NumericNaN(), pg.NumericInf(-1)}},
		{typ: "uuid[]", lit: "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", want: []pg.UUID{mustUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}, def: []any{mustUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}},
		{typ: "bytea[]", lit: `{"\\x00ff",NULL}`, want: [][]byte{{0, 0xff}, nil}, def: []any{[]byte{0, 0xff}, nil}},
		{typ: "jsonb[]", lit: `{"{\"a\": 1}",null}`, want: []json.RawMessage{json.RawMessage(`{"a": 1}`), nil}, def: []any{pg.JSON(`{"a": 1}`), nil}, text: `{"{\"a\": 1}",NULL}`},
		{typ: "timestamptz[]", lit: `{"2020-01-01 00:00:00+00",infinity}`, want: []pg.Timestamp{{Time: tstz("2020-01-01 00:00:00Z")}, {InfinityModifier: pg.Infinity}}, def: []any{tstz("2020-01-01 00:00:00Z"), pg.Timestamp{InfinityModifier: pg.Infinity}}},
		{typ: "date[]", lit: "{2020-01-01,1999-12-31}", want: []time.Time{date(2020, 1, 1), date(1999, 12, 31)}, def: []any{date(2020, 1, 1), date(1999, 12, 31)}},
		{typ: "interval[]", lit: `{"1 day",-00:00:01}`, want: []pg.Interval{{Days: 1}, {Microseconds: -1e6}}, def: []any{pg.Interval{Days: 1}, pg.Interval{Microseconds: -1e6}}},
		{typ: "inet[]", lit: "{10.0.0.1/32,::1/128}", want: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("::1/128")}, def: []any{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("::1/128")}, text: "{10.0.0.1,::1}"},
		{typ: "box[]", lit: "{(3,4),(1,2);(7,8),(5,6)}", want: []pg.Box{{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, {P: [2]pg.Point{{X: 7, Y: 8}, {X: 5, Y: 6}}}}, def: []any{pg.Box{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, pg.Box{P: [2]pg.Point{{X: 7, Y: 8}, {X: 5, Y: 6}}}}},
		{typ: `"char"[]`, lit: "{a,b}", want: []string{"a", "b"}, def: []any{"a", "b"}},
		{typ: `"char"[]`, lit: "{a,b}", want: []byte("ab"), def: []any{"a", "b"}, noRoundTrip: true},
		{typ: "tsvector[]", lit: `{"'a' 'b'"}`, want: []string{"'a' 'b'"}, def: []any{"'a' 'b'"}, textFormat: true},
		{typ: "int4range", lit: "[1,5)", want: pg.Range[int32]{Lower: 1, Upper: 5, LowerInc: true}, def: pg.Range[any]{Lower: int32(1), Upper: int32(5), LowerInc: true}},
		{typ: "int4range", lit: "empty", want: pg.Range[int32]{Empty: true}, def: pg.Range[any]{Empty: true}},
		{typ: "int4range", lit: "(,)", want: pg.Range[int32]{LowerInf: true, UpperInf: true}, def: pg.Range[any]{LowerInf: true, UpperInf: true}},
		{typ: "int8range", lit: "(,3]", want: pg.Range[int64]{LowerInf: true, Upper: 4}, def: pg.Range[any]{LowerInf: true, Upper: int64(4)}, text: "(,4)"},
		{typ: "numrange", lit: "[1.50,2.5]", want: pg.Range[pg.Numeric]{Lower: mustNumeric("1.50"), Upper: mustNumeric("2.5"), LowerInc: true, UpperInc: true}, def: pg.Range[any]{Lower: mustNumeric("1.50"), Upper: mustNumeric("2.5"), LowerInc: true, UpperInc: true}},
		{typ: "daterange", lit: "[2020-01-01,2020-02-01)", want: pg.Range[time.Time]{Lower: date(2020, 1, 1), Upper: date(2020, 2, 1), LowerInc: true}, def: pg.Range[any]{Lower: date(2020, 1, 1), Upper: date(2020, 2, 1), LowerInc: true}},
		{typ: "daterange", lit: "[2020-01-01,infinity)", want: pg.Range[pg.Date]{Lower: pg.Date{Time: date(2020, 1, 1)}, Upper: pg.Date{InfinityModifier: pg.Infinity}, LowerInc: true}, def: pg.Range[any]{Lower: date(2020, 1, 1), Upper: pg.Date{InfinityModifier: pg.Infinity}, LowerInc: true}},
		{typ: "tsrange", lit: `["2020-01-01 00:00:00",)`, want: pg.Range[time.Time]{Lower: date(2020, 1, 1), LowerInc: true, UpperInf: true}, def: pg.Range[any]{Lower: date(2020, 1, 1), LowerInc: true, UpperInf: true}},
		{typ: "tstzrange", lit: `["2020-01-01 00:00:00+00","2021-01-01 00:00:00+00"]`, want: pg.Range[time.Time]{Lower: date(2020, 1, 1), Upper: date(2021, 1, 1), LowerInc: true, UpperInc: true}, def: pg.Range[any]{Lower: date(2020, 1, 1), Upper: date(2021, 1, 1), LowerInc: true, UpperInc: true}},
		// 3-D arrays beyond int4, with NULLs and special floats.
		{typ: "text[]", lit: `{{{a,"b c"},{NULL,d}},{{"",f},{"\\",h}}}`, want: [][][]*string{{{ptr("a"), ptr("b c")}, {nil, ptr("d")}}, {{ptr(""), ptr("f")}, {ptr(`\`), ptr("h")}}},
			def: []any{[]any{[]any{"a", "b c"}, []any{nil, "d"}}, []any{[]any{"", "f"}, []any{`\`, "h"}}}},
		{typ: "float8[]", lit: "{{{1.5,NaN},{-Infinity,0}},{{1e+300,-2},{3,Infinity}}}", want: [][][]float64{{{1.5, math.NaN()}, {math.Inf(-1), 0}}, {{1e300, -2}, {3, math.Inf(1)}}},
			def: []any{[]any{[]any{1.5, math.NaN()}, []any{math.Inf(-1), 0.0}}, []any{[]any{1e300, -2.0}, []any{3.0, math.Inf(1)}}}},
		// Ranges with infinite (not unbounded) bounds, and empty ranges.
		{typ: "tstzrange", lit: "[-infinity,infinity]", want: pg.Range[pg.Timestamp]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true, UpperInc: true},
			def: pg.Range[any]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true, UpperInc: true}},
		{typ: "tstzrange", lit: `(-infinity,"2020-01-01 00:00:00+00")`, want: pg.Range[pg.Timestamp]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{Time: date(2020, 1, 1)}},
			def: pg.Range[any]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: date(2020, 1, 1)}},
		{typ: "tsrange", lit: `["2020-01-01 00:00:00",infinity)`, want: pg.Range[pg.Timestamp]{Lower: pg.Timestamp{Time: date(2020, 1, 1)}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true},
			def: pg.Range[any]{Lower: date(2020, 1, 1), Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true}},
		{typ: "tsrange", lit: "(-infinity,infinity)", want: pg.Range[pg.Timestamp]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}},
			def: pg.Range[any]{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}}},
		{typ: "numrange", lit: "empty", want: pg.Range[pg.Numeric]{Empty: true}, def: pg.Range[any]{Empty: true}},
		{typ: "daterange", lit: "empty", want: pg.Range[time.Time]{Empty: true}, def: pg.Range[any]{Empty: true}},
		{typ: "daterange", lit: "[-infinity,2020-01-01)", want: pg.Range[pg.Date]{Lower: pg.Date{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Date{Time: date(2020, 1, 1)}, LowerInc: true},
			def: pg.Range[any]{Lower: pg.Date{InfinityModifier: pg.NegativeInfinity}, Upper: date(2020, 1, 1), LowerInc: true}},
		{typ: "int4multirange", lit: "{}", want: []pg.Range[int32]{}, def: []pg.Range[any]{}},
		{typ: "int4multirange", lit: "{[1,2),[5,7)}", want: []pg.Range[int32]{{Lower: 1, Upper: 2, LowerInc: true}, {Lower: 5, Upper: 7, LowerInc: true}}, def: []pg.Range[any]{{Lower: int32(1), Upper: int32(2), LowerInc: true}, {Lower: int32(5), Upper: int32(7), LowerInc: true}}},
		{typ: "datemultirange", lit: "{[2020-01-01,2020-01-05),[2020-02-01,)}", want: []pg.Range[time.Time]{{Lower: date(2020, 1, 1), Upper: date(2020, 1, 5), LowerInc: true}, {Lower: date(2020, 2, 1), LowerInc: true, UpperInf: true}}, def: []pg.Range[any]{{Lower: date(2020, 1, 1), Upper: date(2020, 1, 5), LowerInc: true}, {Lower: date(2020, 2, 1), LowerInc: true, UpperInf: true}}},
		{typ: "int8multirange", lit: "{(,-9223372036854775807),[1,3),[10,)}", want: []pg.Range[int64]{{LowerInf: true, Upper: math.MinInt64 + 1}, {Lower: 1, Upper: 3, LowerInc: true}, {Lower: 10, LowerInc: true, UpperInf: true}},
			def: []pg.Range[any]{{LowerInf: true, Upper: int64(math.MinInt64 + 1)}, {Lower: int64(1), Upper: int64(3), LowerInc: true}, {Lower: int64(10), LowerInc: true, UpperInf: true}}},
		{typ: "nummultirange", lit: "{[1.50,2.5],(3,NaN)}", want: []pg.Range[pg.Numeric]{{Lower: mustNumeric("1.50"), Upper: mustNumeric("2.5"), LowerInc: true, UpperInc: true}, {Lower: mustNumeric("3"), Upper: pg.NumericNaN()}},
			def: []pg.Range[any]{{Lower: mustNumeric("1.50"), Upper: mustNumeric("2.5"), LowerInc: true, UpperInc: true}, {Lower: mustNumeric("3"), Upper: pg.NumericNaN()}}},
		{typ: "nummultirange", lit: "{}", want: []pg.Range[pg.Numeric]{}, def: []pg.Range[any]{}},
		{typ: "tsmultirange", lit: `{["2020-01-01 00:00:00","2020-01-02 00:00:00.5"),["2021-01-01 00:00:00",)}`, want: []pg.Range[time.Time]{{Lower: date(2020, 1, 1), Upper: time.Date(2020, 1, 2, 0, 0, 0, 5e8, time.UTC), LowerInc: true}, {Lower: date(2021, 1, 1), LowerInc: true, UpperInf: true}},
			def: []pg.Range[any]{{Lower: date(2020, 1, 1), Upper: time.Date(2020, 1, 2, 0, 0, 0, 5e8, time.UTC), LowerInc: true}, {Lower: date(2021, 1, 1), LowerInc: true, UpperInf: true}}},
		{typ: "tstzmultirange", lit: `{(-infinity,"2020-01-01 00:00:00+00"],["2021-01-01 00:00:00+00",infinity)}`, want: []pg.Range[pg.Timestamp]{{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: pg.Timestamp{Time: date(2020, 1, 1)}, UpperInc: true}, {Lower: pg.Timestamp{Time: date(2021, 1, 1)}, Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true}},
			def: []pg.Range[any]{{Lower: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}, Upper: date(2020, 1, 1), UpperInc: true}, {Lower: date(2021, 1, 1), Upper: pg.Timestamp{InfinityModifier: pg.Infinity}, LowerInc: true}}},
		{typ: "tstzmultirange", lit: `{["2020-01-01 00:00:00+00","2020-06-01 00:00:00+00")}`, want: []pg.Range[time.Time]{{Lower: date(2020, 1, 1), Upper: date(2020, 6, 1), LowerInc: true}},
			def: []pg.Range[any]{{Lower: date(2020, 1, 1), Upper: date(2020, 6, 1), LowerInc: true}}},
		{typ: "int4range[]", lit: `{"[1,2)",empty}`, want: []pg.Range[int32]{{Lower: 1, Upper: 2, LowerInc: true}, {Empty: true}}, def: []any{pg.Range[any]{Lower: int32(1), Upper: int32(2), LowerInc: true}, pg.Range[any]{Empty: true}}},
	}
}

func TestTypesContainerRoundTrip(t *testing.T) {
	t.Parallel()
	c := connect(t)
	runTypeCases(t, c, containerCases())
}

// Every scalar case as ARRAY[<lit>::T, NULL]::T[], for each type of the
// scalar table that has an array type: decoded into []*T and into
// []pg.Null[T] (and *any as []any{default, nil}), sent back as that Go
// slice through $1::T[], and checked against the server's text of the
// array both times.
func TestTypesScalarArrays(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var cases []typeCase
	types := map[string]bool{}
	for _, tc := range scalarCases() {
		var hasArray bool
		var delim string
		err := c.QueryRow(ctx, "SELECT typarray <> 0, typdelim::text FROM pg_catalog.pg_type WHERE oid = $1::text::regtype", tc.typ).Scan(&hasArray, &delim)
		require.NoError(t, err, tc.typ)
		if !hasArray {
			continue
		}
		types[tc.typ] = true
		cases = append(cases, scalarArrayCase(tc, delim[0], false), scalarArrayCase(tc, delim[0], true))
	}
	// All 54 types of the scalar table have array types in PostgreSQL 15;
	// a broken lookup must not silently shrink the test.
	require.GreaterOrEqual(t, len(types), 54, "types with arrays: %v", types)
	runTypeCases(t, c, cases)
}

// scalarArrayCase makes the two-element array case of tc (its value, then
// NULL) as a []*T, or a []pg.Null[T] when nullElems; delim is the element
// type's array delimiter.
func scalarArrayCase(tc typeCase, delim byte, nullElems bool) typeCase {
	elem := tc.text
	if elem == "" {
		elem = tc.lit
	}
	// array_out uses the element's output function, which differs from the
	// ::text cast of the scalar table for three types.
	switch {
	case tc.typ == "inet":
		// inet_out leaves out a full-length netmask; ::text shows it.
		if p, err := netip.ParsePrefix(elem); err == nil && p.Bits() == p.Addr().BitLen() {
			elem = p.Addr().String()
		}
	case tc.typ == "bpchar" || strings.HasPrefix(tc.typ, "char("):
		elem = tc.want.(string) // bpcharout keeps the padding ::text trims
	case tc.typ == "bool":
		elem = map[bool]string{true: "t", false: "f"}[tc.want.(bool)]
	}
	gt := reflect.TypeOf(tc.want)
	var want reflect.Value
	if nullElems {
		want = reflect.ValueOf(nullPair(tc.want))
	} else {
		want = reflect.MakeSlice(reflect.SliceOf(reflect.PointerTo(gt)), 2, 2)
		p := reflect.New(gt)
		p.Elem().Set(reflect.ValueOf(tc.want))
		want.Index(0).Set(p)
	}
	def := tc.def
	if def == nil {
		def = tc.want
	}
	return typeCase{
		typ:         tc.typ + "[]",
		lit:         "{" + arrayElemText(elem, delim) + string(delim) + "NULL}",
		expr:        fmt.Sprintf("ARRAY[%s::%s, NULL]::%[2]s[]", sqlQuote(tc.lit), tc.typ),
		want:        want.Interface(),
		def:         []any{def, nil},
		textFormat:  tc.textFormat,
		noRoundTrip: tc.noRoundTrip,
	}
}

// arrayElemText quotes an element as PostgreSQL's array_out does
// (src/backend/utils/adt/arrayfuncs.c): in double quotes when it is empty,
// spells NULL, or holds a quote, backslash, brace, the delimiter or white
// space; with quotes and backslashes escaped.
func arrayElemText(s string, delim byte) string {
	quote := s == "" || strings.EqualFold(s, "NULL")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch ch := s[i]; ch {
		case '"', '\\':
			quote = true
			b.WriteByte('\\')
		case '{', '}', delim, ' ', '\t', '\n', '\r', '\v', '\f':
			quote = true
		}
		b.WriteByte(s[i])
	}
	if quote {
		return `"` + b.String() + `"`
	}
	return s
}

// nullPair returns []pg.Null[T]{NullOf(v), {}} for v of type T (Go has no
// run-time instantiation of generics, hence the table of the scalar
// table's Go types).
func nullPair(v any) any {
	f, ok := nullPairs[reflect.TypeOf(v)]
	if !ok {
		panic(fmt.Sprintf("nullPair: add %T to nullPairs", v))
	}
	return f(v)
}

func nullPairOf[T any](v any) any { return []pg.Null[T]{pg.NullOf(v.(T)), {}} }

var nullPairs = map[reflect.Type]func(any) any{
	reflect.TypeFor[bool](): nullPairOf[bool], reflect.TypeFor[int16](): nullPairOf[int16],
	reflect.TypeFor[int32](): nullPairOf[int32], reflect.TypeFor[int64](): nullPairOf[int64],
	reflect.TypeFor[uint32](): nullPairOf[uint32], reflect.TypeFor[uint64](): nullPairOf[uint64],
	reflect.TypeFor[float32](): nullPairOf[float32], reflect.TypeFor[float64](): nullPairOf[float64],
	reflect.TypeFor[string](): nullPairOf[string], reflect.TypeFor[byte](): nullPairOf[byte],
	reflect.TypeFor[[]byte](): nullPairOf[[]byte], reflect.TypeFor[json.RawMessage](): nullPairOf[json.RawMessage],
	reflect.TypeFor[time.Time](): nullPairOf[time.Time], reflect.TypeFor[netip.Prefix](): nullPairOf[netip.Prefix],
	reflect.TypeFor[netip.Addr](): nullPairOf[netip.Addr], reflect.TypeFor[net.HardwareAddr](): nullPairOf[net.HardwareAddr],
	reflect.TypeFor[pg.Numeric](): nullPairOf[pg.Numeric], reflect.TypeFor[pg.UUID](): nullPairOf[pg.UUID],
	reflect.TypeFor[pg.Date](): nullPairOf[pg.Date], reflect.TypeFor[pg.Timestamp](): nullPairOf[pg.Timestamp],
	reflect.TypeFor[pg.Time](): nullPairOf[pg.Time], reflect.TypeFor[pg.TimeTZ](): nullPairOf[pg.TimeTZ],
	reflect.TypeFor[pg.Interval](): nullPairOf[pg.Interval], reflect.TypeFor[pg.Bits](): nullPairOf[pg.Bits],
	reflect.TypeFor[pg.Money](): nullPairOf[pg.Money], reflect.TypeFor[pg.Point](): nullPairOf[pg.Point],
	reflect.TypeFor[pg.Line](): nullPairOf[pg.Line], reflect.TypeFor[pg.LSeg](): nullPairOf[pg.LSeg],
	reflect.TypeFor[pg.Box](): nullPairOf[pg.Box], reflect.TypeFor[pg.Path](): nullPairOf[pg.Path],
	reflect.TypeFor[pg.Polygon](): nullPairOf[pg.Polygon], reflect.TypeFor[pg.Circle](): nullPairOf[pg.Circle],
	reflect.TypeFor[pg.TID](): nullPairOf[pg.TID], reflect.TypeFor[pg.LSN](): nullPairOf[pg.LSN],
	reflect.TypeFor[pg.Snapshot](): nullPairOf[pg.Snapshot],
}
