package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
)

// Bits is a bit string (bit, varbit): Len bits, packed most significant
// first into Bytes; the unused low bits of the last byte are zero.
type Bits struct {
	Bytes []byte
	Len   int32
}

// ParseBits reads a string of 0s and 1s.
func ParseBits(s string) (Bits, error) {
	b := Bits{Bytes: make([]byte, (len(s)+7)/8), Len: int32(len(s))}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '1':
			b.Bytes[i/8] |= 0x80 >> (i % 8)
		case '0':
		default:
			return Bits{}, fmt.Errorf("invalid bit string %q", s)
		}
	}
	return b, nil
}

// String renders the bits as 0s and 1s, as PostgreSQL does.
func (b Bits) String() string {
	out := make([]byte, b.Len)
	for i := range out {
		if i/8 < len(b.Bytes) && b.Bytes[i/8]&(0x80>>(i%8)) != 0 {
			out[i] = '1'
		} else {
			out[i] = '0'
		}
	}
	return string(out)
}

// Value implements driver.Valuer with the text form.
func (b Bits) Value() (driver.Value, error) { return b.String(), nil }

func (Bits) pgValue() {}

func toBits(v any, name string) (Bits, error) {
	if b, ok := v.(Bits); ok {
		if b.Len < 0 || int64(len(b.Bytes)) != (int64(b.Len)+7)/8 {
			return b, fmt.Errorf("cannot encode pg.Bits as %s: %d bits need %d bytes, have %d", name, b.Len, (int64(b.Len)+7)/8, len(b.Bytes))
		}
		return b, nil
	}
	return Bits{}, unsupportedEncode(v, name, "use pg.Bits or a string of 0s and 1s")
}

func decodeBits(src []byte, name string) (Bits, error) {
	if len(src) < 4 {
		return Bits{}, badLength(name, 4, len(src))
	}
	n := binary.BigEndian.Uint32(src)
	if n > math.MaxInt32 || int64(len(src)-4) != (int64(n)+7)/8 {
		return Bits{}, &DecodeError{PGType: name, Msg: "bit length and data disagree"}
	}
	return Bits{Bytes: copyBytes(nil, src[4:]), Len: int32(n)}, nil
}

func bitsType(oid uint32, name string) *Type {
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				b, err := toBits(v, name)
				if err != nil {
					return dst, err
				}
				dst = binary.BigEndian.AppendUint32(dst, uint32(b.Len))
				return append(dst, b.Bytes...), nil
			},
			Decode: func(src []byte) (any, error) { return decodeBits(src, name) },
			Scan: func(src []byte, dst any) (bool, error) {
				switch d := dst.(type) {
				case *Bits:
					b, err := decodeBits(src, name)
					*d = b
					return true, err
				case *string:
					b, err := decodeBits(src, name)
					*d = b.String()
					return true, err
				}
				return false, nil
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				b, err := toBits(v, name)
				if err != nil {
					return dst, err
				}
				return append(dst, b.String()...), nil
			},
			Decode: func(src []byte) (any, error) {
				b, err := ParseBits(string(src))
				if err != nil {
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				return b, nil
			},
		},
	}
}
