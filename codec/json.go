package codec

import (
	"database/sql"
	"encoding/json"
	"fmt"
)

// JSONCodec marshals Go values to JSON and back for json and jsonb. The
// default is encoding/json; Registry.SetJSONCodec plugs in another (a
// faster library, or one with other options).
type JSONCodec interface {
	Marshal(v any) ([]byte, error)
	Unmarshal(data []byte, v any) error
}

type stdJSON struct{}

func (stdJSON) Marshal(v any) ([]byte, error)      { return json.Marshal(v) }
func (stdJSON) Unmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// jsonType builds json (plain text on the wire) or jsonb (a version byte,
// 1, then the text). Values decode as JSON; a destination other than a
// string, []byte, JSON or json.RawMessage is filled by the JSONCodec's
// Unmarshal, and Go values other than those are marshalled.
func jsonType(oid uint32, name string, j JSONCodec) *Type {
	if j == nil {
		j = stdJSON{}
	}
	versioned := oid == JSONBOID
	body := func(src []byte) ([]byte, error) {
		if !versioned {
			return src, nil
		}
		if len(src) == 0 || src[0] != 1 {
			return nil, &DecodeError{PGType: name, Msg: "unknown jsonb version"}
		}
		return src[1:], nil
	}
	encode := func(dst []byte, v any, prefix bool) ([]byte, error) {
		if prefix {
			dst = append(dst, 1)
		}
		switch x := v.(type) {
		case string:
			return append(dst, x...), nil
		case []byte:
			return append(dst, x...), nil
		case json.RawMessage:
			return append(dst, x...), nil
		case JSON:
			return append(dst, x...), nil
		}
		b, err := j.Marshal(v)
		if err != nil {
			return dst, fmt.Errorf("cannot encode %s as %s: %w", typeName(v), name, err)
		}
		return append(dst, b...), nil
	}
	scan := func(src []byte, dst any) (bool, error) {
		switch d := dst.(type) {
		case *string:
			*d = string(src)
			return true, nil
		case *[]byte:
			*d = copyBytes(nil, src)
			return true, nil
		case *json.RawMessage:
			*d = copyBytes(nil, src)
			return true, nil
		case *JSON:
			*d = copyBytes(nil, src)
			return true, nil
		case *any, nullable, sql.Scanner,
			// A JSON null is a value here, not SQL NULL: ScanValue
			// allocates the pointee of these and scans the text into it,
			// where json.Unmarshal would set the pointer to nil.
			**string, **[]byte, **json.RawMessage, **JSON:
			return false, nil
		}
		if err := j.Unmarshal(src, dst); err != nil {
			return true, fmt.Errorf("cannot unmarshal %s into %s: %w", name, typeName(dst), err)
		}
		return true, nil
	}
	decode := func(src []byte) (any, error) {
		return JSON(copyBytes(nil, src)), nil
	}
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encode(dst, v, versioned) },
			Decode: func(src []byte) (any, error) {
				b, err := body(src)
				if err != nil {
					return nil, err
				}
				return decode(b)
			},
			Scan: func(src []byte, dst any) (bool, error) {
				b, err := body(src)
				if err != nil {
					return true, err
				}
				return scan(b, dst)
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encode(dst, v, false) },
			Decode: decode,
			Scan:   scan,
		},
	}
}

// jsonpathType is jsonpath: a version byte, 1, then the text; a Go string.
var jsonpathType = &Type{
	OID:  JSONPathOID,
	Name: "jsonpath",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			s, ok := v.(string)
			if !ok {
				if s2, ok2 := reflectString(v); ok2 {
					s = s2
				} else {
					return dst, unsupportedEncode(v, "jsonpath", "use a Go string")
				}
			}
			return append(append(dst, 1), s...), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) == 0 || src[0] != 1 {
				return nil, &DecodeError{PGType: "jsonpath", Msg: "unknown jsonpath version"}
			}
			return string(src[1:]), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if len(src) == 0 || src[0] != 1 {
				return true, &DecodeError{PGType: "jsonpath", Msg: "unknown jsonpath version"}
			}
			return scanString(src[1:], dst)
		},
	},
}

// SetJSONCodec makes j marshal and unmarshal json and jsonb values (and
// arrays of them) in r.
func (r *Registry) SetJSONCodec(j JSONCodec) {
	r.Register(jsonType(JSONOID, "json", j))
	r.Register(jsonType(JSONBOID, "jsonb", j))
}

// JSON is a json or jsonb value as the server sent it: its text. It is
// the default Go type of those columns (in Values, Records and *any), so
// that a formatted row shows JSON, not a list of bytes; json.Marshal
// embeds it as is. Scan into a struct, a map or a json.RawMessage to have
// it unmarshalled or kept otherwise.
type JSON []byte

// String returns the JSON text.
func (j JSON) String() string { return string(j) }

// MarshalJSON returns j itself (null when empty), so a JSON field embeds
// the value rather than a base64 string.
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// UnmarshalJSON keeps a copy of data.
func (j *JSON) UnmarshalJSON(data []byte) error {
	*j = append((*j)[:0], data...)
	return nil
}
