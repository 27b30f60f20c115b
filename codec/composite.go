package codec

import (
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"

	"github.com/wirepg/pg/internal/structmap"
)

// OutdatedSchemaError reports a composite value whose shape differs from
// the one introspected for its type: the type was altered after the
// connection looked it up. The connection reloads its type cache before
// its next call (never in the middle of a result), so running the call
// again works.
type OutdatedSchemaError struct {
	Type string
	Msg  string
}

func (e *OutdatedSchemaError) Error() string {
	return fmt.Sprintf("type %s changed on the server (%s); the connection's type cache was outdated and is reloaded for the next call: retry", e.Type, e.Msg)
}

// compositeReader walks a composite value's fields, from the binary form
// (record_send: a field count, then per field its type OID and length-
// prefixed value) or a parsed text form.
type compositeReader struct {
	format int16
	n      int
	body   []byte
	text   [][]byte
	i      int
}

func readCompositeHeader(src []byte, name string) (compositeReader, error) {
	r := compositeReader{format: BinaryFormat}
	if len(src) < 4 {
		return r, &DecodeError{PGType: name, Msg: "short composite header"}
	}
	n := int32(binary.BigEndian.Uint32(src))
	if n < 0 || int64(n) > int64(len(src)-4)/8 {
		return r, &DecodeError{PGType: name, Msg: "bad field count"}
	}
	r.n, r.body = int(n), src[4:]
	return r, nil
}

// next returns the next field's type OID (0 in the text form) and bytes
// (nil for NULL).
func (r *compositeReader) next(name string) (uint32, []byte, error) {
	if r.i >= r.n {
		return 0, nil, &DecodeError{PGType: name, Msg: "too few fields"}
	}
	r.i++
	if r.format == TextFormat {
		return 0, r.text[r.i-1], nil
	}
	if len(r.body) < 8 {
		return 0, nil, &DecodeError{PGType: name, Msg: "truncated field"}
	}
	oid := binary.BigEndian.Uint32(r.body)
	l := int32(binary.BigEndian.Uint32(r.body[4:]))
	r.body = r.body[8:]
	if l == -1 {
		return oid, nil, nil
	}
	if l < 0 || int(l) > len(r.body) {
		return 0, nil, &DecodeError{PGType: name, Msg: "bad field length"}
	}
	b := r.body[:l:l]
	r.body = r.body[l:]
	return oid, b, nil
}

func (r *compositeReader) done(name string) error {
	if r.format == BinaryFormat && len(r.body) != 0 {
		return &DecodeError{PGType: name, Msg: "trailing bytes after the fields"}
	}
	return nil
}

// compositeShape resolves field i's type: a named composite knows it, an
// anonymous record looks the wire OID up.
type compositeShape struct {
	name   string
	fields []Field // nil for anonymous records
	cols   *Columns
	reg    *Registry // anonymous records only
}

func (s *compositeShape) fieldType(i int, oid uint32, format int16) (*Type, error) {
	if s.fields == nil {
		if s.reg == nil {
			return nil, nil
		}
		return s.reg.Lookup(oid), nil
	}
	ft := s.fields[i].Type
	if format == BinaryFormat && ft != nil && oid != ft.OID {
		return nil, &OutdatedSchemaError{Type: s.name, Msg: fmt.Sprintf("attribute %q has type OID %d, expected %d", s.fields[i].Name, oid, ft.OID)}
	}
	return ft, nil
}

func (s *compositeShape) check(r *compositeReader) error {
	if s.fields != nil && r.n != len(s.fields) {
		return &OutdatedSchemaError{Type: s.name, Msg: fmt.Sprintf("the server sent %d attributes, the cached type has %d", r.n, len(s.fields))}
	}
	return nil
}

// columns returns the field names: the attributes', or f1..fn for an
// anonymous record (the names row_to_json gives them).
func (s *compositeShape) columns(n int) *Columns {
	if s.cols != nil {
		return s.cols
	}
	if n < len(anonColumns) {
		return anonColumns[n]
	}
	names := make([]string, n)
	for i := range names {
		names[i] = "f" + strconv.Itoa(i+1)
	}
	return NewColumns(names)
}

var anonColumns = func() []*Columns {
	out := make([]*Columns, 17)
	for n := range out {
		names := make([]string, n)
		for i := range names {
			names[i] = "f" + strconv.Itoa(i+1)
		}
		out[n] = NewColumns(names)
	}
	return out
}()

func (s *compositeShape) decode(r *compositeReader) (Record, error) {
	if err := s.check(r); err != nil {
		return Record{}, err
	}
	values := make([]any, r.n)
	var types []*Type // an anonymous record's field types, from the wire
	if s.fields == nil {
		types = make([]*Type, r.n)
	}
	for i := range values {
		oid, b, err := r.next(s.name)
		if err != nil {
			return Record{}, err
		}
		ft, err := s.fieldType(i, oid, r.format)
		if err != nil {
			return Record{}, err
		}
		if types != nil {
			types[i] = ft
		}
		v, err := DecodeValue(ft, r.format, b)
		if err != nil {
			return Record{}, s.fieldError(i, err)
		}
		values[i] = v
	}
	if err := r.done(s.name); err != nil {
		return Record{}, err
	}
	cols := s.columns(r.n)
	if types != nil {
		cols = cols.WithTypes(types)
	}
	return Record{cols: cols, values: values}, nil
}

func (s *compositeShape) fieldError(i int, err error) error {
	name := ""
	if s.cols != nil && i < len(s.cols.names) {
		name = s.cols.names[i]
	}
	return fmt.Errorf("%s attribute %d %q: %w", s.name, i+1, name, err)
}

// isCompositeDest reports whether dst is filled field by field: a pointer
// to a Record, a map[string]any or a struct that is not one of the value
// types other codecs own (time.Time, Null[T], sql.Scanners ...).
func isCompositeDest(dst any) bool {
	switch dst.(type) {
	case *Record, *map[string]any, *[]any:
		return true
	case nullable, sql.Scanner, *time.Time, arrayTarget, rangeTarget:
		return false
	}
	t := reflect.TypeOf(dst)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct
}

func (s *compositeShape) scan(r *compositeReader, dst any) error {
	switch d := dst.(type) {
	case *Record:
		rec, err := s.decode(r)
		if err != nil {
			return err
		}
		*d = rec
		return nil
	case *map[string]any:
		rec, err := s.decode(r)
		if err != nil {
			return err
		}
		*d = rec.Map()
		return nil
	case *[]any:
		rec, err := s.decode(r)
		if err != nil {
			return err
		}
		*d = rec.values
		return nil
	}
	if err := s.check(r); err != nil {
		return err
	}
	v := reflect.ValueOf(dst).Elem()
	sf := structmap.Of(v.Type())
	names := s.columns(r.n).names
	for i := 0; i < r.n; i++ {
		oid, b, err := r.next(s.name)
		if err != nil {
			return err
		}
		ft, err := s.fieldType(i, oid, r.format)
		if err != nil {
			return err
		}
		idx, ok := sf.Index(names[i])
		if !ok {
			return &UnmappedColumnError{Column: names[i], Struct: typeName(v.Addr().Interface())[1:]}
		}
		if err := ScanValue(ft, r.format, b, structmap.FieldByIndex(v, idx).Addr().Interface()); err != nil {
			return s.fieldError(i, err)
		}
	}
	return r.done(s.name)
}

// NewCompositeType builds the composite type oid with fields (in
// attribute order). It is read and written in the binary format when
// every field's type is, else in the text format. Values decode as Record;
// a *struct, *map[string]any, *[]any or *Record destination is filled
// field by field. Structs (by field name or `pg` tag), map[string]any
// (unknown keys are an error, missing ones NULL), Records and []any (in
// order) encode.
func NewCompositeType(oid uint32, name, schema string, fields []Field) *Type {
	t := &Type{OID: oid, Name: name, Schema: schema, Kind: KindComposite, Fields: fields, Delim: ','}
	names := make([]string, len(fields))
	types := make([]*Type, len(fields))
	binaryOK := true
	for i, f := range fields {
		names[i] = f.Name
		types[i] = f.Type
		binaryOK = binaryOK && f.Type.HasBinary()
	}
	shape := &compositeShape{name: t.qualifiedName(), fields: fields, cols: NewColumns(names).WithTypes(types)}
	t.Text = &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return encodeCompositeText(dst, shape, v) },
		Decode: func(src []byte) (any, error) {
			r, err := parseCompositeText(src, shape.name)
			if err != nil {
				return nil, err
			}
			return shape.decode(&r)
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if !isCompositeDest(dst) {
				return false, nil
			}
			r, err := parseCompositeText(src, shape.name)
			if err != nil {
				return true, err
			}
			return true, shape.scan(&r, dst)
		},
	}
	if binaryOK {
		t.Binary = &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encodeCompositeBinary(dst, shape, v) },
			Decode: func(src []byte) (any, error) {
				r, err := readCompositeHeader(src, shape.name)
				if err != nil {
					return nil, err
				}
				return shape.decode(&r)
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if !isCompositeDest(dst) {
					return false, nil
				}
				r, err := readCompositeHeader(src, shape.name)
				if err != nil {
					return true, err
				}
				return true, shape.scan(&r, dst)
			},
		}
	}
	return t
}

// newRecordType builds the anonymous record type, whose values carry their
// field types; reg resolves them. The server cannot read anonymous records
// from a client, so it has no encoder.
func newRecordType(reg *Registry) *Type {
	shape := &compositeShape{name: "record", reg: reg}
	return &Type{
		OID:  RecordOID,
		Name: "record",
		Kind: KindComposite,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				return dst, fmt.Errorf("PostgreSQL cannot read an anonymous record parameter; cast the parameter to a named composite type")
			},
			Decode: func(src []byte) (any, error) {
				r, err := readCompositeHeader(src, "record")
				if err != nil {
					return nil, err
				}
				return shape.decode(&r)
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if !isCompositeDest(dst) {
					return false, nil
				}
				r, err := readCompositeHeader(src, "record")
				if err != nil {
					return true, err
				}
				return true, shape.scan(&r, dst)
			},
		},
	}
}

// compositeValues lists v's attribute values in attribute order from a
// struct, map[string]any, Record or []any.
func compositeValues(shape *compositeShape, v any) ([]any, error) {
	n := len(shape.fields)
	out := make([]any, n)
	pos := func(name string) (int, bool) { return shape.cols.Index(name) }
	switch x := v.(type) {
	case []any:
		if len(x) != n {
			return nil, fmt.Errorf("cannot encode %d values as %s: it has %d attributes", len(x), shape.name, n)
		}
		copy(out, x)
		return out, nil
	case Record:
		for i, name := range x.cols.Names() {
			j, ok := pos(name)
			if !ok {
				return nil, fmt.Errorf("cannot encode pg.Record as %s: it has no attribute %q", shape.name, name)
			}
			out[j] = x.values[i]
		}
		return out, nil
	case map[string]any:
		for k, val := range x {
			j, ok := pos(k)
			if !ok {
				return nil, fmt.Errorf("cannot encode map key %q as an attribute of %s: there is no such attribute", k, shape.name)
			}
			out[j] = val
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Struct {
		return nil, unsupportedEncode(v, shape.name, "use a struct, map[string]any, pg.Record or []any")
	}
	// Struct fields by attribute name; a struct field matching no
	// attribute is an error, as a map key would be.
	sf := structmap.Of(rv.Type())
	if len(sf.List) == 0 && n > 0 {
		// time.Time, pg.Numeric, struct{ x int }: nothing of the value would
		// reach the server, which would store a composite of NULLs. Not an
		// UnsupportedTypeError, so that no text fallback (time.Time's
		// MarshalText) is tried either.
		return nil, fmt.Errorf("cannot encode Go type %s as composite %s: it has no exported fields to take its %d attributes from; use a struct with fields named (or `pg` tagged) after them, map[string]any, pg.Record or []any", typeName(v), shape.name, n)
	}
	for _, f := range sf.List {
		j, ok := -1, false
		if f.Tag != "" {
			j, ok = pos(f.Tag)
		} else {
			for k, attr := range shape.fields {
				if structmap.SameName(attr.Name, f.GoName) {
					j, ok = k, true
					break
				}
			}
		}
		if !ok {
			return nil, fmt.Errorf("cannot encode %s as %s: field %s matches no attribute (tag it `pg:\"-\"` to leave it out)", typeName(v), shape.name, f.GoName)
		}
		if fv, ok := fieldByIndexNoAlloc(rv, f.Index); ok {
			out[j] = fv.Interface()
		}
	}
	return out, nil
}

// fieldByIndexNoAlloc is reflect's FieldByIndex, reporting a nil embedded
// pointer instead of panicking.
func fieldByIndexNoAlloc(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

func encodeCompositeBinary(dst []byte, shape *compositeShape, v any) ([]byte, error) {
	vals, err := compositeValues(shape, v)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(vals)))
	for i, val := range vals {
		ft := shape.fields[i].Type
		dst = binary.BigEndian.AppendUint32(dst, ft.OID)
		val, null, err := unwrapElem(val)
		if err != nil {
			return dst[:mark], err
		}
		if null {
			dst = binary.BigEndian.AppendUint32(dst, math.MaxUint32)
			continue
		}
		lenAt := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		dst, err = ft.Binary.Encode(dst, val)
		if err != nil {
			if _, unsupported := err.(*UnsupportedTypeError); unsupported {
				return dst[:mark], err // EncodeValue retries as text
			}
			return dst[:mark], shape.fieldError(i, err)
		}
		binary.BigEndian.PutUint32(dst[lenAt:], uint32(len(dst)-lenAt-4))
	}
	return dst, nil
}
