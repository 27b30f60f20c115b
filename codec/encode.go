package codec

import (
	"database/sql/driver"
	"encoding"
	"reflect"
)

// EncodeValue appends the wire form of v as a parameter of type t to dst and
// returns the format it chose and whether v is NULL (nothing appended).
//
// nil, nil pointers, nil slices and maps (a nil []byte too, as a NULL
// bytea decodes to one), invalid Null[T]s and driver.Valuers returning nil
// are NULL; an empty non-nil slice is an empty value. Pointers are followed. A driver.Valuer is asked for its value first.
// When the binary codec does not take v's Go type, the text codec is tried,
// and a Go string (or an encoding.TextMarshaler) is sent as the value's
// text form, so every type accepts its PostgreSQL text rendering.
func EncodeValue(t *Type, dst []byte, v any) (out []byte, format int16, null bool, err error) {
	v, null, err = unwrap(v)
	if err != nil || null {
		// The server looks up the receive function of a binary parameter
		// even when it is NULL, and some types (aclitem) have none.
		format = TextFormat
		if t == nil || (t.Binary != nil && t.Binary.Encode != nil) {
			format = BinaryFormat
		}
		return dst, format, null, err
	}
	var binErr error
	if t != nil && t.Binary != nil && t.Binary.Encode != nil {
		out, err = t.Binary.Encode(dst, v)
		if err == nil {
			return out, BinaryFormat, false, nil
		}
		if _, unsupported := err.(*UnsupportedTypeError); !unsupported {
			return dst, BinaryFormat, false, err
		}
		binErr = err
	}
	if t != nil && t.Text != nil && t.Text.Encode != nil {
		out, err = t.Text.Encode(dst, v)
		if err == nil {
			return out, TextFormat, false, nil
		}
		if _, unsupported := err.(*UnsupportedTypeError); !unsupported {
			return dst, TextFormat, false, err
		}
		if binErr == nil {
			binErr = err
		}
	}
	switch x := v.(type) {
	case string:
		return append(dst, x...), TextFormat, false, nil
	case encoding.TextMarshaler:
		b, err := x.MarshalText()
		if err != nil {
			return dst, TextFormat, false, err
		}
		return append(dst, b...), TextFormat, false, nil
	}
	if s, ok := reflectString(v); ok {
		return append(dst, s...), TextFormat, false, nil
	}
	if binErr == nil {
		out, err = genericTextCodec.Encode(dst, v)
		if err == nil {
			return out, TextFormat, false, nil
		}
		binErr = err
	}
	if e, ok := binErr.(*UnsupportedTypeError); ok && t != nil {
		e.PGType = t.displayName()
	}
	return dst, TextFormat, false, binErr
}

// unwrap resolves Null[T]s, driver.Valuers and pointers down to a plain
// value.
func unwrap(v any) (any, bool, error) {
	for range 16 {
		switch x := v.(type) {
		case nil:
			return nil, true, nil
		case string, int, int16, int32, int64, float64, float32, bool:
			return v, false, nil
		case []byte:
			return v, x == nil, nil
		case nullValuer:
			inner, ok := x.nullValue()
			if !ok {
				return nil, true, nil
			}
			v = inner
			continue
		case driver.Valuer:
			_, own := v.(ownValuer)
			if rv := reflect.ValueOf(x); rv.Kind() == reflect.Pointer {
				if rv.IsNil() {
					return nil, true, nil
				}
				if own {
					// A *T of our own value types has T's methods; the
					// codecs take T.
					v = rv.Elem().Interface()
					continue
				}
			} else if own {
				// Our own types implement driver.Valuer for database/sql;
				// their codecs take them directly, losslessly.
				return v, false, nil
			}
			dv, err := x.Value()
			if err != nil {
				return nil, false, err
			}
			v = dv
			continue
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Slice, reflect.Map:
			if rv.IsNil() {
				return nil, true, nil
			}
			return v, false, nil
		case reflect.Pointer:
		default:
			return v, false, nil
		}
		if rv.IsNil() {
			return nil, true, nil
		}
		v = rv.Elem().Interface()
	}
	return v, false, nil
}

// ownValuer marks this package's value types, whose codecs encode them
// directly instead of through driver.Valuer.
type ownValuer interface {
	pgValue()
}

// unwrapElem is unwrap for elements of arrays, composites and ranges.
func unwrapElem(v any) (any, bool, error) { return unwrap(v) }
