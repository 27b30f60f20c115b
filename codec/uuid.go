package codec

import (
	"database/sql/driver"
	"encoding/hex"
	"fmt"
	"reflect"
)

// UUID is PostgreSQL's uuid: 16 bytes. Types with the same underlying
// [16]byte (github.com/google/uuid's UUID) encode and scan too.
type UUID [16]byte

// ParseUUID reads a UUID in the forms PostgreSQL accepts: 32 hex digits,
// optionally in braces, with optional hyphens after any group of four.
func ParseUUID(s string) (UUID, error) {
	var u UUID
	in := s
	if len(in) >= 2 && in[0] == '{' && in[len(in)-1] == '}' {
		in = in[1 : len(in)-1]
	}
	n := 0
	for i := 0; i < len(in); {
		if in[i] == '-' {
			// A hyphen may follow any group of four digits, but not lead,
			// trail or double up.
			if n == 0 || n%4 != 0 || i+1 == len(in) || in[i+1] == '-' {
				return UUID{}, fmt.Errorf("invalid uuid %q", s)
			}
			i++
			continue
		}
		if i+1 >= len(in) || n >= 32 {
			return UUID{}, fmt.Errorf("invalid uuid %q", s)
		}
		hi, ok1 := fromHex(in[i])
		lo, ok2 := fromHex(in[i+1])
		if !ok1 || !ok2 {
			return UUID{}, fmt.Errorf("invalid uuid %q", s)
		}
		u[n/2] = hi<<4 | lo
		n += 2
		i += 2
	}
	if n != 32 {
		return UUID{}, fmt.Errorf("invalid uuid %q", s)
	}
	return u, nil
}

func fromHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// String is the canonical form, e.g. a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11.
func (u UUID) String() string {
	var buf [36]byte
	return string(u.appendText(buf[:0]))
}

func (u UUID) appendText(dst []byte) []byte {
	dst = hex.AppendEncode(dst, u[0:4])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, u[4:6])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, u[6:8])
	dst = append(dst, '-')
	dst = hex.AppendEncode(dst, u[8:10])
	dst = append(dst, '-')
	return hex.AppendEncode(dst, u[10:16])
}

// MarshalText returns the canonical form (so JSON renders a string).
func (u UUID) MarshalText() ([]byte, error) { return u.appendText(nil), nil }

// UnmarshalText parses any form ParseUUID accepts.
func (u *UUID) UnmarshalText(b []byte) error {
	v, err := ParseUUID(string(b))
	if err != nil {
		return err
	}
	*u = v
	return nil
}

// Value implements driver.Valuer with the canonical text form.
func (u UUID) Value() (driver.Value, error) { return u.String(), nil }

// Scan implements sql.Scanner: a string in any accepted form, or 16 raw
// bytes. NULL is an error; use *UUID or Null[UUID].
func (u *UUID) Scan(src any) error {
	switch x := src.(type) {
	case nil:
		return &NullError{GoType: "pg.UUID", PGType: "uuid"}
	case string:
		return u.UnmarshalText([]byte(x))
	case []byte:
		if len(x) == 16 {
			copy(u[:], x)
			return nil
		}
		return u.UnmarshalText(x)
	case UUID:
		*u = x
		return nil
	}
	return fmt.Errorf("cannot scan %T into pg.UUID", src)
}

func (UUID) pgValue() {}

var uuidGoType = reflect.TypeFor[[16]byte]()

func toUUID(v any) (UUID, error) {
	switch x := v.(type) {
	case UUID:
		return x, nil
	case [16]byte:
		return x, nil
	case string:
		u, err := ParseUUID(x)
		if err != nil {
			return u, unsupportedEncode(v, "uuid", err.Error())
		}
		return u, nil
	case []byte:
		if len(x) == 16 {
			return UUID(x), nil
		}
		u, err := ParseUUID(string(x))
		if err != nil {
			return u, unsupportedEncode(v, "uuid", "pass 16 bytes or the text form")
		}
		return u, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Type().ConvertibleTo(uuidGoType) && rv.Kind() == reflect.Array {
		return UUID(rv.Convert(uuidGoType).Interface().([16]byte)), nil
	}
	return UUID{}, unsupportedEncode(v, "uuid", "use pg.UUID, [16]byte or a string")
}

var uuidType = &Type{
	OID:  UUIDOID,
	Name: "uuid",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			u, err := toUUID(v)
			if err != nil {
				return dst, err
			}
			return append(dst, u[:]...), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 16 {
				return nil, badLength("uuid", 16, len(src))
			}
			return UUID(src), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			switch d := dst.(type) {
			case *UUID:
				if len(src) != 16 {
					return true, badLength("uuid", 16, len(src))
				}
				*d = UUID(src)
				return true, nil
			case *[16]byte:
				if len(src) != 16 {
					return true, badLength("uuid", 16, len(src))
				}
				*d = [16]byte(src)
				return true, nil
			case *string:
				if len(src) != 16 {
					return true, badLength("uuid", 16, len(src))
				}
				*d = UUID(src).String()
				return true, nil
			case *[]byte:
				if len(src) != 16 {
					return true, badLength("uuid", 16, len(src))
				}
				*d = copyBytes(nil, src)
				return true, nil
			}
			// Named [16]byte types (github.com/google/uuid.UUID).
			rv := reflect.ValueOf(dst)
			if rv.Kind() == reflect.Pointer && !rv.IsNil() {
				e := rv.Elem()
				if e.Kind() == reflect.Array && e.Len() == 16 && e.Type().Elem().Kind() == reflect.Uint8 {
					if len(src) != 16 {
						return true, badLength("uuid", 16, len(src))
					}
					reflect.Copy(e, reflect.ValueOf(src))
					return true, nil
				}
			}
			return false, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			u, err := toUUID(v)
			if err != nil {
				return dst, err
			}
			return u.appendText(dst), nil
		},
		Decode: func(src []byte) (any, error) {
			u, err := ParseUUID(string(src))
			if err != nil {
				return nil, &DecodeError{PGType: "uuid", Msg: err.Error()}
			}
			return u, nil
		},
	},
}
