package codec

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"time"
)

// Range is a value of a range type (int4range, tstzrange, a custom range
// ...). Lower and Upper hold the bounds unless the range is Empty or the
// bound is unbounded (LowerInf, UpperInf); LowerInc and UpperInc say
// whether the bounds are included ('[') or not ('('). Values decode as
// Range[any]; scan into a Range[T] for typed bounds.
type Range[T any] struct {
	Lower, Upper       T
	LowerInc, UpperInc bool
	LowerInf, UpperInf bool
	Empty              bool
}

// String renders the text form: "[1,5)", "(,3]", "empty".
func (r Range[T]) String() string {
	if r.Empty {
		return "empty"
	}
	var b []byte
	b = append(b, boundChar(r.LowerInc, '[', '('))
	if !r.LowerInf {
		b = appendRangeBound(b, r.Lower)
	}
	b = append(b, ',')
	if !r.UpperInf {
		b = appendRangeBound(b, r.Upper)
	}
	b = append(b, boundChar(r.UpperInc, ']', ')'))
	return string(b)
}

// appendRangeBound writes a bound as range_in reads it: a time.Time in
// PostgreSQL's ISO form with its offset (fmt's form, "... +0000 UTC", is
// not a PostgreSQL timestamp), anything else in its fmt form, double-quoted
// with \ escapes where range_in would otherwise split or trim it.
func appendRangeBound(b []byte, v any) []byte {
	var s string
	if t, ok := v.(time.Time); ok {
		s = string(appendTimestampText(nil, t, true))
	} else {
		s = fmt.Sprint(v)
	}
	if s != "" && !strings.ContainsAny(s, `,()[]"\ `+"\t\n\r\v\f") {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b = append(b, '\\')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func boundChar(inc bool, yes, no byte) byte {
	if inc {
		return yes
	}
	return no
}

// Range flags on the wire (rangetypes.h).
const (
	rangeEmpty  = 0x01
	rangeLBInc  = 0x02
	rangeUBInc  = 0x04
	rangeLBInf  = 0x08
	rangeUBInf  = 0x10
	rangeLBNull = 0x20
	rangeUBNull = 0x40
)

// rangeTarget is how the range codec fills a Range[T] without knowing T.
type rangeTarget interface {
	setRangeFlags(flags byte)
	lowerPtr() any
	upperPtr() any
}

// rangeSource is how the range encoder reads a Range[T].
type rangeSource interface {
	rangeParts() (lower, upper any, flags byte)
}

func (r *Range[T]) setRangeFlags(f byte) {
	var zero T
	*r = Range[T]{
		Empty:    f&rangeEmpty != 0,
		LowerInc: f&rangeLBInc != 0,
		UpperInc: f&rangeUBInc != 0,
		LowerInf: f&(rangeLBInf|rangeLBNull) != 0,
		UpperInf: f&(rangeUBInf|rangeUBNull) != 0,
		Lower:    zero,
		Upper:    zero,
	}
}

func (r *Range[T]) lowerPtr() any { return &r.Lower }
func (r *Range[T]) upperPtr() any { return &r.Upper }

func (r Range[T]) rangeParts() (any, any, byte) {
	var f byte
	if r.Empty {
		return nil, nil, rangeEmpty
	}
	if r.LowerInc && !r.LowerInf {
		f |= rangeLBInc
	}
	if r.UpperInc && !r.UpperInf {
		f |= rangeUBInc
	}
	if r.LowerInf {
		f |= rangeLBInf
	}
	if r.UpperInf {
		f |= rangeUBInf
	}
	return r.Lower, r.Upper, f
}

// rangeValue is a range read off the wire: flags and bound bytes.
type rangeValue struct {
	flags        byte
	lower, upper []byte
	format       int16
}

func readRangeBinary(src []byte, name string) (rangeValue, error) {
	rv := rangeValue{format: BinaryFormat}
	if len(src) < 1 {
		return rv, &DecodeError{PGType: name, Msg: "empty value"}
	}
	rv.flags = src[0]
	p := src[1:]
	read := func() ([]byte, error) {
		if len(p) < 4 {
			return nil, &DecodeError{PGType: name, Msg: "truncated bound"}
		}
		l := int32(binary.BigEndian.Uint32(p))
		if l < 0 || int(l) > len(p)-4 {
			return nil, &DecodeError{PGType: name, Msg: "bad bound length"}
		}
		b := p[4 : 4+l : 4+l]
		p = p[4+l:]
		return b, nil
	}
	var err error
	if rv.flags&rangeEmpty == 0 {
		if rv.flags&(rangeLBInf|rangeLBNull) == 0 {
			if rv.lower, err = read(); err != nil {
				return rv, err
			}
		}
		if rv.flags&(rangeUBInf|rangeUBNull) == 0 {
			if rv.upper, err = read(); err != nil {
				return rv, err
			}
		}
	}
	if len(p) != 0 {
		return rv, &DecodeError{PGType: name, Msg: "trailing bytes"}
	}
	return rv, nil
}

// parseRangeText reads range_out's form: "empty", or a bracket, two bounds
// separated by a comma (an empty bound is unbounded; quoted bounds may
// hold anything) and a bracket.
func parseRangeText(src []byte, name string) (rangeValue, error) {
	rv := rangeValue{format: TextFormat}
	bad := func(msg string) (rangeValue, error) {
		return rv, &DecodeError{PGType: name, Msg: msg}
	}
	s := bytes.TrimSpace(src)
	if bytes.EqualFold(s, []byte("empty")) {
		rv.flags = rangeEmpty
		return rv, nil
	}
	if len(s) < 3 {
		return bad("too short")
	}
	switch s[0] {
	case '[':
		rv.flags |= rangeLBInc
	case '(':
	default:
		return bad("no opening bracket")
	}
	switch s[len(s)-1] {
	case ']':
		rv.flags |= rangeUBInc
	case ')':
	default:
		return bad("no closing bracket")
	}
	body := s[1 : len(s)-1]
	i := 0
	bound := func() ([]byte, bool, error) {
		var out []byte
		quoted, any := false, false
		for i < len(body) {
			c := body[i]
			if !quoted && c == ',' {
				break
			}
			any = true
			switch {
			case c == '\\':
				if i+1 >= len(body) {
					return nil, false, &DecodeError{PGType: name, Msg: "unterminated escape"}
				}
				out = append(out, body[i+1])
				i += 2
				continue
			case c == '"' && quoted && i+1 < len(body) && body[i+1] == '"':
				out = append(out, '"')
				i += 2
				continue
			case c == '"':
				quoted = !quoted
				if out == nil {
					out = []byte{}
				}
			default:
				out = append(out, c)
			}
			i++
		}
		if quoted {
			return nil, false, &DecodeError{PGType: name, Msg: "unterminated quotes"}
		}
		return out, any, nil
	}
	lo, hasLo, err := bound()
	if err != nil {
		return rv, err
	}
	if i >= len(body) || body[i] != ',' {
		return bad("no comma between the bounds")
	}
	i++
	hi, hasHi, err := bound()
	if err != nil {
		return rv, err
	}
	if i != len(body) {
		return bad("junk after the upper bound")
	}
	if hasLo {
		rv.lower = lo
	} else {
		rv.flags = rv.flags&^rangeLBInc | rangeLBInf
	}
	if hasHi {
		rv.upper = hi
	} else {
		rv.flags = rv.flags&^rangeUBInc | rangeUBInf
	}
	return rv, nil
}

func (rv rangeValue) scan(elem *Type, dst rangeTarget) error {
	dst.setRangeFlags(rv.flags)
	if rv.lower != nil {
		if err := ScanValue(elem, rv.format, rv.lower, dst.lowerPtr()); err != nil {
			return fmt.Errorf("lower bound: %w", err)
		}
	}
	if rv.upper != nil {
		if err := ScanValue(elem, rv.format, rv.upper, dst.upperPtr()); err != nil {
			return fmt.Errorf("upper bound: %w", err)
		}
	}
	return nil
}

func (rv rangeValue) decode(elem *Type) (Range[any], error) {
	var r Range[any]
	err := rv.scan(elem, &r)
	return r, err
}

// NewRangeType builds the range type oid over subtype elem. It is read and
// written in the binary format when elem is, else as text.
func NewRangeType(oid uint32, name string, elem *Type) *Type {
	t := &Type{OID: oid, Name: name, Kind: KindRange, Elem: elem, Delim: ','}
	label := func() string { return t.qualifiedName() }
	t.Text = &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return encodeRangeText(dst, elem, v, label()) },
		Decode: func(src []byte) (any, error) {
			rv, err := parseRangeText(src, label())
			if err != nil {
				return nil, err
			}
			return rv.decode(elem)
		},
		Scan: func(src []byte, dst any) (bool, error) {
			d, ok := dst.(rangeTarget)
			if !ok {
				return false, nil
			}
			rv, err := parseRangeText(src, label())
			if err != nil {
				return true, err
			}
			return true, rv.scan(elem, d)
		},
	}
	if elem.HasBinary() {
		t.Binary = &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encodeRangeBinary(dst, elem, v, label()) },
			Decode: func(src []byte) (any, error) {
				rv, err := readRangeBinary(src, label())
				if err != nil {
					return nil, err
				}
				return rv.decode(elem)
			},
			Scan: func(src []byte, dst any) (bool, error) {
				d, ok := dst.(rangeTarget)
				if !ok {
					return false, nil
				}
				rv, err := readRangeBinary(src, label())
				if err != nil {
					return true, err
				}
				return true, rv.scan(elem, d)
			},
		}
	}
	return t
}

func rangeParts(v any, name string) (any, any, byte, error) {
	src, ok := v.(rangeSource)
	if !ok {
		return nil, nil, 0, unsupportedEncode(v, name, "use pg.Range")
	}
	lo, hi, f := src.rangeParts()
	return lo, hi, f, nil
}

func encodeRangeBinary(dst []byte, elem *Type, v any, name string) ([]byte, error) {
	lo, hi, flags, err := rangeParts(v, name)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	dst = append(dst, flags)
	if flags&rangeEmpty != 0 {
		return dst, nil
	}
	for _, b := range []struct {
		v   any
		inf bool
	}{{lo, flags&rangeLBInf != 0}, {hi, flags&rangeUBInf != 0}} {
		if b.inf {
			continue
		}
		val, null, err := unwrapElem(b.v)
		if err != nil {
			return dst[:mark], err
		}
		if null {
			return dst[:mark], fmt.Errorf("cannot encode a NULL bound in %s; set LowerInf or UpperInf for an unbounded side", name)
		}
		lenAt := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		if dst, err = elem.Binary.Encode(dst, val); err != nil {
			return dst[:mark], err
		}
		if len(dst)-lenAt-4 > math.MaxInt32 {
			return dst[:mark], errTooLarge
		}
		binary.BigEndian.PutUint32(dst[lenAt:], uint32(len(dst)-lenAt-4))
	}
	return dst, nil
}

func encodeRangeText(dst []byte, elem *Type, v any, name string) ([]byte, error) {
	lo, hi, flags, err := rangeParts(v, name)
	if err != nil {
		return dst, err
	}
	if flags&rangeEmpty != 0 {
		return append(dst, "empty"...), nil
	}
	mark := len(dst)
	dst = append(dst, boundChar(flags&rangeLBInc != 0, '[', '('))
	var scratch []byte
	for i, b := range []struct {
		v   any
		inf bool
	}{{lo, flags&rangeLBInf != 0}, {hi, flags&rangeUBInf != 0}} {
		if i == 1 {
			dst = append(dst, ',')
		}
		if b.inf {
			continue
		}
		val, null, err := unwrapElem(b.v)
		if err != nil || null {
			if err == nil {
				err = fmt.Errorf("cannot encode a NULL bound in %s; set LowerInf or UpperInf for an unbounded side", name)
			}
			return dst[:mark], err
		}
		if scratch, err = encodeElemText(scratch[:0], elem, val); err != nil {
			return dst[:mark], err
		}
		dst = appendQuotedBound(dst, scratch)
	}
	return append(dst, boundChar(flags&rangeUBInc != 0, ']', ')')), nil
}

// appendQuotedBound quotes a bound as range_out does.
func appendQuotedBound(dst, b []byte) []byte {
	need := len(b) == 0 || bytes.ContainsAny(b, "\"\\()[],")
	for _, c := range b {
		if isArraySpace(c) {
			need = true
			break
		}
	}
	if !need {
		return append(dst, b...)
	}
	dst = append(dst, '"')
	for _, c := range b {
		if c == '"' || c == '\\' {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}
