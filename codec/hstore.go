package codec

import (
	"encoding/binary"
	"math"
	"strings"
)

// NewHstoreType builds the hstore extension's type (its OID differs per
// database): values decode as map[string]*string, a nil value being SQL
// NULL; map[string]string and map[string]*string encode. Register it with
// the connection's SetBuiltinTypeCodec.
func NewHstoreType(oid uint32, name, schema string) *Type {
	label := name
	if schema != "" && schema != "public" {
		label = schema + "." + name
	}
	return &Type{
		OID: oid, Name: name, Schema: schema,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encodeHstore(dst, v, label) },
			Decode: func(src []byte) (any, error) { return decodeHstore(src, label) },
			Scan: func(src []byte, dst any) (bool, error) {
				switch d := dst.(type) {
				case *map[string]*string:
					m, err := decodeHstore(src, label)
					if err == nil {
						*d = m
					}
					return true, err
				case *map[string]string:
					m, err := decodeHstore(src, label)
					if err != nil {
						return true, err
					}
					out := make(map[string]string, len(m))
					for k, v := range m {
						if v == nil {
							return true, &NullError{GoType: "string (value of key " + k + ")", PGType: label}
						}
						out[k] = *v
					}
					*d = out
					return true, nil
				}
				return false, nil
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				m, err := hstoreMap(v, label)
				if err != nil {
					return dst, err
				}
				first := true
				for k, val := range m {
					if !first {
						dst = append(dst, ", "...)
					}
					first = false
					dst = appendHstoreString(dst, k)
					dst = append(dst, "=>"...)
					if val == nil {
						dst = append(dst, "NULL"...)
					} else {
						dst = appendHstoreString(dst, *val)
					}
				}
				return dst, nil
			},
		},
	}
}

func appendHstoreString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = append(dst, strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)...)
	return append(dst, '"')
}

func hstoreMap(v any, name string) (map[string]*string, error) {
	switch x := v.(type) {
	case map[string]*string:
		return x, nil
	case map[string]string:
		m := make(map[string]*string, len(x))
		for k, s := range x {
			s := s
			m[k] = &s
		}
		return m, nil
	case map[string]Null[string]:
		m := make(map[string]*string, len(x))
		for k, s := range x {
			if s.Valid {
				v := s.V
				m[k] = &v
			} else {
				m[k] = nil
			}
		}
		return m, nil
	}
	return nil, unsupportedEncode(v, name, "use map[string]string or map[string]*string")
}

// hstore's binary form (hstore_send): a pair count, then per pair the key
// and the value as length-prefixed text, -1 for a NULL value.
func encodeHstore(dst []byte, v any, name string) ([]byte, error) {
	m, err := hstoreMap(v, name)
	if err != nil {
		return dst, err
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(m)))
	for k, val := range m {
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(k)))
		dst = append(dst, k...)
		if val == nil {
			dst = binary.BigEndian.AppendUint32(dst, math.MaxUint32)
			continue
		}
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(*val)))
		dst = append(dst, *val...)
	}
	return dst, nil
}

func decodeHstore(src []byte, name string) (map[string]*string, error) {
	if len(src) < 4 {
		return nil, &DecodeError{PGType: name, Msg: "short value"}
	}
	n := binary.BigEndian.Uint32(src)
	if uint64(n) > uint64(len(src)-4)/8 {
		return nil, &DecodeError{PGType: name, Msg: "bad pair count"}
	}
	p := src[4:]
	read := func() (string, bool, error) {
		if len(p) < 4 {
			return "", false, &DecodeError{PGType: name, Msg: "truncated"}
		}
		l := int32(binary.BigEndian.Uint32(p))
		p = p[4:]
		if l == -1 {
			return "", true, nil
		}
		if l < 0 || int(l) > len(p) {
			return "", false, &DecodeError{PGType: name, Msg: "bad length"}
		}
		s := string(p[:l])
		p = p[l:]
		return s, false, nil
	}
	m := make(map[string]*string, n)
	for range n {
		k, null, err := read()
		if err != nil {
			return nil, err
		}
		if null {
			return nil, &DecodeError{PGType: name, Msg: "NULL key"}
		}
		v, null, err := read()
		if err != nil {
			return nil, err
		}
		if null {
			m[k] = nil
		} else {
			m[k] = &v
		}
	}
	if len(p) != 0 {
		return nil, &DecodeError{PGType: name, Msg: "trailing bytes"}
	}
	return m, nil
}
