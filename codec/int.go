package codec

import (
	"encoding/binary"
	"math"
	"strconv"
	"time"
)

// intType builds int2, int4 or int8: size is the width in bytes.
func intType(oid uint32, name string, size int) *Type {
	lo, hi := intBounds(size)
	return &Type{
		OID:  oid,
		Name: name,
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				n, err := toInt64(v, name)
				if err != nil {
					return dst, err
				}
				if n < lo || n > hi {
					return dst, &RangeError{Value: strconv.FormatInt(n, 10), PGType: name}
				}
				return strconv.AppendInt(dst, n, 10), nil
			},
			Decode: func(src []byte) (any, error) {
				n, err := strconv.ParseInt(string(src), 10, size*8)
				if err != nil {
					return nil, &DecodeError{PGType: name, Msg: err.Error()}
				}
				switch size {
				case 2:
					return int16(n), nil
				case 4:
					return int32(n), nil
				}
				return n, nil
			},
		},
		Binary: markInline(&Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				n, err := toInt64(v, name)
				if err != nil {
					return dst, err
				}
				if n < lo || n > hi {
					return dst, &RangeError{Value: strconv.FormatInt(n, 10), PGType: name}
				}
				switch size {
				case 2:
					return binary.BigEndian.AppendUint16(dst, uint16(n)), nil
				case 4:
					return binary.BigEndian.AppendUint32(dst, uint32(n)), nil
				}
				return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
			},
			Decode: func(src []byte) (any, error) {
				n, err := decodeInt(src, size, name)
				if err != nil {
					return nil, err
				}
				switch size {
				case 2:
					return int16(n), nil
				case 4:
					return int32(n), nil
				}
				return n, nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if scanIntSameWidth(src, size, dst) {
					return true, nil
				}
				if !isIntDest(dst) {
					return false, nil
				}
				n, err := decodeInt(src, size, name)
				if err != nil {
					return true, err
				}
				return true, setInt(dst, n)
			},
		}, elemSigned, size),
	}
}

// scanIntSameWidth stores a well-formed value into the Go integer of its
// own width (int2 into *int16 ...), the destination most scans give: no
// conversion, no range check. It reports false for anything else, which
// the general path serves.
func scanIntSameWidth(src []byte, size int, dst any) bool {
	if len(src) != size {
		return false
	}
	switch d := dst.(type) {
	case *int32:
		if size == 4 {
			*d = int32(binary.BigEndian.Uint32(src))
			return true
		}
	case *int64:
		if size == 8 {
			*d = int64(binary.BigEndian.Uint64(src))
			return true
		}
	case *int16:
		if size == 2 {
			*d = int16(binary.BigEndian.Uint16(src))
			return true
		}
	}
	return false
}

func intBounds(size int) (int64, int64) {
	switch size {
	case 2:
		return math.MinInt16, math.MaxInt16
	case 4:
		return math.MinInt32, math.MaxInt32
	}
	return math.MinInt64, math.MaxInt64
}

func decodeInt(src []byte, size int, name string) (int64, error) {
	if len(src) != size {
		return 0, badLength(name, size, len(src))
	}
	switch size {
	case 2:
		return int64(int16(binary.BigEndian.Uint16(src))), nil
	case 4:
		return int64(int32(binary.BigEndian.Uint32(src))), nil
	}
	return int64(binary.BigEndian.Uint64(src)), nil
}

// toInt64 accepts every Go integer type; uint64 values above MaxInt64 are a
// range error rather than a silent wrap.
func toInt64(v any, pgType string) (int64, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return 0, &RangeError{Value: strconv.FormatUint(uint64(x), 10), PGType: pgType}
		}
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, &RangeError{Value: strconv.FormatUint(x, 10), PGType: pgType}
		}
		return int64(x), nil
	case time.Duration:
		// A Duration is an integer only by accident of representation;
		// sending its nanoseconds would be a silent unit error.
		return 0, unsupportedEncode(v, pgType, "convert it explicitly (int64(d) nanoseconds, d.Milliseconds() ...), or use pg.Interval for an interval")
	}
	if n, ok := reflectInt(v); ok {
		return n, nil
	}
	return 0, unsupportedEncode(v, pgType, "use a Go integer type")
}

func isIntDest(dst any) bool {
	switch dst.(type) {
	case *int, *int8, *int16, *int32, *int64, *uint, *uint8, *uint16, *uint32, *uint64:
		return true
	}
	return false
}

// setInt stores n into an integer pointer, refusing values that do not fit.
func setInt(dst any, n int64) error {
	switch d := dst.(type) {
	case *int64:
		*d = n
		return nil
	case *int32:
		if n < math.MinInt32 || n > math.MaxInt32 {
			return intRange(n, "int32")
		}
		*d = int32(n)
		return nil
	case *int:
		if n < math.MinInt || n > math.MaxInt {
			return intRange(n, "int")
		}
		*d = int(n)
		return nil
	case *int16:
		if n < math.MinInt16 || n > math.MaxInt16 {
			return intRange(n, "int16")
		}
		*d = int16(n)
		return nil
	case *int8:
		if n < math.MinInt8 || n > math.MaxInt8 {
			return intRange(n, "int8")
		}
		*d = int8(n)
		return nil
	}
	if n < 0 {
		return intRange(n, typeName(dst)[1:])
	}
	u := uint64(n)
	switch d := dst.(type) {
	case *uint64:
		*d = u
	case *uint:
		*d = uint(u)
	case *uint32:
		if u > math.MaxUint32 {
			return intRange(n, "uint32")
		}
		*d = uint32(u)
	case *uint16:
		if u > math.MaxUint16 {
			return intRange(n, "uint16")
		}
		*d = uint16(u)
	case *uint8:
		if u > math.MaxUint8 {
			return intRange(n, "uint8")
		}
		*d = uint8(u)
	default:
		return unsupportedScan(dst, "integer")
	}
	return nil
}

func intRange(n int64, goType string) error {
	return &RangeError{Value: strconv.FormatInt(n, 10), PGType: "Go " + goType}
}
