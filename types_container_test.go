package pg_test

import (
	"encoding/json"
	"math"
	"net/netip"
	"testing"
	"time"

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
		{typ: "int4[]", lit: "{}", want: []int32{}},
		{typ: "int4[]", lit: "{1,2,3}", want: []int32{1, 2, 3}},
		{typ: "int4[]", lit: "{1,NULL,3}", want: []*int32{ptr(int32(1)), nil, ptr(int32(3))}},
		{typ: "int4[]", lit: "{1,NULL,3}", want: []pg.Null[int32]{pg.NullOf(int32(1)), {}, pg.NullOf(int32(3))}},
		{typ: "int8[]", lit: "{{1,2},{3,4}}", want: [][]int64{{1, 2}, {3, 4}}},
		{typ: "int4[]", lit: "{{{1,2},{3,4}},{{5,6},{7,8}}}", want: [][][]int32{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}},
		{typ: "int4[]", lit: "[2:3]={1,2}", want: pg.Array[int32]{Elements: []int32{1, 2}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 2}}}},
		{typ: "int2[]", lit: "[0:1][-1:0]={{1,2},{3,4}}", want: pg.Array[int16]{Elements: []int16{1, 2, 3, 4}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 0}, {Length: 2, LowerBound: -1}}}},
		{typ: "text[]", lit: `{"a,b",NULL,"c\"d","NULL","",x}`, want: []*string{ptr("a,b"), nil, ptr(`c"d`), ptr("NULL"), ptr(""), ptr("x")}},
		{typ: "text[]", lit: `{"é ✓","{}","\\"}`, want: []string{"é ✓", "{}", `\`}},
		{typ: "varchar[]", lit: "{a,b}", want: []string{"a", "b"}},
		{typ: "bool[]", lit: "{t,f}", want: []bool{true, false}, text: "{t,f}"},
		{typ: "float8[]", lit: "{NaN,Infinity,-Infinity,1.5}", want: []float64{math.NaN(), math.Inf(1), math.Inf(-1), 1.5}},
		{typ: "numeric[]", lit: "{1.00,NaN,-Infinity}", want: []pg.Numeric{mustNumeric("1.00"), pg.NumericNaN(), pg.NumericInf(-1)}},
		{typ: "uuid[]", lit: "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", want: []pg.UUID{mustUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")}},
		{typ: "bytea[]", lit: `{"\\x00ff",NULL}`, want: [][]byte{{0, 0xff}, nil}},
		{typ: "jsonb[]", lit: `{"{\"a\": 1}",null}`, want: []json.RawMessage{json.RawMessage(`{"a": 1}`), nil}, text: `{"{\"a\": 1}",NULL}`},
		{typ: "timestamptz[]", lit: `{"2020-01-01 00:00:00+00",infinity}`, want: []pg.Timestamp{{Time: tstz("2020-01-01 00:00:00Z")}, {InfinityModifier: pg.Infinity}}},
		{typ: "date[]", lit: "{2020-01-01,1999-12-31}", want: []time.Time{date(2020, 1, 1), date(1999, 12, 31)}},
		{typ: "interval[]", lit: `{"1 day",-00:00:01}`, want: []pg.Interval{{Days: 1}, {Microseconds: -1e6}}},
		{typ: "inet[]", lit: "{10.0.0.1/32,::1/128}", want: []netip.Prefix{netip.MustParsePrefix("10.0.0.1/32"), netip.MustParsePrefix("::1/128")}, text: "{10.0.0.1,::1}"},
		{typ: "box[]", lit: "{(3,4),(1,2);(7,8),(5,6)}", want: []pg.Box{{P: [2]pg.Point{{X: 3, Y: 4}, {X: 1, Y: 2}}}, {P: [2]pg.Point{{X: 7, Y: 8}, {X: 5, Y: 6}}}}},
		{typ: `"char"[]`, lit: "{a,b}", want: []string{"a", "b"}},
		{typ: `"char"[]`, lit: "{a,b}", want: []byte("ab"), noRoundTrip: true},
		{typ: "tsvector[]", lit: `{"'a' 'b'"}`, want: []string{"'a' 'b'"}, textFormat: true},
		{typ: "int4range", lit: "[1,5)", want: pg.Range[int32]{Lower: 1, Upper: 5, LowerInc: true}},
		{typ: "int4range", lit: "empty", want: pg.Range[int32]{Empty: true}},
		{typ: "int4range", lit: "(,)", want: pg.Range[int32]{LowerInf: true, UpperInf: true}},
		{typ: "int8range", lit: "(,3]", want: pg.Range[int64]{LowerInf: true, Upper: 4}, text: "(,4)"},
		{typ: "numrange", lit: "[1.50,2.5]", want: pg.Range[pg.Numeric]{Lower: mustNumeric("1.50"), Upper: mustNumeric("2.5"), LowerInc: true, UpperInc: true}},
		{typ: "daterange", lit: "[2020-01-01,2020-02-01)", want: pg.Range[time.Time]{Lower: date(2020, 1, 1), Upper: date(2020, 2, 1), LowerInc: true}},
		{typ: "daterange", lit: "[2020-01-01,infinity)", want: pg.Range[pg.Date]{Lower: pg.Date{Time: date(2020, 1, 1)}, Upper: pg.Date{InfinityModifier: pg.Infinity}, LowerInc: true}},
		{typ: "tsrange", lit: `["2020-01-01 00:00:00",)`, want: pg.Range[time.Time]{Lower: date(2020, 1, 1), LowerInc: true, UpperInf: true}},
		{typ: "tstzrange", lit: `["2020-01-01 00:00:00+00","2021-01-01 00:00:00+00"]`, want: pg.Range[time.Time]{Lower: date(2020, 1, 1), Upper: date(2021, 1, 1), LowerInc: true, UpperInc: true}},
		{typ: "int4multirange", lit: "{}", want: []pg.Range[int32]{}},
		{typ: "int4multirange", lit: "{[1,2),[5,7)}", want: []pg.Range[int32]{{Lower: 1, Upper: 2, LowerInc: true}, {Lower: 5, Upper: 7, LowerInc: true}}},
		{typ: "datemultirange", lit: "{[2020-01-01,2020-01-05),[2020-02-01,)}", want: []pg.Range[time.Time]{{Lower: date(2020, 1, 1), Upper: date(2020, 1, 5), LowerInc: true}, {Lower: date(2020, 2, 1), LowerInc: true, UpperInf: true}}},
		{typ: "int4range[]", lit: `{"[1,2)",empty}`, want: []pg.Range[int32]{{Lower: 1, Upper: 2, LowerInc: true}, {Empty: true}}},
	}
}

func TestTypesContainerRoundTrip(t *testing.T) {
	t.Parallel()
	c := connect(t)
	runTypeCases(t, c, containerCases())
}
