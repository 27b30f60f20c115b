package pg_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// typeCase is one value of one type. The test checks three things against
// the server: the binary decode of the literal equals want; the server's
// own ::text rendering of the literal equals text (so want was read off the
// server, not guessed); and want sent as $1 comes back equal and renders as
// text on the server (so the encoder agrees with the server too).
type typeCase struct {
	typ  string // the SQL type of the cast
	lit  string // the literal's text form
	want any    // the Go value it decodes to, and the parameter sent
	text string // the server's ::text output; "" when it equals lit
	// textFormat marks types PostgreSQL exchanges in the text format only.
	textFormat bool
	// noRoundTrip skips sending want as a parameter (the value is only
	// decodable, e.g. a leap second the server normalises).
	noRoundTrip bool
	// def is what the value decodes to when scanned into *any (the issue's
	// "decode default" column); nil means want itself.
	def any
	// expr, when set, is the SQL expression of the value in place of the
	// quoted literal cast to typ (lit is then only the case's name).
	expr string
}

func mustNumeric(s string) pg.Numeric {
	n, err := pg.ParseNumeric(s)
	if err != nil {
		panic(err)
	}
	return n
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// scalarCases cover every scalar type of the table with its edge
// values.
func scalarCases() []typeCase {
	big := strings.Repeat("x", 1<<20)
	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}
	return []typeCase{
		{typ: "bool", lit: "true", want: true},
		{typ: "bool", lit: "false", want: false},
		{typ: "int2", lit: "32767", want: int16(math.MaxInt16)},
		{typ: "int2", lit: "-32768", want: int16(math.MinInt16)},
		{typ: "int4", lit: "2147483647", want: int32(math.MaxInt32)},
		{typ: "int4", lit: "-2147483648", want: int32(math.MinInt32)},
		{typ: "int8", lit: "9223372036854775807", want: int64(math.MaxInt64)},
		{typ: "int8", lit: "-9223372036854775808", want: int64(math.MinInt64)},
		{typ: "oid", lit: "4294967295", want: uint32(math.MaxUint32)},
		{typ: "oid", lit: "0", want: uint32(0)},
		{typ: "xid", lit: "4294967295", want: uint32(math.MaxUint32)},
		{typ: "cid", lit: "7", want: uint32(7)},
		{typ: "xid8", lit: "18446744073709551615", want: uint64(math.MaxUint64)},
		{typ: "float4", lit: "NaN", want: float32(math.NaN())},
		{typ: "float4", lit: "Infinity", want: float32(math.Inf(1))},
		{typ: "float4", lit: "-Infinity", want: float32(math.Inf(-1))},
		{typ: "float4", lit: "3.4028235e+38", want: float32(math.MaxFloat32)},
		{typ: "float4", lit: "1e-45", want: float32(math.SmallestNonzeroFloat32)},
		{typ: "float8", lit: "NaN", want: math.NaN()},
		{typ: "float8", lit: "Infinity", want: math.Inf(1)},
		{typ: "float8", lit: "-Infinity", want: math.Inf(-1)},
		{typ: "float8", lit: "1.7976931348623157e+308", want: math.MaxFloat64},
		{typ: "float8", lit: "5e-324", want: math.SmallestNonzeroFloat64},
		{typ: "float8", lit: "-0", want: math.Copysign(0, -1)},
		{typ: "numeric", lit: "1.00000", want: mustNumeric("1.00000")},
		{typ: "numeric", lit: "0", want: mustNumeric("0")},
		{typ: "numeric", lit: "0.000", want: mustNumeric("0.000")},
		{typ: "numeric", lit: "-0.0001", want: mustNumeric("-0.0001")},
		{typ: "numeric", lit: "NaN", want: pg.NumericNaN()},
		{typ: "numeric", lit: "Infinity", want: pg.NumericInf(1)},
		{typ: "numeric", lit: "-Infinity", want: pg.NumericInf(-1)},
		{typ: "numeric", lit: "123456789012345678901234567890.123456789012345678901234567890", want: mustNumeric("123456789012345678901234567890.123456789012345678901234567890")},
		{typ: "numeric", lit: "10000000000000000000000000000000000000000", want: mustNumeric("10000000000000000000000000000000000000000")},
		{typ: "numeric", lit: "-9223372036854775808", want: mustNumeric("-9223372036854775808")},
		{typ: "numeric", lit: "0.00000000000000000000000000000000000001", want: mustNumeric("0.00000000000000000000000000000000000001")},
		{typ: "text", lit: "", want: ""},
		{typ: "text", lit: "héllo wörld ✓ 日本語 🎉", want: "héllo wörld ✓ 日本語 🎉"},
		{typ: "text", lit: big, want: big},
		{typ: "varchar", lit: "abc", want: "abc"},
		{typ: "bpchar", lit: "ab  ", want: "ab  ", text: "ab"},
		{typ: "char(4)", lit: "ab", want: "ab  ", text: "ab"},
		{typ: "name", lit: "pg_class", want: "pg_class"},
		{typ: "xml", lit: "<a>b</a>", want: "<a>b</a>"},
		{typ: `"char"`, lit: "z", want: byte('z'), def: "z"},
		{typ: "bytea", lit: `\x`, want: []byte{}},
		{typ: "bytea", lit: `\x` + fmt.Sprintf("%x", allBytes), want: allBytes},
		{typ: "uuid", lit: "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", want: mustUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")},
		{typ: "uuid", lit: "00000000-0000-0000-0000-000000000000", want: pg.UUID{}},
		{typ: "json", lit: `{"a": [1, 2.5, "x", null]}`, want: json.RawMessage(`{"a": [1, 2.5, "x", null]}`), def: pg.JSON(`{"a": [1, 2.5, "x", null]}`)},
		{typ: "jsonb", lit: `{"b":1,"a":"é"}`, want: json.RawMessage(`{"a": "é", "b": 1}`), def: pg.JSON(`{"a": "é", "b": 1}`), text: `{"a": "é", "b": 1}`},
		{typ: "jsonb", lit: `null`, want: json.RawMessage(`null`), def: pg.JSON(`null`)},
		{typ: "jsonpath", lit: `$."a"[*]?(@ > 1)`, want: `$."a"[*]?(@ > 1)`},
		{typ: "date", lit: "2020-02-29", want: date(2020, 2, 29)},
		{typ: "date", lit: "2000-01-01", want: date(2000, 1, 1)},
		{typ: "date", lit: "4713-01-01 BC", want: date(-4712, 1, 1)},
		{typ: "date", lit: "0001-01-01 BC", want: date(0, 1, 1)},
		{typ: "date", lit: "5874897-12-31", want: date(5874897, 12, 31)},
		{typ: "date", lit: "infinity", want: pg.Date{InfinityModifier: pg.Infinity}},
		{typ: "date", lit: "-infinity", want: pg.Date{InfinityModifier: pg.NegativeInfinity}},
		{typ: "timestamp", lit: "2020-01-02 03:04:05.123456", want: time.Date(2020, 1, 2, 3, 4, 5, 123456000, time.UTC)},
		{typ: "timestamp", lit: "1999-12-31 23:59:59.999999", want: time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{typ: "timestamp", lit: "4713-01-01 00:00:00 BC", want: time.Date(-4712, 1, 1, 0, 0, 0, 0, time.UTC)},
		{typ: "timestamp", lit: "294276-12-31 23:59:59.999999", want: time.Date(294276, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{typ: "timestamp", lit: "infinity", want: pg.Timestamp{InfinityModifier: pg.Infinity}},
		{typ: "timestamp", lit: "-infinity", want: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}},
		// PostgreSQL has no leap seconds: :60 reads as the next minute.
		{typ: "timestamp", lit: "2016-12-31 23:59:60", want: time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), text: "2017-01-01 00:00:00", noRoundTrip: true},
		{typ: "timestamptz", lit: "2020-01-02 03:04:05.123456+02", want: time.Date(2020, 1, 2, 1, 4, 5, 123456000, time.UTC), text: "2020-01-02 01:04:05.123456+00"},
		{typ: "timestamptz", lit: "1900-01-01 00:00:00+00", want: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)},
		{typ: "timestamptz", lit: "4713-01-01 00:00:00+00 BC", want: time.Date(-4712, 1, 1, 0, 0, 0, 0, time.UTC)},
		{typ: "timestamptz", lit: "294276-12-31 23:59:59.999999+00", want: time.Date(294276, 12, 31, 23, 59, 59, 999999000, time.UTC)},
		{typ: "timestamptz", lit: "infinity", want: pg.Timestamp{InfinityModifier: pg.Infinity}},
		{typ: "timestamptz", lit: "-infinity", want: pg.Timestamp{InfinityModifier: pg.NegativeInfinity}},
		{typ: "time", lit: "00:00:00", want: pg.Time{}},
		{typ: "time", lit: "12:34:56.789", want: pg.Time{Microseconds: (12*3600+34*60+56)*1e6 + 789000}},
		{typ: "time", lit: "23:59:59.999999", want: pg.Time{Microseconds: 86400e6 - 1}},
		{typ: "time", lit: "24:00:00", want: pg.Time{Microseconds: 86400e6}},
		{typ: "timetz", lit: "12:34:56+05:30", want: pg.TimeTZ{Microseconds: (12*3600 + 34*60 + 56) * 1e6, Offset: 5*3600 + 30*60}},
		{typ: "timetz", lit: "00:00:00.5-11", want: pg.TimeTZ{Microseconds: 500000, Offset: -11 * 3600}},
		{typ: "interval", lit: "1 year 2 mons 3 days 04:05:06.7", want: pg.Interval{Months: 14, Days: 3, Microseconds: 4*3600e6 + 5*60e6 + 6.7e6}},
		{typ: "interval", lit: "-1 years -2 mons +3 days -04:05:06.000001", want: pg.Interval{Months: -14, Days: 3, Microseconds: -(4*3600e6 + 5*60e6 + 6e6 + 1)}},
		{typ: "interval", lit: "00:00:00", want: pg.Interval{}},
		{typ: "interval", lit: "178956970 years 7 mons 2147483647 days 2562047788:00:54.775807", want: pg.Interval{Months: math.MaxInt32, Days: math.MaxInt32, Microseconds: math.MaxInt64}},
		{typ: "inet", lit: "192.168.0.1/24", want: netip.MustParsePrefix("192.168.0.1/24")},
		{typ: "inet", lit: "192.168.0.1", want: netip.MustParsePrefix("192.168.0.1/32"), text: "192.168.0.1/32"},
		{typ: "inet", lit: "::ffff:1.2.3.4", want: netip.MustParseAddr("::ffff:1.2.3.4"), text: "::ffff:1.2.3.4/128", def: netip.MustParsePrefix("::ffff:1.2.3.4/128")},
		{typ: "inet", lit: "10.1.2.3", want: netip.MustParseAddr("10.1.2.3"), text: "10.1.2.3/32", def: netip.MustParsePrefix("10.1.2.3/32")},
		{typ: "inet", lit: "2001:db8::1/64", want: netip.MustParsePrefix("2001:db8::1/64")},
		{typ: "cidr", lit: "10.0.0.0/8", want: netip.MustParsePrefix("10.0.0.0/8")},
		{typ: "cidr", lit: "::/0", want: netip.MustParsePrefix("::/0")},
		{typ: "macaddr", lit: "08:00:2b:01:02:03", want: net.HardwareAddr{8, 0, 0x2b, 1, 2, 3}},
		{typ: "macaddr8", lit: "08:00:2b:01:02:03:04:05", want: net.HardwareAddr{8, 0, 0x2b, 1, 2, 3, 4, 5}},
		{typ: "bit(3)", lit: "101", want: mustBits("101")},
		{typ: "varbit", lit: "", want: mustBits("")},
		{typ: "varbit", lit: "1011001110001", want: mustBits("1011001110001")},
		{typ: "money", lit: "12.34", want: pg.Money(1234), text: "$12.34"},
		{typ: "money", lit: "-92233720368547758.08", want: pg.Money(math.MinInt64), text: "-$92,233,720,368,547,758.08"},
		{typ: "point", lit: "(1.5,-2)", want: pg.Point{X: 1.5, Y: -2}},
		{typ: "line", lit: "{1,2,3}", want: pg.Line{A: 1, B: 2, C: 3}},
		{typ: "lseg", lit: "[(1,2),(3,4)]", want: pg.LSeg{P: [2]pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}}}},
		{typ: "box", lit: "(3,4),(1,2)", want: pg.Box{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}},
		{typ: "path", lit: "[(1,2),(3,4)]", want: pg.Path{P: []pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}}}},
		{typ: "path", lit: "((1,2),(3,4),(5,6))", want: pg.Path{P: []pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}, {X: 5, Y: 6}}, Closed: true}},
		{typ: "polygon", lit: "((1,2),(3,4),(5,6))", want: pg.Polygon{P: []pg.Point{{X: 1, Y: 2}, {X: 3, Y: 4}, {X: 5, Y: 6}}}},
		{typ: "circle", lit: "<(1,2),3>", want: pg.Circle{P: pg.Point{X: 1, Y: 2}, R: 3}},
		{typ: "tid", lit: "(4294967295,65535)", want: pg.TID{BlockNumber: math.MaxUint32, OffsetNumber: math.MaxUint16}},
		{typ: "pg_lsn", lit: "16/B374D848", want: pg.LSN(0x16B374D848)},
		{typ: "pg_lsn", lit: "FFFFFFFF/FFFFFFFF", want: pg.LSN(math.MaxUint64)},
		{typ: "txid_snapshot", lit: "10:20:10,14,15", want: pg.Snapshot{Xmin: 10, Xmax: 20, Xip: []uint64{10, 14, 15}}},
		{typ: "pg_snapshot", lit: "10:20:", want: pg.Snapshot{Xmin: 10, Xmax: 20}},
		{typ: "tsvector", lit: "'a' 'cat' 'fat'", want: "'a' 'cat' 'fat'", textFormat: true},
		{typ: "tsquery", lit: "'fat' & 'cat'", want: "'fat' & 'cat'", textFormat: true},
		{typ: "regclass", lit: "pg_class", want: "pg_class", textFormat: true},
		{typ: "regtype", lit: "integer", want: "integer", textFormat: true},
		{typ: "regproc", lit: "now", want: "now", textFormat: true},
		{typ: "refcursor", lit: "c1", want: "c1", textFormat: true},
		{typ: "aclitem", lit: "=r/postgres", want: "=r/postgres", textFormat: true},
	}
}

func mustUUID(s string) pg.UUID {
	u, err := pg.ParseUUID(s)
	if err != nil {
		panic(err)
	}
	return u
}

func mustBits(s string) pg.Bits {
	b, err := pg.ParseBits(s)
	if err != nil {
		panic(err)
	}
	return b
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func caseName(tc typeCase) string {
	lit := tc.lit
	if len(lit) > 24 {
		lit = lit[:24] + "…"
	}
	return tc.typ + "/" + lit
}

// runTypeCases runs every case on one connection (the server is shared;
// a connection per case would only measure connecting).
func runTypeCases(t *testing.T, c *pg.Conn, cases []typeCase) {
	t.Helper()
	ctx := ctxT(t)
	for _, tc := range cases {
		t.Run(caseName(tc), func(t *testing.T) {
			wantText := tc.text
			if wantText == "" {
				wantText = tc.lit
			}
			gt := reflect.TypeOf(tc.want)

			// Literal: the binary decode against the server's text.
			expr := tc.expr
			if expr == "" {
				expr = sqlQuote(tc.lit) + "::" + tc.typ
			}
			q := fmt.Sprintf("SELECT %[1]s, (%[1]s)::text", expr)
			rows, err := c.Query(ctx, q)
			require.NoError(t, err)
			defer rows.Close() // a failed require must not leave the connection busy
			require.True(t, rows.Next(), "no row: %v", rows.Err())
			got := reflect.New(gt)
			var text string
			require.NoError(t, rows.Scan(got.Interface(), &text))
			var def any
			require.NoError(t, rows.Scan(&def, nil), "decode into *any")
			require.NoError(t, rows.Close())
			assert.Equal(t, wantText, text, "the server's text for the literal")
			assertSameValue(t, tc.want, got.Elem().Interface(), "decoded literal")
			wantDef := tc.def
			if wantDef == nil {
				wantDef = tc.want
			}
			assertSameValue(t, wantDef, def, "decoded into *any (the default Go type)")
			if tc.noRoundTrip {
				return
			}

			// Round trip: want as $1, back as T and as the server's text.
			got2 := reflect.New(gt)
			var text2 string
			err = c.QueryRow(ctx, fmt.Sprintf("SELECT $1::%[1]s, ($1::%[1]s)::text", tc.typ), tc.want).Scan(got2.Interface(), &text2)
			require.NoError(t, err)
			assertSameValue(t, tc.want, got2.Elem().Interface(), "round trip")
			assert.Equal(t, wantText, text2, "the server's text for the parameter")
		})
	}
}

// assertSameValue checks that got has want's Go type and the same value,
// treating NaN as equal to NaN (and -0 as different from 0), times as
// instants, numerics by their exact text and Records by their columns and
// values, at any depth (inside slices, []any, ranges and structs).
func assertSameValue(t *testing.T, want, got any, what string) {
	t.Helper()
	if reflect.TypeOf(want) != reflect.TypeOf(got) {
		assert.Failf(t, what, "want Go type %T, got %T (%s)", want, got, shortValue(got))
		return
	}
	assert.Equal(t, comparableForm(reflect.ValueOf(want)), comparableForm(reflect.ValueOf(got)), what)
}

func shortValue(v any) string {
	s := fmt.Sprintf("%#v", v)
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// comparableForm rewrites v into plain Go values that assert.Equal compares
// the way assertSameValue documents. Dynamic types inside interfaces are
// kept (an int32 in a []any stays an int32); a nil slice or pointer stays
// distinct from an empty or non-nil one.
func comparableForm(v reflect.Value) any {
	if !v.IsValid() {
		return nil
	}
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return comparableForm(v.Elem())
	case reflect.Pointer:
		if v.IsNil() {
			return fmt.Sprintf("nil %s", v.Type())
		}
		return []any{"pointer", comparableForm(v.Elem())}
	}
	switch x := v.Interface().(type) {
	case float64:
		return floatForm(x, x)
	case float32:
		return floatForm(float64(x), x)
	case time.Time:
		return "instant " + x.UTC().String()
	case pg.Numeric:
		return "numeric " + x.String()
	case pg.Record:
		vals := make([]any, x.Len())
		for i, e := range x.Values() {
			vals[i] = comparableForm(reflect.ValueOf(e))
		}
		return map[string]any{"record columns": x.Columns(), "values": vals}
	case string:
		if len(x) > 1000 {
			return fmt.Sprintf("string of %d bytes, sha256 %x", len(x), sha256.Sum256([]byte(x)))
		}
		return x
	}
	switch v.Kind() {
	case reflect.Slice:
		if v.IsNil() {
			return fmt.Sprintf("nil %s", v.Type())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = comparableForm(v.Index(i))
		}
		return out
	case reflect.Map:
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			out[fmt.Sprint(it.Key().Interface())] = comparableForm(it.Value())
		}
		return out
	case reflect.Struct:
		out := make(map[string]any, v.NumField())
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				return v.Interface() // netip.Addr and friends compare as they are
			}
			out[v.Type().Field(i).Name] = comparableForm(v.Field(i))
		}
		return out
	}
	return v.Interface()
}

// floatForm spells NaN and -0 out (NaN != NaN, and -0 == 0); other
// values stay as they are, with their type.
func floatForm(f float64, orig any) any {
	switch {
	case math.IsNaN(f):
		return fmt.Sprintf("NaN %T", orig)
	case f == 0 && math.Signbit(f):
		return fmt.Sprintf("-0 %T", orig)
	}
	return orig
}

func TestTypesScalarRoundTrip(t *testing.T) {
	t.Parallel()
	c := connect(t)
	runTypeCases(t, c, scalarCases())
}
