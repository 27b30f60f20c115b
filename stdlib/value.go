package stdlib

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/wirepg/pg/codec"
)

// Type OIDs whose values have a natural driver.Value.
const (
	boolOID        = 16
	byteaOID       = 17
	nameOID        = 19
	int8OID        = 20
	int2OID        = 21
	int4OID        = 23
	textOID        = 25
	oidOID         = 26
	xidOID         = 28
	cidOID         = 29
	jsonOID        = 114
	float4OID      = 700
	float8OID      = 701
	moneyOID       = 790
	moneyArrayOID  = 791
	bpcharOID      = 1042
	varcharOID     = 1043
	dateOID        = 1082
	timestampOID   = 1114
	timestamptzOID = 1184
	numericOID     = 1700
	recordOID      = 2249
	recordArrayOID = 2287
	jsonbOID       = 3802
)

// natural reports whether values of t (a domain: of its base type) go to
// database/sql as pg decodes them: int64, float64, bool, []byte, string,
// time.Time. Every other type goes as PostgreSQL's text form, as lib/pq
// and pgx's stdlib deliver it, so the Scanners written for those drivers
// (pq.Array, bun's and GORM's types, sqlc's) read it unchanged.
func natural(t *codec.Type) bool {
	for t != nil && t.Kind == codec.KindDomain {
		t = t.Elem
	}
	if t == nil {
		return true // unknown to the connection: already text
	}
	switch t.OID {
	case boolOID, byteaOID, nameOID, int8OID, int2OID, int4OID, textOID,
		oidOID, xidOID, cidOID, jsonOID, jsonbOID, float4OID, float8OID,
		bpcharOID, varcharOID, dateOID, timestampOID, timestamptzOID:
		return true
	}
	return false
}

// column converts one result column's wire values to driver.Values.
type column struct {
	typ     *codec.Type
	format  int16
	natural bool
	// render is typ with the text codecs the text form needs where typ's
	// own cannot write it (money, anonymous records, timestamptz in the
	// session's TimeZone); nil until needed.
	render *codec.Type
	// zone is the session's TimeZone, nil when unknown (then UTC).
	zone func() *time.Location
}

func (c *column) value(src []byte) (driver.Value, error) {
	if src == nil {
		return nil, nil
	}
	if c.natural {
		v, err := codec.DecodeValue(c.typ, c.format, src)
		if err != nil {
			return nil, err
		}
		return codec.DriverValue(v), nil
	}
	if c.format == codec.TextFormat {
		return string(src), nil // the server's own text
	}
	s, err := c.text(src)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// text renders a binary value in the type's text output form.
func (c *column) text(src []byte) (string, error) {
	t := c.render
	if t == nil || isRecord(c.typ) {
		var tz *codec.Type
		if c.zone != nil {
			if loc := c.zone(); loc != nil && loc != time.UTC {
				tz = zonedTimestamptz(loc)
			}
		}
		var err error
		if t, err = renderType(c.typ, src, tz); err != nil {
			return "", err
		}
		if !isRecord(c.typ) {
			c.render = t
		}
	}
	// Decoded with the render type, so that a timestamptz in it is a
	// time in the session's zone, which its text writer writes with that
	// offset, as timestamptz_out does.
	v, err := codec.DecodeValue(t, c.format, src)
	if err != nil {
		return "", err
	}
	if s, ok := v.(string); ok && t.Kind != codec.KindArray {
		// A scalar pg reads as a Go string (jsonpath, enums) reads as
		// its text.
		return s, nil
	}
	enc := t.Codec(codec.TextFormat)
	if enc.Encode == nil {
		return "", fmt.Errorf("stdlib: no text form for %s values", t.Name)
	}
	b, err := enc.Encode(nil, v)
	if err != nil {
		return "", fmt.Errorf("stdlib: rendering a %s value as text: %w", t.Name, err)
	}
	return string(b), nil
}

func isRecord(t *codec.Type) bool {
	return t != nil && (t.OID == recordOID || t.OID == recordArrayOID)
}

// renderType is t with text codecs that can write every value of it:
// money as cash_out writes it, types whose text codec reads but does not
// write (tid, pg_lsn) through their Go value's String, and an anonymous
// record (whose field types travel with each value, src) as a composite
// of its fields' types.
func renderType(t *codec.Type, src []byte, tz *codec.Type) (*codec.Type, error) {
	switch {
	case t.OID == recordOID:
		return recordType(src, tz)
	case t.OID == recordArrayOID:
		first, err := firstArrayElement(src)
		if err != nil || first == nil {
			return t, err
		}
		elem, err := recordType(first, tz)
		if err != nil {
			return nil, err
		}
		return codec.NewArrayType(t.OID, t.Name, elem), nil
	}
	return withText(t, tz), nil
}

// withText is t, or a copy of it with text writers where t lacks them,
// and with tz (when not nil) for timestamptz.
func withText(t *codec.Type, tz *codec.Type) *codec.Type {
	if t == nil {
		return nil
	}
	switch t.Kind {
	case codec.KindArray:
		if e := withText(t.Elem, tz); e != t.Elem {
			return codec.NewArrayType(t.OID, t.Name, e)
		}
	case codec.KindRange:
		if e := withText(t.Elem, tz); e != t.Elem {
			return codec.NewRangeType(t.OID, t.Name, e)
		}
	case codec.KindMultirange:
		if e := withText(t.Elem, tz); e != t.Elem {
			return codec.NewMultirangeType(t.OID, t.Name, e)
		}
	case codec.KindDomain:
		if e := withText(t.Elem, tz); e != t.Elem {
			return codec.NewDomainType(t.OID, t.Name, t.Schema, e)
		}
	case codec.KindComposite:
		fields := make([]codec.Field, len(t.Fields))
		changed := false
		for i, f := range t.Fields {
			fields[i] = codec.Field{Name: f.Name, Type: withText(f.Type, tz)}
			changed = changed || fields[i].Type != f.Type
		}
		if changed {
			return codec.NewCompositeType(t.OID, t.Name, t.Schema, fields)
		}
	case codec.KindBase:
		if t.OID == moneyOID {
			return moneyText
		}
		if t.OID == timestamptzOID && tz != nil {
			return tz
		}
		if t.Binary != nil && (t.Text == nil || t.Text.Encode == nil) {
			c := *t
			text := codec.Codec{Format: codec.TextFormat, Encode: encodeStringer}
			if t.Text != nil {
				text.Decode, text.Scan = t.Text.Decode, t.Text.Scan
			}
			c.Text = &text
			return &c
		}
	}
	return t
}

// encodeStringer writes a value whose String is its type's text output.
func encodeStringer(dst []byte, v any) ([]byte, error) {
	s, ok := v.(fmt.Stringer)
	if !ok {
		return nil, &codec.UnsupportedTypeError{GoType: fmt.Sprintf("%T", v)}
	}
	return append(dst, s.String()...), nil
}

// recordType builds a composite type from an anonymous record's binary
// form: the count of fields, then each field's type OID and value.
func recordType(src []byte, tz *codec.Type) (*codec.Type, error) {
	if len(src) < 4 {
		return nil, errShortRecord
	}
	n := int(int32(binary.BigEndian.Uint32(src)))
	p := src[4:]
	fields := make([]codec.Field, n)
	for i := range n {
		if len(p) < 8 {
			return nil, errShortRecord
		}
		oid := binary.BigEndian.Uint32(p)
		size := int(int32(binary.BigEndian.Uint32(p[4:])))
		p = p[8:]
		var val []byte
		if size >= 0 {
			if len(p) < size {
				return nil, errShortRecord
			}
			val, p = p[:size], p[size:]
		}
		ft := codec.Default().Lookup(oid)
		if ft == nil {
			ft = &codec.Type{OID: oid, Name: strconv.FormatUint(uint64(oid), 10)}
		}
		if val != nil || (oid != recordOID && oid != recordArrayOID) {
			var err error
			if ft, err = renderType(ft, val, tz); err != nil {
				return nil, err
			}
		}
		fields[i] = codec.Field{Name: "f" + strconv.Itoa(i+1), Type: ft}
	}
	return codec.NewCompositeType(recordOID, "record", "", fields), nil
}

var errShortRecord = fmt.Errorf("stdlib: a record value ends early")

// firstArrayElement returns the first non-NULL element of a binary array,
// nil when it has none.
func firstArrayElement(src []byte) ([]byte, error) {
	if len(src) < 12 {
		return nil, fmt.Errorf("stdlib: an array value ends early")
	}
	ndim := int(int32(binary.BigEndian.Uint32(src)))
	p := src[12:]
	if len(p) < 8*ndim {
		return nil, fmt.Errorf("stdlib: an array value ends early")
	}
	p = p[8*ndim:]
	for len(p) >= 4 {
		size := int(int32(binary.BigEndian.Uint32(p)))
		p = p[4:]
		if size < 0 {
			continue
		}
		if len(p) < size {
			break
		}
		return p[:size], nil
	}
	return nil, nil
}

// zonedTimestamptz is timestamptz decoding into loc and writing its text
// with loc's offset, as timestamptz_out writes under that TimeZone (the
// codec's own text writer writes UTC).
func zonedTimestamptz(loc *time.Location) *codec.Type {
	t := codec.NewTimestamptzType(func() *time.Location { return loc })
	text := *t.Text
	utcText := t.Text.Encode
	text.Encode = func(dst []byte, v any) ([]byte, error) {
		tm, ok := v.(time.Time)
		if !ok {
			return utcText(dst, v)
		}
		// The binary codec's *string rendering keeps the decoded zone.
		bin, err := t.Binary.Encode(nil, tm)
		if err != nil {
			return dst, err
		}
		var s string
		if _, err := t.Binary.Scan(bin, &s); err != nil {
			return dst, err
		}
		return append(dst, s...), nil
	}
	t.Text = &text
	return t
}
