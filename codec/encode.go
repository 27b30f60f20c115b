package codec

import (
	"database/sql/driver"
	"reflect"
)

// EncodeValue appends the wire form of v as a parameter of type t to dst and
// returns the format it chose and whether v is NULL (nothing appended).
//
// nil, nil pointers and driver.Valuers returning nil are NULL. Pointers are
// followed. A driver.Valuer is asked for its value first. A Go string is sent
// in the text format whenever the binary codec does not take it, so every
// type accepts its PostgreSQL text rendering.
func EncodeValue(t *Type, dst []byte, v any) (out []byte, format int16, null bool, err error) {
	v, null, err = unwrap(v)
	if err != nil || null {
		return dst, BinaryFormat, null, err
	}
	if t != nil && t.Binary != nil && t.Binary.Encode != nil {
		out, err = t.Binary.Encode(dst, v)
		if err == nil {
			return out, BinaryFormat, false, nil
		}
		if _, unsupported := err.(*UnsupportedTypeError); !unsupported {
			return dst, BinaryFormat, false, err
		}
		if _, isString := v.(string); !isString && t.Text == nil {
			return dst, BinaryFormat, false, err
		}
	}
	c := t.Codec(TextFormat)
	out, err = c.Encode(dst, v)
	if err != nil {
		if e, ok := err.(*UnsupportedTypeError); ok && t != nil {
			e.PGType = t.Name
		}
		return dst, TextFormat, false, err
	}
	return out, TextFormat, false, nil
}

// unwrap resolves driver.Valuers and pointers down to a plain value.
func unwrap(v any) (any, bool, error) {
	for range 16 {
		switch x := v.(type) {
		case nil:
			return nil, true, nil
		case string, []byte, int, int16, int32, int64, float64, float32, bool:
			return v, false, nil
		case driver.Valuer:
			rv := reflect.ValueOf(x)
			if rv.Kind() == reflect.Pointer && rv.IsNil() {
				return nil, true, nil
			}
			dv, err := x.Value()
			if err != nil {
				return nil, false, err
			}
			v = dv
			continue
		}
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Pointer {
			return v, false, nil
		}
		if rv.IsNil() {
			return nil, true, nil
		}
		v = rv.Elem().Interface()
	}
	return v, false, nil
}
