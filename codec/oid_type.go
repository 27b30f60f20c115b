package codec

import (
	"encoding/binary"
	"math"
	"strconv"
)

// oidType builds an unsigned 32-bit type such as oid (and, in the type
// system, xid and cid).
func oidType(oid uint32, name string) *Type {
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				n, err := toInt64(v, name)
				if err != nil {
					return dst, err
				}
				if n < 0 || n > math.MaxUint32 {
					return dst, &RangeError{Value: strconv.FormatInt(n, 10), PGType: name}
				}
				return binary.BigEndian.AppendUint32(dst, uint32(n)), nil
			},
			Decode: func(src []byte) (any, error) {
				if len(src) != 4 {
					return nil, badLength(name, 4, len(src))
				}
				return binary.BigEndian.Uint32(src), nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if !isIntDest(dst) {
					return false, nil
				}
				if len(src) != 4 {
					return true, badLength(name, 4, len(src))
				}
				return true, setInt(dst, int64(binary.BigEndian.Uint32(src)))
			},
		},
	}
}
