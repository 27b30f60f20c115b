package codec

import (
	"encoding/binary"
	"fmt"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawArray builds a binary array value by hand (array_send's layout), so
// tests can send what the encoder never writes: NULLs without the flag,
// elements of the wrong length, trailing bytes. A nil element is NULL.
func rawArray(elemOID uint32, flags int32, dims []ArrayDimension, elems [][]byte, trailing ...byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(dims)))
	b = binary.BigEndian.AppendUint32(b, uint32(flags))
	b = binary.BigEndian.AppendUint32(b, elemOID)
	for _, d := range dims {
		b = binary.BigEndian.AppendUint32(b, uint32(d.Length))
		b = binary.BigEndian.AppendUint32(b, uint32(d.LowerBound))
	}
	for _, e := range elems {
		if e == nil {
			b = binary.BigEndian.AppendUint32(b, math.MaxUint32)
			continue
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(e)))
		b = append(b, e...)
	}
	return append(b, trailing...)
}

func be(size int, v uint64) []byte {
	b := binary.BigEndian.AppendUint64(nil, v)
	return b[8-size:]
}

// inlineCases are array values, by element type name, that the inline
// paths must read exactly as the general path: each well-formed shape,
// NULLs, bounds, extremes of range, and malformed bodies.
func inlineCases(t *testing.T, r *Registry) map[string][][]byte {
	one := []ArrayDimension{{Length: 3, LowerBound: 1}}
	enc := func(typ string, v any) []byte {
		b, err := r.LookupName("_"+typ).Binary.Encode(nil, v)
		require.NoError(t, err, "%s %v", typ, v)
		return b
	}
	// For every fixed-width type: the same malformed shapes.
	malformed := func(oid uint32, size int) [][]byte {
		e := be(size, 1)
		return [][]byte{
			rawArray(oid, 0, one, [][]byte{e, nil, e}),              // a NULL without the flag
			rawArray(oid, 0, one, [][]byte{e, e[:size-1], e}),       // a short element
			rawArray(oid, 0, one, [][]byte{e, e, e}, 0, 0, 0, 0),    // trailing bytes
			rawArray(oid, 0, one, [][]byte{e, e}),                   // too few elements
			rawArray(oid, 0, one, [][]byte{e, e, append(e, 0)}[:3]), // a long element
			rawArray(oid, 0, []ArrayDimension{{Length: 2, LowerBound: 0}}, [][]byte{e, e}),
			rawArray(oid, 0, nil, nil), // '{}'
		}
	}
	ints := func(typ string, oid uint32, size int, extremes ...any) [][]byte {
		out := [][]byte{
			enc(typ, []int64{}), enc(typ, []int64{1, 2, 3}), enc(typ, []any{1, nil, 3}),
			enc(typ, [][]int64{{1, 2}, {3, 4}}), enc(typ, []any{nil}),
		}
		for _, x := range extremes {
			out = append(out, enc(typ, []any{x, 7}))
		}
		return append(out, malformed(oid, size)...)
	}
	return map[string][][]byte{
		"int2": ints("int2", Int2OID, 2, int16(math.MinInt16), int16(math.MaxInt16), -1),
		"int4": ints("int4", Int4OID, 4, int32(math.MinInt32), int32(math.MaxInt32), math.MaxInt16+1, -1),
		"int8": ints("int8", Int8OID, 8, int64(math.MinInt64), int64(math.MaxInt64), int64(math.MaxInt32)+1,
			int64(math.MinInt32)-1, int64(math.MaxUint32), int64(math.MaxUint32)+1, -1),
		"oid": ints("oid", OIDOID, 4, uint32(math.MaxUint32), uint32(math.MaxInt32)+1, uint32(math.MaxInt16)+1),
		"xid8": append([][]byte{enc("xid8", []any{uint64(math.MaxUint64), 1}), enc("xid8", []uint64{1, 2})},
			malformed(XID8OID, 8)...),
		"float4": append([][]byte{enc("float4", []float32{1.5, float32(math.Inf(-1)), float32(math.NaN())}),
			enc("float4", []any{1.5, nil}), enc("float4", [][]float32{{1}, {2}})}, malformed(Float4OID, 4)...),
		"float8": append([][]byte{enc("float8", []float64{1.5, math.MaxFloat64, math.Inf(1)}),
			enc("float8", []any{1.5, nil}), enc("float8", [][]float64{{1}, {2}})}, malformed(Float8OID, 8)...),
		"bool": append([][]byte{enc("bool", []bool{true, false, true}), enc("bool", []any{true, nil}),
			rawArray(BoolOID, 0, []ArrayDimension{{Length: 1, LowerBound: 1}}, [][]byte{{2}}),
			enc("bool", [][]bool{{true}, {false}})}, malformed(BoolOID, 1)...),
		"text": {
			enc("text", []string{}), enc("text", []string{"a", "", "ünï"}), enc("text", []any{"a", nil}),
			enc("text", [][]string{{"a"}, {"b"}}),
			rawArray(TextOID, 0, one, [][]byte{[]byte("a"), nil, []byte("c")}),
			rawArray(TextOID, 0, one, [][]byte{[]byte("a"), []byte("b"), []byte("c")}, 1),
			rawArray(TextOID, 0, one, [][]byte{[]byte("a"), []byte("b")}),
			append(rawArray(TextOID, 0, one, [][]byte{[]byte("a"), []byte("b")}), 0, 0, 0, 9, 'x'), // length past the end
		},
		"name":    {enc("name", []string{"pg_type", "oid"}), enc("name", []any{nil})},
		"varchar": {enc("varchar", []string{"x"}), enc("varchar", [][]string{{"x"}})},
		"bpchar":  {enc("bpchar", []string{"ab  ", "c"})},
	}
}

// inlineDests are fresh destinations of every type the inline paths
// serve, each holding a sentinel so that "left unchanged" is checked too.
func inlineDests() []any {
	return []any{
		&[]int16{-9}, &[]int32{-9}, &[]int64{-9}, &[]int{-9}, &[]uint32{9},
		&[]float32{-9}, &[]float64{-9}, &[]bool{true}, &[]string{"sentinel"},
	}
}

// TestInlineArrayScanMatchesGeneral scans every case into every inline
// destination through the array type as registered (inline paths on) and
// through the same array type built over a copy of the element's codec,
// which the inline paths do not recognise (the general path, element by
// element): values, errors and untouched destinations must be identical.
func TestInlineArrayScanMatchesGeneral(t *testing.T) {
	r := NewRegistry()
	for elemName, values := range inlineCases(t, r) {
		elem := r.LookupName(elemName)
		require.NotNil(t, elem, elemName)
		fast := r.LookupName("_" + elemName)
		require.NotNil(t, fast, elemName)
		copied := *elem
		codecCopy := *elem.Binary
		copied.Binary = &codecCopy
		require.Nil(t, inlineOf(&copied), "a copy of a built-in codec is not inlined")
		// xid8 keeps the general path (values above MaxInt64), and is
		// here to show that nothing changes for it either.
		require.Equal(t, elemName != "xid8", inlineOf(elem) != nil, "%s inlined", elemName)
		general := NewArrayType(fast.OID, fast.Name, &copied)
		for i, src := range values {
			fastDests, generalDests := inlineDests(), inlineDests()
			for k := range fastDests {
				errFast := ScanValue(fast, BinaryFormat, src, fastDests[k])
				errGeneral := ScanValue(general, BinaryFormat, src, generalDests[k])
				what := fmt.Sprintf("%s case %d into %T", elemName, i, fastDests[k])
				assert.Equal(t, fmt.Sprint(errGeneral), fmt.Sprint(errFast), what)
				// As text: NaN is not equal to itself.
				assert.Equal(t, fmt.Sprintf("%#v", generalDests[k]), fmt.Sprintf("%#v", fastDests[k]), what)
			}
		}
	}
}

// The errors callers see from the inline destinations, spelled out.
func TestInlineArrayScanErrors(t *testing.T) {
	r := NewRegistry()
	arr := func(typ string, v any) []byte {
		b, err := r.LookupName(typ).Binary.Encode(nil, v)
		require.NoError(t, err, typ)
		return b
	}
	var ints []int32
	err := ScanValue(r.LookupName("_int4"), BinaryFormat, arr("_int4", [][]int32{{1, 2}, {3, 4}}), &ints)
	assert.EqualError(t, err, "cannot scan a 2-dimensional array into []int32 (1 dimension(s)); use a slice nested 2 deep or pg.Array")
	err = ScanValue(r.LookupName("_int4"), BinaryFormat, arr("_int4", []any{1, nil}), &ints)
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "array element 2")
		assert.Contains(t, err.Error(), "NULL")
	}
	err = ScanValue(r.LookupName("_int8"), BinaryFormat, arr("_int8", []int64{1, math.MaxInt32 + 1}), &ints)
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), "array element 2")
		assert.Contains(t, err.Error(), "2147483648")
	}
	var oids []uint32
	err = ScanValue(r.LookupName("_int4"), BinaryFormat, arr("_int4", []int32{-1}), &oids)
	assert.Error(t, err, "a negative int4 into uint32")
	require.NoError(t, ScanValue(r.LookupName("_int4"), BinaryFormat, arr("_int4", []int32{}), &ints))
	assert.Equal(t, []int32{}, ints, "an empty array is an empty, non-nil slice")
}

// An int4[] into []int32 allocates the slice and nothing else.
func TestInlineArrayScanAllocs(t *testing.T) {
	r := Default()
	typ := r.LookupName("_int4")
	vals := make([]int32, 100)
	for i := range vals {
		vals[i] = int32(i)
	}
	src, err := typ.Binary.Encode(nil, vals)
	require.NoError(t, err)
	var dst []int32
	allocs := testing.AllocsPerRun(100, func() {
		if err := ScanValue(typ, BinaryFormat, src, &dst); err != nil {
			t.Fatal(err)
		}
	})
	assert.Equal(t, vals, dst)
	assert.Equal(t, 1.0, allocs)
	rd, err := readArrayHeader(src, "int4[]")
	require.NoError(t, err)
	assert.True(t, scanInline(&rd, inlineOf(typ.Elem), &dst), "the inline path served it")
}

// "char" into *string allocates nothing for an ASCII byte (the catalogs'
// typtype, relkind ...).
func TestCharScanDoesNotAllocate(t *testing.T) {
	var s string
	src := []byte{'b'}
	allocs := testing.AllocsPerRun(100, func() {
		if ok, err := charType.Binary.Scan(src, &s); !ok || err != nil {
			t.Fatal(ok, err)
		}
	})
	assert.Equal(t, "b", s)
	assert.Zero(t, allocs)
}
