package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"encoding/json"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every type of the table that PostgreSQL has a binary form for is
// read in binary; the text-only ones in text.
func TestResultFormats(t *testing.T) {
	r := Default()
	binary := []string{"bool", "int2", "int4", "int8", "oid", "xid", "cid", "xid8", "float4", "float8",
		"numeric", "text", "varchar", "bpchar", "name", "xml", "char", "bytea", "uuid", "json", "jsonb",
		"jsonpath", "date", "timestamp", "timestamptz", "time", "timetz", "interval", "inet", "cidr",
		"macaddr", "macaddr8", "bit", "varbit", "money", "point", "line", "lseg", "box", "path",
		"polygon", "circle", "tid", "pg_lsn", "txid_snapshot", "pg_snapshot", "void",
		"int4range", "int8range", "numrange", "daterange", "tsrange", "tstzrange",
		"int4multirange", "int8multirange", "nummultirange", "datemultirange", "tsmultirange", "tstzmultirange",
		"_int4", "_text", "_box", "_numeric", "_uuid", "_jsonb", "_timestamptz", "int2vector", "oidvector"}
	for _, name := range binary {
		typ := r.LookupName(name)
		if assert.NotNil(t, typ, name) {
			assert.True(t, typ.HasBinary(), "%s is read in binary", name)
		}
	}
	for _, name := range []string{"tsvector", "tsquery", "regclass", "regtype", "regproc", "refcursor", "aclitem", "_tsvector", "_regclass"} {
		typ := r.LookupName(name)
		if assert.NotNil(t, typ, name) {
			assert.False(t, typ.HasBinary(), "%s is read as text", name)
		}
	}
	assert.True(t, r.Lookup(RecordOID).HasBinary())
	assert.True(t, r.Lookup(RecordArrayOID).HasBinary())
	// An unknown OID: nil type, read as text, decoded as a string.
	assert.Nil(t, r.Lookup(999999))
	var nilType *Type
	assert.Equal(t, TextFormat, nilType.ResultFormat())
	v, err := DecodeValue(nil, TextFormat, []byte("x"))
	require.NoError(t, err)
	assert.Equal(t, "x", v)
}

// Scanning fixed-size scalars into typed destinations allocates nothing:
// the hot path of Rows.Scan.
func TestScanDoesNotAllocate(t *testing.T) {
	r := Default()
	be := func(n int, v uint64) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint64(b, v)
		return b[8-n:]
	}
	numeric := mustEncode(t, r.Lookup(NumericOID), NumericFromInt64(12345))
	cases := []struct {
		oid uint32
		src []byte
		dst any
	}{
		{BoolOID, []byte{1}, new(bool)},
		{Int2OID, be(2, 7), new(int16)},
		{Int4OID, be(4, 7), new(int32)},
		{Int4OID, be(4, 7), new(int64)},
		{Int8OID, be(8, 7), new(int64)},
		{Float4OID, be(4, uint64(math.Float32bits(1.5))), new(float32)},
		{Float8OID, be(8, math.Float64bits(1.5)), new(float64)},
		{TimestamptzOID, be(8, 1e12), new(time.Time)},
		{TimestampOID, be(8, 1e12), new(time.Time)},
		{DateOID, be(4, 9000), new(time.Time)},
		{UUIDOID, make([]byte, 16), new(UUID)},
		{UUIDOID, make([]byte, 16), new([16]byte)},
		{NumericOID, numeric, new(Numeric)},
		{IntervalOID, make([]byte, 16), new(Interval)},
		{TimeOID, be(8, 1e6), new(Time)},
		{OIDOID, be(4, 7), new(uint32)},
		{MoneyOID, be(8, 7), new(Money)},
		{PointOID, make([]byte, 16), new(Point)},
		{PgLSNOID, be(8, 7), new(LSN)},
		{Int4OID, be(4, 7), new(Null[int32])},
	}
	// Coverage instrumentation (go test -cover) moves values to the heap
	// that escape analysis otherwise keeps on the stack: the counts mean
	// nothing then, so only the results are checked.
	countAllocs := testing.CoverMode() == ""
	for _, tc := range cases {
		typ := r.Lookup(tc.oid)
		require.NoError(t, ScanValue(typ, BinaryFormat, tc.src, tc.dst), typ.Name)
		if !countAllocs {
			continue
		}
		allocs := testing.AllocsPerRun(100, func() {
			_ = ScanValue(typ, BinaryFormat, tc.src, tc.dst)
		})
		assert.Zero(t, allocs, "%s into %T", typ.Name, tc.dst)
	}
	// Encoding the common scalars appends in place.
	buf := make([]byte, 0, 64)
	for _, tc := range []struct {
		oid uint32
		v   any
	}{{Int4OID, int32(1)}, {Int8OID, int64(1)}, {Float8OID, 1.5}, {BoolOID, true}, {TextOID, "abc"},
		{TimestamptzOID, time.Unix(1e9, 0)}, {DateOID, time.Unix(1e9, 0)}, {UUIDOID, UUID{1}},
		{NumericOID, NumericFromInt64(123456)}, {IntervalOID, Interval{Days: 1}}, {ByteaOID, []byte("x")}} {
		typ := r.Lookup(tc.oid)
		_, _, _, err := EncodeValue(typ, buf[:0], tc.v)
		require.NoError(t, err, "encoding %T as %s", tc.v, typ.Name)
		if !countAllocs {
			continue
		}
		allocs := testing.AllocsPerRun(100, func() {
			_, _, _, _ = EncodeValue(typ, buf[:0], tc.v)
		})
		assert.Zero(t, allocs, "encoding %T as %s", tc.v, typ.Name)
	}
}

func mustEncode(t *testing.T, typ *Type, v any) []byte {
	t.Helper()
	b, format, null, err := EncodeValue(typ, nil, v)
	require.NoError(t, err)
	require.Equal(t, BinaryFormat, format)
	require.False(t, null)
	return b
}

// Binary decoders reject malformed values with a DecodeError naming the
// type, never a panic or a wrong value.
func TestDecodeMalformed(t *testing.T) {
	r := Default()
	for _, tc := range []struct {
		oid uint32
		src []byte
	}{
		{Int4OID, []byte{1, 2}}, {Int8OID, []byte{1}}, {Float8OID, []byte{}}, {UUIDOID, make([]byte, 15)},
		{BoolOID, []byte{1, 1}}, {NumericOID, []byte{0, 1}}, {NumericOID, []byte{0, 1, 0, 0, 0x77, 0, 0, 0, 0, 1}},
		{TimestamptzOID, make([]byte, 7)}, {IntervalOID, make([]byte, 15)}, {InetOID, []byte{2, 32, 0, 9, 1, 2, 3, 4}},
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 1}}, // int4[] claiming 2^31-1 elements
		{1007, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0}},
		{Int4RangeOID, []byte{2, 0, 0, 0, 9}}, {RecordOID, []byte{0, 0, 0, 5}}, {PathOID, []byte{1, 0x7f, 0, 0, 0}},
		{JSONBOID, []byte{2, '{', '}'}}, {BitOID, []byte{0, 0, 0, 9, 0xff}},
	} {
		typ := r.Lookup(tc.oid)
		_, err := DecodeValue(typ, BinaryFormat, tc.src)
		var de *DecodeError
		if assert.ErrorAs(t, err, &de, "%s % x", typ.Name, tc.src) {
			assert.NotEmpty(t, de.PGType)
		}
	}
}

func TestDriverValue(t *testing.T) {
	n, _ := ParseNumeric("1.50")
	for _, tc := range []struct {
		in   any
		want driver.Value
	}{
		{nil, nil}, {int16(1), int64(1)}, {int32(2), int64(2)}, {uint32(3), int64(3)},
		{uint64(4), int64(4)}, {uint64(math.MaxUint64), "18446744073709551615"},
		{float32(1.5), 1.5}, {"s", "s"}, {[]byte("b"), []byte("b")}, {true, true},
		{json.RawMessage(`{}`), []byte(`{}`)}, {n, "1.50"}, {Interval{Days: 1}, "1 day"},
		{LSN(0x16B374D848), "16/B374D848"}, {byte('c'), int64('c')},
	} {
		assert.Equal(t, tc.want, DriverValue(tc.in), "%T %v", tc.in, tc.in)
	}
	tm := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, tm, DriverValue(tm))
}

// Register replaces a type and rebuilds the built-in arrays and ranges
// over it; Unregister restores the built-in codec.
func TestRegistryRegisterUnregister(t *testing.T) {
	r := Default().Clone()
	base := r.Lookup(Int4OID)
	custom := NewCustomType(Int4OID, "int4", "pg_catalog", Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return append(dst, "42"...), nil },
		Decode: func(src []byte) (any, error) { return "custom:" + string(src), nil },
	})
	r.Register(custom)
	assert.Same(t, custom, r.Lookup(Int4OID))
	arr := r.Lookup(1007)
	require.NotNil(t, arr)
	assert.Same(t, custom, arr.Elem, "int4[] rebuilt over the custom int4")
	assert.False(t, arr.HasBinary(), "an array of a text-only element travels as text")
	v, err := DecodeValue(arr, TextFormat, []byte("{1,2}"))
	require.NoError(t, err)
	assert.Equal(t, []any{"custom:1", "custom:2"}, v)
	assert.Same(t, custom, r.Lookup(Int4RangeOID).Elem)
	assert.Same(t, base, Default().Lookup(Int4OID), "the shared default is untouched")

	r.RegisterDerived(NewDomainType(90000, "d", "public", custom))
	r.Unregister(Int4OID)
	assert.Same(t, base, r.Lookup(Int4OID))
	assert.Same(t, base, r.Lookup(1007).Elem)
	assert.Nil(t, r.Lookup(90000), "derived types are dropped to be introspected again")
}

func TestNumericConversions(t *testing.T) {
	for _, s := range []string{"0", "1.00000", "-0.001", "NaN", "Infinity", "-Infinity", "123456789012345678901234567890.5", "1e-20", "1E+5"} {
		n, err := ParseNumeric(s)
		require.NoError(t, err, s)
		round, err := ParseNumeric(n.String())
		require.NoError(t, err)
		assert.True(t, n.Equal(round) || n.IsNaN(), s)
		b := mustEncode(t, Default().Lookup(NumericOID), n)
		v, err := DecodeValue(Default().Lookup(NumericOID), BinaryFormat, b)
		require.NoError(t, err)
		assert.Equal(t, n.String(), v.(Numeric).String(), "binary round trip of %s", s)
	}
	for in, want := range map[string]string{"-0.00": "0.00", "-000": "0", "00012.500": "12.500", "+7": "7", ".5": "0.5", "-inf": "-Infinity", "nan": "NaN"} {
		n, err := ParseNumeric(in)
		if assert.NoError(t, err, in) {
			assert.Equal(t, want, n.String(), in)
		}
	}
	n, _ := ParseNumeric("1e-20")
	assert.Equal(t, "0.00000000000000000001", n.String())
	_, err := ParseNumeric("1.2.3")
	assert.Error(t, err)
	r, err := NumericFromBigRat(big.NewRat(-7, 8))
	require.NoError(t, err)
	assert.Equal(t, "-0.875", r.String())
	i, err := ParseNumeric("99999999999999999999")
	require.NoError(t, err)
	_, err = i.Int64()
	assert.Error(t, err, "beyond int64")
	assert.Equal(t, "0.1", NumericFromFloat64(0.1).String())
}

func TestIntervalText(t *testing.T) {
	for _, s := range []string{"00:00:00", "1 year 2 mons 3 days 04:05:06.7", "-1 years -2 mons +3 days -04:05:06.000001", "1 day", "-00:00:01.5"} {
		iv, err := ParseInterval(s)
		require.NoError(t, err, s)
		assert.Equal(t, s, iv.String())
	}
	d, err := Interval{Days: 1, Microseconds: 1}.Duration()
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour+time.Microsecond, d)
	_, err = Interval{Months: 1}.Duration()
	assert.Error(t, err)
}

func TestTimeDurations(t *testing.T) {
	assert.Equal(t, 90*time.Minute, Time{Microseconds: 5400e6}.Duration())
	assert.Equal(t, 90*time.Minute, TimeTZ{Microseconds: 5400e6, Offset: 3600}.Duration())
	assert.Equal(t, "01:30:00+01", TimeTZ{Microseconds: 5400e6, Offset: 3600}.String())
}

func TestUUIDParse(t *testing.T) {
	want := "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
	for _, s := range []string{want, "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11"} {
		u, err := ParseUUID(s)
		require.NoError(t, err, s)
		assert.Equal(t, want, u.String())
	}
	_, err := ParseUUID("a0eebc99")
	assert.Error(t, err)
}

// Columns: the last of duplicate names wins, as in asyncpg.
func TestColumnsDuplicateNames(t *testing.T) {
	cols := NewColumns([]string{"a", "b", "a"})
	i, ok := cols.Index("a")
	assert.True(t, ok)
	assert.Equal(t, 2, i)
	rec := NewRecord(cols, []any{1, 2, 3})
	assert.Equal(t, 3, rec.Get("a"))
	assert.Equal(t, map[string]any{"a": 3, "b": 2}, rec.Map())
	var s struct{ A, B int }
	require.NoError(t, rec.ScanStruct(&s))
	assert.Equal(t, 3, s.A)
}

// A range error quotes only the head of a huge value: the largest numeric
// PostgreSQL sends has 131,072 digits before its point.
func TestRangeErrorQuotesLittle(t *testing.T) {
	// One base-10000 digit, 5 at weight 32767: 5e131068.
	src := []byte{0, 1, 0x7f, 0xff, 0, 0, 0, 0, 0, 5}
	var dst int64
	err := ScanValue(Default().Lookup(NumericOID), BinaryFormat, src, &dst)
	var re *RangeError
	require.ErrorAs(t, err, &re)
	assert.Len(t, re.Value, 131069, "the error keeps the whole value")
	assert.Less(t, len(err.Error()), 200)
	assert.Contains(t, err.Error(), "value 5000000000")
	assert.Contains(t, err.Error(), "… (131069 bytes) out of range for")

	long := &RangeError{Value: strings.Repeat("é", 40), PGType: "x"}
	assert.True(t, utf8.ValidString(long.Error()), "cut on a rune boundary: %q", long.Error())
}
