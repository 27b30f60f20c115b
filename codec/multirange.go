package codec

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
)

// multirangeTarget matches a pointer to a slice of Range[T].
var rangeTargetType = reflect.TypeFor[rangeTarget]()

// NewMultirangeType builds the multirange type oid over range type rng.
// Values decode as []Range[any]; scan into a *[]Range[T] for typed bounds,
// and pass a []Range[T] to encode.
func NewMultirangeType(oid uint32, name string, rng *Type) *Type {
	t := &Type{OID: oid, Name: name, Kind: KindMultirange, Elem: rng, Delim: ','}
	label := func() string { return t.qualifiedName() }
	t.Text = &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return encodeMultirangeText(dst, rng, v, label()) },
		Decode: func(src []byte) (any, error) {
			parts, err := splitMultirangeText(src, label())
			if err != nil {
				return nil, err
			}
			return decodeMultirange(rng, TextFormat, parts)
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if !isMultirangeDest(dst) {
				return false, nil
			}
			parts, err := splitMultirangeText(src, label())
			if err != nil {
				return true, err
			}
			return true, scanMultirange(rng, TextFormat, parts, dst)
		},
	}
	if rng.HasBinary() {
		t.Binary = &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encodeMultirangeBinary(dst, rng, v, label()) },
			Decode: func(src []byte) (any, error) {
				parts, err := splitMultirangeBinary(src, label())
				if err != nil {
					return nil, err
				}
				return decodeMultirange(rng, BinaryFormat, parts)
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if !isMultirangeDest(dst) {
					return false, nil
				}
				parts, err := splitMultirangeBinary(src, label())
				if err != nil {
					return true, err
				}
				return true, scanMultirange(rng, BinaryFormat, parts, dst)
			},
		}
	}
	return t
}

// splitMultirangeBinary reads a count and that many length-prefixed
// ranges.
func splitMultirangeBinary(src []byte, name string) ([][]byte, error) {
	if len(src) < 4 {
		return nil, &DecodeError{PGType: name, Msg: "short value"}
	}
	n := binary.BigEndian.Uint32(src)
	if uint64(n) > uint64(len(src)-4)/5 {
		return nil, &DecodeError{PGType: name, Msg: "bad range count"}
	}
	p := src[4:]
	out := make([][]byte, n)
	for i := range out {
		if len(p) < 4 {
			return nil, &DecodeError{PGType: name, Msg: "truncated range"}
		}
		l := int32(binary.BigEndian.Uint32(p))
		if l < 0 || int(l) > len(p)-4 {
			return nil, &DecodeError{PGType: name, Msg: "bad range length"}
		}
		out[i] = p[4 : 4+l : 4+l]
		p = p[4+l:]
	}
	if len(p) != 0 {
		return nil, &DecodeError{PGType: name, Msg: "trailing bytes"}
	}
	return out, nil
}

// splitMultirangeText splits "{[1,2),[3,4)}" into its ranges, respecting
// quoted bounds.
func splitMultirangeText(src []byte, name string) ([][]byte, error) {
	if len(src) < 2 || src[0] != '{' || src[len(src)-1] != '}' {
		return nil, &DecodeError{PGType: name, Msg: "not in braces"}
	}
	body := src[1 : len(src)-1]
	var out [][]byte
	start, quoted, depth := 0, false, 0
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, body[start:i])
			start = i + 1
		}
	}
	if len(body) > 0 {
		out = append(out, body[start:])
	}
	return out, nil
}

func isMultirangeDest(dst any) bool {
	t := reflect.TypeOf(dst)
	return t != nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Slice &&
		reflect.PointerTo(t.Elem().Elem()).Implements(rangeTargetType)
}

func decodeMultirange(rng *Type, format int16, parts [][]byte) (any, error) {
	out := make([]Range[any], len(parts))
	for i, p := range parts {
		if err := ScanValue(rng, format, p, &out[i]); err != nil {
			return nil, fmt.Errorf("range %d: %w", i+1, err)
		}
	}
	return out, nil
}

func scanMultirange(rng *Type, format int16, parts [][]byte, dst any) error {
	s := reflect.ValueOf(dst).Elem()
	s.Set(reflect.MakeSlice(s.Type(), len(parts), len(parts)))
	for i, p := range parts {
		if err := ScanValue(rng, format, p, s.Index(i).Addr().Interface()); err != nil {
			return fmt.Errorf("range %d: %w", i+1, err)
		}
	}
	return nil
}

// multirangeParts lists the ranges of a slice of Range[T].
func multirangeParts(v any, name string) ([]any, error) {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, unsupportedEncode(v, name, "use a []pg.Range")
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
		if _, ok := out[i].(rangeSource); !ok {
			return nil, unsupportedEncode(v, name, "use a []pg.Range")
		}
	}
	return out, nil
}

func encodeMultirangeBinary(dst []byte, rng *Type, v any, name string) ([]byte, error) {
	parts, err := multirangeParts(v, name)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(parts)))
	for _, p := range parts {
		lenAt := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		if dst, err = rng.Binary.Encode(dst, p); err != nil {
			return dst[:mark], err
		}
		if len(dst)-lenAt-4 > math.MaxInt32 {
			return dst[:mark], errTooLarge
		}
		binary.BigEndian.PutUint32(dst[lenAt:], uint32(len(dst)-lenAt-4))
	}
	return dst, nil
}

func encodeMultirangeText(dst []byte, rng *Type, v any, name string) ([]byte, error) {
	parts, err := multirangeParts(v, name)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	dst = append(dst, '{')
	for i, p := range parts {
		if i > 0 {
			dst = append(dst, ',')
		}
		if dst, err = rng.Text.Encode(dst, p); err != nil {
			return dst[:mark], err
		}
	}
	return append(dst, '}'), nil
}
