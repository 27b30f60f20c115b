package codec

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The golden values: PostgreSQL 15's binary (typsend) and text (typoutput)
// forms of every built-in type's edge values, captured once by
// internal/gengolden from testdata/golden/cases.sql. These tests need no
// server.
//
//go:generate go run ./internal/gengolden

// goldenCase is one value of testdata/golden/values.json.
type goldenCase struct {
	SQL     string   `json:"sql"`
	Type    string   `json:"type"`
	Session []string `json:"session"` // SET lines that differ from the defaults
	Binary  *string  `json:"binary"`
	Text    *string  `json:"text"`
}

func loadGolden(t *testing.T) []goldenCase {
	t.Helper()
	b, err := os.ReadFile("testdata/golden/values.json")
	require.NoError(t, err)
	var f struct {
		Cases []goldenCase `json:"cases"`
	}
	require.NoError(t, json.Unmarshal(b, &f))
	require.NotEmpty(t, f.Cases)
	return f.Cases
}

// goldenBinary returns c's binary form, nil for NULL or a type without one.
func (c goldenCase) binary(t *testing.T) []byte {
	t.Helper()
	if c.Binary == nil {
		return nil
	}
	b, err := hex.DecodeString(*c.Binary)
	require.NoError(t, err)
	return b
}

// TestGolden checks each golden value both ways, with no server:
//
//   - "decode": the binary form decodes (to goldenGoValues' value where
//     one is written out), and scanning it into a pointer to the decoded
//     value's Go type gives that value again (the Scan fast paths agree
//     with Decode);
//   - "encode": the decoded value encodes back to exactly the server's
//     bytes (arrays through pg.Array, which keeps the lower bounds;
//     anonymous records through a composite type of their field types,
//     since the server reads no anonymous record parameter);
//   - "text-decode": the server's text decodes (and scans) to the same
//     value as the binary form;
//   - "text-render": the text codec renders the value as the server's
//     text, and that text reads back as the value (for the cases captured
//     under other session settings, a TimeZone or bytea_output = escape,
//     only the read-back is checked: the codec renders UTC and hex);
//   - NULL decodes as nil and every Go nil encodes as NULL.
//
// goldenKnown lists the checks the codec fails today, with the reason.
func TestGolden(t *testing.T) {
	r := Default()
	for _, c := range loadGolden(t) {
		t.Run(c.SQL, func(t *testing.T) {
			typ := r.LookupName(c.Type)
			switch c.Type {
			case "record":
				typ = r.Lookup(RecordOID)
			case "_record":
				typ = r.Lookup(RecordArrayOID)
			}
			require.NotNil(t, typ, "the registry knows %s", c.Type)
			if c.Text == nil {
				checkGoldenNull(t, typ)
				return
			}
			checkGolden(t, r, typ, c)
		})
	}
}

func checkGoldenNull(t *testing.T, typ *Type) {
	var v any = "not nil"
	require.NoError(t, ScanValue(typ, typ.ResultFormat(), nil, &v))
	assert.Nil(t, v)
	v, err := DecodeValue(typ, typ.ResultFormat(), nil)
	require.NoError(t, err)
	assert.Nil(t, v)
	for _, null := range []any{nil, (*int)(nil), []byte(nil), Null[int32]{}} {
		out, _, isNull, err := EncodeValue(typ, []byte("x"), null)
		require.NoError(t, err)
		assert.True(t, isNull, "%T encodes as NULL", null)
		assert.Equal(t, "x", string(out), "NULL appends nothing")
	}
}

func checkGolden(t *testing.T, r *Registry, typ *Type, c goldenCase) {
	g := goldenRun{t: t, c: c}
	text := []byte(*c.Text)
	bin := c.binary(t)
	// An anonymous record (or array of them) is decoded with the record
	// type, but text-decoded and encoded through a composite type of its
	// field types: record_out's text does not carry them.
	codecType := typ
	if typ.OID == RecordOID || typ.OID == RecordArrayOID {
		require.NotNil(t, bin)
		codecType = recordCodecType(t, r, typ, bin)
	}

	if !typ.HasBinary() {
		// Exchanged as text only: the value is the server's text (for
		// arrays, its elements').
		g.check("text-decode", func(t require.TestingT) {
			textVal, err := decodeExact(codecType, TextFormat, text)
			require.NoError(t, err, "text %q", text)
			if typ.Kind != KindArray {
				assert.Equal(t, *c.Text, textVal)
			}
			checkScanSame(t, codecType, TextFormat, text, textVal)
			g.check("text-render", func(t require.TestingT) { checkTextRendering(t, codecType, textVal, *c.Text, true) })
		})
		return
	}
	require.NotNil(t, bin, "%s has a binary form", c.Type)

	binVal, err := decodeExact(typ, BinaryFormat, bin)
	require.NoError(t, err, "binary %x", bin)
	if typ.Kind == KindPseudo {
		assert.Nil(t, binVal, "void decodes as nil") // and is never sent
		return
	}
	if want, ok := goldenGoValuesOnce()[c.SQL]; ok {
		assert.Equal(t, goldenNorm(want), goldenNorm(binVal), "decoded Go value")
	}
	g.check("decode", func(t require.TestingT) { checkScanSame(t, typ, BinaryFormat, bin, binVal) })

	g.check("encode", func(t require.TestingT) {
		out, format, null, err := EncodeValue(codecType, []byte{0xAA}, binVal)
		require.NoError(t, err)
		assert.Equal(t, BinaryFormat, format)
		assert.False(t, null)
		assert.Equal(t, "aa"+*c.Binary, hex.EncodeToString(out), "encoding %#v gives the server's bytes", binVal)
	})

	g.check("text-decode", func(t require.TestingT) {
		textVal, err := decodeExact(codecType, TextFormat, text)
		require.NoError(t, err, "text %q", text)
		assert.Equal(t, goldenNorm(binVal), goldenNorm(textVal), "binary and text decode to the same value")
		checkScanSame(t, codecType, TextFormat, text, textVal)
	})
	g.check("text-render", func(t require.TestingT) {
		checkTextRendering(t, codecType, binVal, *c.Text, len(c.Session) == 0)
	})
}

// goldenRun runs one case's checks, holding those goldenKnown lists to
// failing.
type goldenRun struct {
	t *testing.T
	c goldenCase
}

func (g goldenRun) check(name string, fn func(t require.TestingT)) {
	g.t.Helper()
	reason, known := goldenKnownOnce()[g.c.SQL+" "+name]
	if !known {
		reason, known = goldenKnownOnce()[g.c.Type+" "+name]
	}
	if !known {
		fn(g.t)
		return
	}
	rec := &failRecorder{}
	rec.run(fn)
	if !rec.failed {
		g.t.Errorf("%s passes now: remove it from goldenKnown (%s)", name, reason)
		return
	}
	g.t.Logf("known failure of %s: %s\n%s", name, reason, strings.Join(rec.msgs, "\n"))
}

// failRecorder is a require.TestingT that notes failures instead of
// failing the test.
type failRecorder struct {
	failed bool
	msgs   []string
}

type failNow struct{}

func (f *failRecorder) Errorf(format string, args ...any) {
	f.failed = true
	f.msgs = append(f.msgs, fmt.Sprintf(format, args...))
}

func (f *failRecorder) FailNow() {
	f.failed = true
	panic(failNow{})
}

func (f *failRecorder) run(fn func(t require.TestingT)) {
	defer func() {
		if p := recover(); p != nil {
			if _, ok := p.(failNow); !ok {
				panic(p)
			}
		}
	}()
	fn(f)
}

// checkTextRendering compares the text codec's rendering of v with the
// server's text (when exact), and reads the rendering back.
func checkTextRendering(t require.TestingT, typ *Type, v any, server string, exact bool) {
	out, format, null, err := EncodeValue(textOnly(typ), []byte{}, v)
	require.NoError(t, err, "text-encoding %#v", v)
	require.False(t, null)
	require.Equal(t, TextFormat, format)
	if exact {
		assert.Equal(t, server, string(out), "text rendering of %#v", v)
	}
	back, err := decodeExact(typ, TextFormat, out)
	require.NoError(t, err, "reading back %q", out)
	assert.Equal(t, goldenNorm(v), goldenNorm(back), "%q reads back as the value", out)
}

// textOnly is typ without its binary codec, so that EncodeValue uses the
// text codec.
func textOnly(typ *Type) *Type {
	cp := *typ
	cp.Binary = nil
	return &cp
}

// checkScanSame scans src into a new value of want's Go type and expects
// want again: the codecs' Scan fast paths agree with Decode.
func checkScanSame(t require.TestingT, typ *Type, format int16, src []byte, want any) {
	if want == nil || typ.Kind == KindArray && typ.Elem.Kind == KindArray {
		return // pg.Array[any] holds int2vector[]'s elements as []any
	}
	dst := reflect.New(reflect.TypeOf(want))
	require.NoError(t, ScanValue(typ, format, src, dst.Interface()), "scan into %s", dst.Type())
	assert.Equal(t, goldenNorm(want), goldenNorm(dst.Elem().Interface()), "scan into %s", dst.Type())
}

// decodeExact decodes src keeping everything the wire form holds: arrays
// into pg.Array (lower bounds), everything else by Decode.
func decodeExact(typ *Type, format int16, src []byte) (any, error) {
	base := typ
	for i := 0; base.Kind == KindDomain && i < 8; i++ {
		base = base.Elem
	}
	if base.Kind != KindArray {
		return DecodeValue(typ, format, src)
	}
	if base.Elem.Kind != KindArray {
		var a Array[any]
		err := ScanValue(typ, format, src, &a)
		return a, err
	}
	// int2vector[] and oidvector[]: elements with lower bound 0, which
	// only a pg.Array keeps; pg.Array[any] holds them as []any.
	r, err := readArrayHeader(src, typ.Name)
	if format == TextFormat {
		r, err = parseArrayText(src, base.Elem.delim(), typ.Name)
	}
	if err != nil {
		return nil, err
	}
	a := Array[any]{Dims: append([]ArrayDimension(nil), r.dims[:r.ndim]...), Elements: make([]any, r.n)}
	for i := range a.Elements {
		b, err := r.next(typ.Name)
		if err != nil {
			return nil, err
		}
		if b != nil {
			if a.Elements[i], err = decodeExact(base.Elem, format, b); err != nil {
				return nil, err
			}
		}
	}
	return a, r.done(typ.Name)
}

// recordCodecType builds a composite type (or an array of one) with the
// field types of the anonymous record value src, recursively for nested
// records.
func recordCodecType(t *testing.T, r *Registry, typ *Type, src []byte) *Type {
	t.Helper()
	if typ.OID == RecordArrayOID {
		hdr, err := readArrayHeader(src, "_record")
		require.NoError(t, err)
		require.Positive(t, hdr.n)
		first, err := hdr.next("_record")
		require.NoError(t, err)
		return NewArrayType(RecordArrayOID, "_record", recordCodecType(t, r, r.Lookup(RecordOID), first))
	}
	require.GreaterOrEqual(t, len(src), 4)
	n := int(binary.BigEndian.Uint32(src))
	p := src[4:]
	fields := make([]Field, n)
	for i := range fields {
		require.GreaterOrEqual(t, len(p), 8)
		oid := binary.BigEndian.Uint32(p)
		l := int32(binary.BigEndian.Uint32(p[4:]))
		p = p[8:]
		ft := r.Lookup(oid)
		var data []byte
		if l >= 0 {
			data, p = p[:l], p[l:]
		}
		if oid == RecordOID || oid == RecordArrayOID {
			require.NotNil(t, data, "a NULL nested record has no field types")
			ft = recordCodecType(t, r, ft, data)
		}
		require.NotNil(t, ft, "field type %d", oid)
		fields[i] = Field{Name: fmt.Sprintf("f%d", i+1), Type: ft}
	}
	// The OID is record's: it is what record_send writes for nested records.
	return NewCompositeType(RecordOID, "record", "", fields)
}

// goldenNorm makes decoded values comparable with assert.Equal: instants
// instead of time.Times with their locations, floats by their bits (NaN
// as NaN, -0 apart from 0), numerics by their text (scale included),
// records as names and values.
func goldenNorm(v any) any {
	switch x := v.(type) {
	case time.Time:
		return "time " + x.UTC().Format("2006-01-02 15:04:05.999999999 -0700 MST")
	case Timestamp:
		if x.InfinityModifier != Finite {
			return "timestamp " + x.InfinityModifier.String()
		}
		return goldenNorm(x.Time)
	case Date:
		if x.InfinityModifier != Finite {
			return "date " + x.InfinityModifier.String()
		}
		return goldenNorm(x.Time)
	case float64:
		if math.IsNaN(x) {
			return "float64 NaN"
		}
		return fmt.Sprintf("float64 %v (%#x)", x, math.Float64bits(x))
	case float32:
		if math.IsNaN(float64(x)) {
			return "float32 NaN"
		}
		return fmt.Sprintf("float32 %v (%#x)", x, math.Float32bits(x))
	case Numeric:
		return "numeric " + x.String()
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = goldenNorm(e)
		}
		return out
	case Array[any]:
		return struct {
			Dims  []ArrayDimension
			Elems any
		}{x.Dims, goldenNorm(x.Elements)}
	case Range[any]:
		x.Lower, x.Upper = goldenNorm(x.Lower), goldenNorm(x.Upper)
		return x
	case []Range[any]:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = goldenNorm(e)
		}
		return out
	case Record:
		return struct {
			Names  []string
			Values any
		}{x.Columns(), goldenNorm(x.Values())}
	}
	return v
}

// The tables of these tests are built by functions, not package-level
// literals: the package's init function initialises every package-level
// variable, test files' included, and an init grown big gets a smaller
// inlining budget, which changes the allocations TestScanDoesNotAllocate
// counts (fixedGeometry's Scan allocates when it is not inlined there).
var (
	goldenKnownOnce    = sync.OnceValue(goldenKnown)
	goldenGoValuesOnce = sync.OnceValue(goldenGoValues)
)

// goldenKnown lists the checks (see TestGolden) the codec fails today,
// by "<case SQL> <check>" or "<type name> <check>", with the reason. A
// listed check that passes fails the test, so the list only shrinks.
func goldenKnown() map[string]string {
	return map[string]string{
		// numeric_send writes a dscale of 32 for ±Infinity (NUMERIC_DSCALE
		// reads the special value's header as a short header's); numeric_recv
		// ignores it, so the codec's 0 is read the same.
		"'Infinity'::numeric encode":                    "dscale 0 where the server sends 32",
		"'-Infinity'::numeric encode":                   "dscale 0 where the server sends 32",
		"'{1.5,NaN,-Infinity,0.000}'::numeric[] encode": "dscale 0 where the server sends 32",

		// int2vectorrecv refuses the empty vector's own send form
		// (array_recv gives it no dimension), so pg sends it as text ('').
		"''::int2vector encode": "sent as text: the server refuses its own empty binary form",

		// Binary types without a text codec: their text decodes as a Go
		// string, and their values cannot be rendered as text (needed when
		// they are a field of a composite that travels as text).
		"money text-decode":   "no text codec: '$12.34' decodes as a string",
		"_money text-decode":  "no text codec for money: elements decode as strings",
		"money text-render":   "no text codec: pg.Money cannot be rendered as text",
		"_money text-render":  "no text codec for money: pg.Money cannot be rendered as text",
		"tid text-render":     "the text codec has no Encode",
		"_tid text-render":    "the text codec of tid has no Encode",
		"pg_lsn text-render":  "the text codec has no Encode",
		"_pg_lsn text-render": "the text codec of pg_lsn has no Encode",

		// A composite renders its fields with their text codecs.
		`ROW('192.168.0.1/24'::inet, '08:00:2b:01:02:03'::macaddr, B'101', '16/B374D848'::pg_lsn, '(42,7)'::tid) text-render`: "the text codecs of pg_lsn and tid have no Encode",

		// record_in reads '()' as no attributes when the type has none.
		"ROW() text-decode": "'()' is read as one NULL attribute, whatever the type's attribute count",
		"ROW() text-render": "renders '()' right, and reads it back as one NULL attribute",
	}
}

// Every type the registry knows has a golden case, but for the two no
// SQL expression yields a value of.
func TestGoldenCoversRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range loadGolden(t) {
		seen[c.Type] = true
	}
	uncovered := map[string]bool{
		"unknown":      true, // a literal's type before resolution
		"pg_node_tree": true, // no input function: only catalogs hold values
	}
	var missing []string
	for _, typ := range builtinTypes() {
		if !seen[typ.Name] && !uncovered[typ.Name] {
			missing = append(missing, typ.Name)
		}
	}
	assert.Empty(t, missing, "built-in types without a golden case")
	assert.True(t, seen["record"] && seen["_record"])
}

// A domain over a type, and a type declared wire-compatible with a
// built-in (BuiltinCodecType, as SetBuiltinTypeCodec does), read and
// write every golden value as the type itself does.
func TestGoldenDerivedTypes(t *testing.T) {
	r := Default()
	for _, c := range loadGolden(t) {
		typ := r.LookupName(c.Type)
		if typ == nil || c.Binary == nil || !typ.HasBinary() || typ.Kind == KindPseudo {
			continue // records, NULLs, text-only types, void
		}
		bin := c.binary(t)
		want, err := decodeExact(typ, BinaryFormat, bin)
		require.NoError(t, err, c.SQL)
		builtin, ok := BuiltinCodecType(c.Type, 100001, "wire_"+c.Type, "public")
		require.True(t, ok, c.Type)
		for _, d := range []*Type{NewDomainType(100000, "d_"+c.Type, "public", typ), builtin} {
			got, err := decodeExact(d, BinaryFormat, bin)
			if !assert.NoError(t, err, "%s as %s", c.SQL, d.Name) {
				continue
			}
			assert.Equal(t, goldenNorm(want), goldenNorm(got), "%s as %s", c.SQL, d.Name)
			out, format, _, err := EncodeValue(d, nil, got)
			if _, known := goldenKnownOnce()[c.SQL+" encode"]; known {
				continue
			}
			if assert.NoError(t, err, "%s as %s", c.SQL, d.Name) {
				assert.Equal(t, BinaryFormat, format)
				assert.Equal(t, *c.Binary, hex.EncodeToString(out), "%s as %s", c.SQL, d.Name)
			}
		}
	}
}

// Record.Scan fills destinations from a record's decoded fields as
// ScanValue fills them from the wire.
func TestGoldenRecordScan(t *testing.T) {
	r := Default()
	for _, c := range loadGolden(t) {
		if c.Type != "record" || c.Binary == nil {
			continue
		}
		v, err := DecodeValue(r.Lookup(RecordOID), BinaryFormat, c.binary(t))
		require.NoError(t, err, c.SQL)
		rec := v.(Record)
		dest := make([]any, rec.Len())
		for i := range dest {
			dest[i] = new(any)
		}
		require.NoError(t, rec.Scan(dest...), c.SQL)
		for i, d := range dest {
			assert.Equal(t, goldenNorm(rec.Value(i)), goldenNorm(*d.(*any)), "%s field %d", c.SQL, i+1)
		}
		assert.Equal(t, len(rec.Columns()), rec.Len())
		assert.Error(t, rec.Scan(append(dest, new(any))...), "one destination too many")
	}
	v, err := DecodeValue(r.Lookup(RecordOID), BinaryFormat, mustHex(t, "00000002000000170000000400000001000000190000000161"))
	require.NoError(t, err)
	var n int16
	var s string
	require.NoError(t, v.(Record).Scan(&n, &s))
	assert.Equal(t, int16(1), n)
	assert.Equal(t, "a", s)
	var u uint8
	require.NoError(t, v.(Record).Scan(&u, nil), "a nil destination skips its field")
	assert.Equal(t, uint8(1), u)
	var se *ScanError
	require.ErrorAs(t, v.(Record).Scan(&n, &n), &se, "text into int16")
	assert.Equal(t, 1, se.Column)
	assert.Equal(t, "f2", se.Name)
	assert.NotNil(t, se.Unwrap())
	assert.Contains(t, se.Error(), "f2")
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}
