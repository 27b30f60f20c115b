package codec

import (
	"encoding/hex"
	"fmt"
)

func encodeBytea(dst []byte, v any) ([]byte, error) {
	if x, ok := v.([]byte); ok {
		return append(dst, x...), nil
	}
	if b, ok := reflectBytes(v); ok {
		return append(dst, b...), nil
	}
	return dst, unsupportedEncode(v, "bytea", "use []byte")
}

var byteaType = &Type{
	OID:  ByteaOID,
	Name: "bytea",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: encodeBytea,
		// Decode copies: src aliases the read buffer.
		Decode: func(src []byte) (any, error) {
			return append(make([]byte, 0, len(src)), src...), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if d, ok := dst.(*[]byte); ok {
				*d = copyBytes(*d, src)
				return true, nil
			}
			return false, nil
		},
	},
	// The text form is the hex format (bytea_output = hex, the default
	// since 9.0); the old escape format is read too.
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			b, err := encodeBytea(nil, v)
			if err != nil {
				return dst, err
			}
			dst = append(dst, '\\', 'x')
			return hex.AppendEncode(dst, b), nil
		},
		Decode: func(src []byte) (any, error) { return parseByteaText(src) },
	},
}

func parseByteaText(src []byte) ([]byte, error) {
	if len(src) >= 2 && src[0] == '\\' && src[1] == 'x' {
		out, err := hex.AppendDecode(make([]byte, 0, (len(src)-2)/2), src[2:])
		if err != nil {
			return nil, &DecodeError{PGType: "bytea", Msg: err.Error()}
		}
		return out, nil
	}
	// Escape format: \\ is a backslash, \ooo an octal byte.
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		if src[i] != '\\' {
			out = append(out, src[i])
			continue
		}
		if i+1 < len(src) && src[i+1] == '\\' {
			out = append(out, '\\')
			i++
			continue
		}
		if i+3 < len(src)+0 && isOctal(src[i+1]) && isOctal(src[i+2]) && isOctal(src[i+3]) {
			out = append(out, (src[i+1]-'0')<<6|(src[i+2]-'0')<<3|(src[i+3]-'0'))
			i += 3
			continue
		}
		return nil, &DecodeError{PGType: "bytea", Msg: fmt.Sprintf("bad escape at byte %d", i)}
	}
	return out, nil
}

func isOctal(c byte) bool { return c >= '0' && c <= '7' }
