package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"strconv"
)

// Money is PostgreSQL's money in its smallest unit (cents for the usual
// two-digit currencies): the exact int64 the server stores. Its text form
// depends on the server's lc_monetary; the binary form does not.
type Money int64

// String renders the amount with two decimals, without currency symbol:
// "-12.34".
func (m Money) String() string {
	var b []byte
	u := uint64(m)
	if m < 0 {
		b = append(b, '-')
		u = uint64(-(m + 1)) + 1
	}
	b = strconv.AppendUint(b, u/100, 10)
	b = append(b, '.', byte('0'+u%100/10), byte('0'+u%10))
	return string(b)
}

// Value implements driver.Valuer with the amount in cents.
func (m Money) Value() (driver.Value, error) { return int64(m), nil }

func (Money) pgValue() {}

var moneyType = &Type{
	OID:  MoneyOID,
	Name: "money",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			n, err := toInt64(v, "money")
			if err != nil {
				return dst, unsupportedEncode(v, "money", "use pg.Money or an integer number of cents")
			}
			return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
		},
		Decode: func(src []byte) (any, error) {
			n, err := decodeInt(src, 8, "money")
			return Money(n), err
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if d, ok := dst.(*Money); ok {
				n, err := decodeInt(src, 8, "money")
				*d = Money(n)
				return true, err
			}
			if isIntDest(dst) {
				n, err := decodeInt(src, 8, "money")
				if err != nil {
					return true, err
				}
				return true, setInt(dst, n)
			}
			return false, nil
		},
	},
}
