package codec

import (
	"encoding/json"
	"net"
	"net/netip"
	"slices"
	"testing"
	"time"
)

// fuzzRegistry is the default registry plus the kinds of types only
// introspection or registration create: a domain, an enum, named
// composites (nested, with an array attribute), a custom range and
// multirange, hstore, and arrays of each.
func fuzzRegistry() (*Registry, []*Type) {
	r := Default().Clone()
	d := Default()
	enum := NewEnumType(90001, "mood", "public")
	dom := NewDomainType(90002, "posint", "public", d.Lookup(Int4OID))
	inner := NewCompositeType(90003, "inner", "public", []Field{
		{Name: "a", Type: d.Lookup(Int4OID)}, {Name: "b", Type: d.Lookup(TextOID)},
	})
	outer := NewCompositeType(90004, "outer", "public", []Field{
		{Name: "i", Type: inner}, {Name: "xs", Type: d.Lookup(Int8OID)},
		{Name: "arr", Type: NewArrayType(90005, "_inner", inner)}, {Name: "m", Type: enum},
	})
	rng := NewRangeType(90006, "floatrange", d.Lookup(Float8OID))
	multi := NewMultirangeType(90007, "floatmultirange", rng)
	hs := NewHstoreType(90008, "hstore", "public")
	extra := []*Type{enum, dom, inner, outer, rng, multi, hs,
		NewArrayType(90009, "_hstore", hs), NewArrayType(90010, "_posint", dom), NewArrayType(90011, "_floatrange", rng)}
	for _, t := range extra {
		r.RegisterDerived(t)
	}
	var all []*Type
	for _, t := range r.base {
		all = append(all, t)
	}
	all = append(all, extra...)
	all = append(all, r.record, r.recordArray)
	slices.SortFunc(all, func(a, b *Type) int { return int(a.OID) - int(b.OID) })
	return r, all
}

// fuzzDests are the destinations every decoder is tried with: the fast
// paths of the common types and the reflective ones.
func fuzzDests() []func() any {
	return []func() any{
		func() any { return new(any) },
		func() any { return new(string) },
		func() any { return new([]byte) },
		func() any { return new(int64) },
		func() any { return new(int16) },
		func() any { return new(uint32) },
		func() any { return new(float32) },
		func() any { return new(bool) },
		func() any { return new(time.Time) },
		func() any { return new(Timestamp) },
		func() any { return new(Date) },
		func() any { return new(Numeric) },
		func() any { return new(netip.Addr) },
		func() any { return new(net.HardwareAddr) },
		func() any { return new(json.RawMessage) },
		func() any { return new(map[string]any) },
		func() any { return new(map[string]*string) },
		func() any { return new([]int32) },
		func() any { return new([][]*string) },
		func() any { return new(Array[Null[int64]]) },
		func() any { return new(Record) },
		func() any { return new(struct{ A int32 }) },
		func() any { return new(Range[int32]) },
		func() any { return new([]Range[float64]) },
		func() any { return new(Null[string]) },
		func() any { return new(*int32) },
	}
}

// fuzzDecode feeds src to type t's codec in format: decoding, scanning into
// every destination and re-encoding what decoded must not panic.
func fuzzDecode(t *testing.T, typ *Type, format int16, src []byte) {
	c := typ.Codec(format)
	if c.Decode == nil {
		return
	}
	v, err := DecodeValue(typ, format, src)
	if err == nil {
		_, _, _, _ = EncodeValue(typ, nil, v)
	}
	for _, mk := range fuzzDests() {
		_ = ScanValue(typ, format, src, mk())
	}
	_ = ScanValue(typ, format, nil, new(any))
}

func fuzzType(all []*Type, oid uint32) *Type {
	for _, t := range all {
		if t.OID == oid {
			return t
		}
	}
	return all[int(oid%uint32(len(all)))]
}

// FuzzDecodeBinary: every binary decoder, fed arbitrary bytes, returns a
// value or an error and never panics. The corpus in
// testdata/fuzz/FuzzDecodeBinary holds real values the server sent
// (regenerate with the root package's TestWriteFuzzCorpus).
func FuzzDecodeBinary(f *testing.F) {
	_, all := fuzzRegistry()
	for _, t := range all {
		f.Add(t.OID, []byte{})
		f.Add(t.OID, []byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 4, 0, 0, 0, 7})
	}
	f.Fuzz(func(t *testing.T, oid uint32, src []byte) {
		typ := fuzzType(all, oid)
		if typ.Binary == nil {
			return
		}
		fuzzDecode(t, typ, BinaryFormat, src)
	})
}

// FuzzDecodeText: the text-format parsers (arrays, composites, ranges,
// hstore, numeric, intervals, ...) never panic either.
func FuzzDecodeText(f *testing.F) {
	_, all := fuzzRegistry()
	for _, s := range []string{"", "{}", `{1,NULL,"a\"b"}`, `[1:2]={3,4}`, `{{1},{2}}`, `(1,"x y",)`, `[1,5)`, `empty`,
		`{[1,2),(3,4]}`, `"a"=>"b", c=>NULL`, `NaN`, `-1.5e10`, `1 year 2 mons -3 days 04:05:06.7`, `P1Y2M`,
		`2020-01-01 00:00:00+05:30`, `infinity`, `(1,2),(3,4)`, `<(1,2),3>`, `16/B374D848`, `10:20:10,14`, `\x00ff`} {
		f.Add(uint32(0), s)
		f.Add(uint32(1007), s) // int4[]
		f.Add(uint32(90004), s)
		f.Add(uint32(90008), s)
	}
	f.Fuzz(func(t *testing.T, oid uint32, src string) {
		fuzzDecode(t, fuzzType(all, oid), TextFormat, []byte(src))
	})
}
