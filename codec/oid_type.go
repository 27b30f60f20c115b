package codec

import (
	"encoding/binary"
	"math"
	"strconv"
)

// uintType builds an unsigned type: oid, xid and cid (size 4, Go uint32)
// and xid8 (size 8, Go uint64).
func uintType(oid uint32, name string, size int) *Type {
	max := uint64(math.MaxUint32)
	if size == 8 {
		max = math.MaxUint64
	}
	toUint := func(v any) (uint64, error) {
		if u, ok := v.(uint64); ok {
			if u > max {
				return 0, &RangeError{Value: strconv.FormatUint(u, 10), PGType: name}
			}
			return u, nil
		}
		n, err := toInt64(v, name)
		if err != nil {
			return 0, err
		}
		if n < 0 || uint64(n) > max {
			return 0, &RangeError{Value: strconv.FormatInt(n, 10), PGType: name}
		}
		return uint64(n), nil
	}
	box := func(u uint64) any {
		if size == 4 {
			return uint32(u)
		}
		return u
	}
	return &Type{
		OID:  oid,
		Name: name,
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				u, err := toUint(v)
				if err != nil {
					return dst, err
				}
				return strconv.AppendUint(dst, u, 10), nil
			},
			Decode: func(src []byte) (any, error) {
				u, err := strconv.ParseUint(string(src), 10, size*8)
				if err != nil {
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				return box(u), nil
			},
		},
		Binary: markInlineUint(&Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				u, err := toUint(v)
				if err != nil {
					return dst, err
				}
				if size == 4 {
					return binary.BigEndian.AppendUint32(dst, uint32(u)), nil
				}
				return binary.BigEndian.AppendUint64(dst, u), nil
			},
			Decode: func(src []byte) (any, error) {
				u, err := decodeUint(src, size, name)
				if err != nil {
					return nil, err
				}
				return box(u), nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				// oid into *uint32, the common case, without the general
				// conversion.
				if d, ok := dst.(*uint32); ok && size == 4 && len(src) == 4 {
					*d = binary.BigEndian.Uint32(src)
					return true, nil
				}
				if !isIntDest(dst) {
					return false, nil
				}
				u, err := decodeUint(src, size, name)
				if err != nil {
					return true, err
				}
				if d, ok := dst.(*uint64); ok {
					*d = u
					return true, nil
				}
				if u > math.MaxInt64 {
					return true, &RangeError{Value: strconv.FormatUint(u, 10), PGType: "Go " + typeName(dst)[1:]}
				}
				return true, setInt(dst, int64(u))
			},
		}, size),
	}
}

// markInlineUint marks the 4-byte unsigned codecs (oid, xid, cid) for
// inline array scans; xid8's values above MaxInt64 are no Go int64, so
// it keeps the general path.
func markInlineUint(c *Codec, size int) *Codec {
	if size != 4 {
		return c
	}
	return markInline(c, elemUnsigned, size)
}

func decodeUint(src []byte, size int, name string) (uint64, error) {
	if len(src) != size {
		return 0, badLength(name, size, len(src))
	}
	if size == 4 {
		return uint64(binary.BigEndian.Uint32(src)), nil
	}
	return binary.BigEndian.Uint64(src), nil
}
