package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Money is PostgreSQL's money in its smallest unit (cents for the usual
// two-digit currencies): the exact int64 the server stores and sends in
// the binary format, whatever lc_monetary says.
//
// The amount is that count over 100: pg assumes two fractional digits, as
// lc_monetary gives in the C and POSIX locales (the server then uses 2
// too) and in nearly every other (en_US, de_DE, fr_FR ...). Under a locale
// with another number of fractional digits (ja_JP has 0), read money as
// pg.Money or an integer (the raw count) or cast it in SQL (m::numeric,
// which the server scales by its own lc_monetary); the decimal
// destinations below would be off by a power of ten.
//
// A money value scans into pg.Money and the Go integer types as that count
// (cents: '$12.34' gives 1234), and into float64 and float32 (rounded once,
// as money::numeric::float8 would), pg.Numeric, *big.Rat, *big.Float and
// string as the amount: 12.34, "12.34". A parameter of type money takes
// pg.Money or a Go integer, also as a count of cents (note that the
// server's own int-to-money cast reads an integer as whole units), or the
// amount as a string ("$1,234.56", "-1.5", "(1.50)"), read as cash_in
// reads it with "$", "," and "." (parseMoneyText; other forms are
// refused).
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

// Value implements driver.Valuer with the amount as a decimal string,
// "-12.34", which the server's money input (cash_in) reads.
func (m Money) Value() (driver.Value, error) { return m.String(), nil }

// numeric is the amount as a Numeric with two fractional digits.
func (m Money) numeric() Numeric {
	if m < 0 {
		return Numeric{coef: uint64(-(m + 1)) + 1, exp: -2, neg: true}
	}
	return Numeric{coef: uint64(m), exp: -2}
}

// assignMoney stores m into the destinations money takes (see Money).
func assignMoney(dst any, m Money) (bool, error) {
	switch d := dst.(type) {
	case *Money:
		*d = m
		return true, nil
	case *float64, *float32, *Numeric, *string, *big.Rat, *big.Float:
		return assignNumeric(d, m.numeric())
	}
	if isIntDest(dst) {
		return true, setInt(dst, int64(m))
	}
	return false, nil
}

func (Money) pgValue() {}

var moneyType = &Type{
	OID:  MoneyOID,
	Name: "money",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			if str, ok := v.(string); ok {
				// Binary COPY has no text fallback: read the amount here.
				m, err := parseMoneyText(str)
				if err != nil {
					return dst, err
				}
				return binary.BigEndian.AppendUint64(dst, uint64(m)), nil
			}
			n, err := toInt64(v, "money")
			if err != nil {
				return dst, unsupportedEncode(v, "money", "use pg.Money, an integer number of cents or the amount as a string")
			}
			return binary.BigEndian.AppendUint64(dst, uint64(n)), nil
		},
		Decode: func(src []byte) (any, error) {
			n, err := decodeInt(src, 8, "money")
			return Money(n), err
		},
		Scan: func(src []byte, dst any) (bool, error) {
			switch dst.(type) {
			case *Money, *float64, *float32, *Numeric, *string, *big.Rat, *big.Float:
			default:
				if !isIntDest(dst) {
					return false, nil
				}
			}
			n, err := decodeInt(src, 8, "money")
			if err != nil {
				return true, err
			}
			return assignMoney(dst, Money(n))
		},
	},
}

// moneyDigitsMax bounds the count of cents read so far: beyond it the next
// digit takes the amount out of money's range, and units*10+9 cannot wrap.
const moneyDigitsMax = (math.MaxInt64 + 1) / 10

// parseMoneyText reads an amount as cash_in does under a locale with "$",
// "," and "." and two fractional digits (the C locale's, and the
// assumption Money documents): an optional sign or parentheses for a
// negative amount, an optional "$", digits with "," separators, and a
// fraction whose third digit rounds half up, the rest ignored. Anything
// else is refused, not guessed.
func parseMoneyText(s string) (Money, error) {
	bad := func() (Money, error) {
		return 0, fmt.Errorf("%s is not money text (an amount with $, \",\" and \".\")", quoteInput(s))
	}
	t := trimSpace(s)
	neg := false
	if strings.HasPrefix(t, "(") && strings.HasSuffix(t, ")") {
		neg, t = true, trimSpace(t[1:len(t)-1])
	} else if strings.HasPrefix(t, "-") {
		neg, t = true, trimSpace(t[1:])
	} else if strings.HasPrefix(t, "+") {
		t = trimSpace(t[1:])
	}
	t = trimSpace(strings.TrimPrefix(t, "$"))
	if t == "" {
		return bad()
	}
	var units uint64 // in cents
	digits, frac := 0, -1
	round := false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			switch {
			case frac < 0 || frac < 2:
				if units > moneyDigitsMax {
					return 0, &RangeError{Value: quoteInput(s), PGType: "money"}
				}
				units = units*10 + uint64(c-'0')
				digits++
				if frac >= 0 {
					frac++
				}
			case frac == 2:
				round, frac = c >= '5', 3
			}
		case c == ',' && frac < 0 && digits > 0:
		case c == '.' && frac < 0:
			frac = 0
		default:
			return bad()
		}
	}
	if digits == 0 {
		return bad()
	}
	for f := max(frac, 0); f < 2; f++ {
		if units > moneyDigitsMax {
			return 0, &RangeError{Value: quoteInput(s), PGType: "money"}
		}
		units *= 10
	}
	if round {
		units++
	}
	limit := uint64(math.MaxInt64)
	if neg {
		limit++ // -2^63 is the smallest amount
	}
	if units > limit {
		return 0, &RangeError{Value: quoteInput(s), PGType: "money"}
	}
	if neg {
		return Money(-units), nil
	}
	return Money(units), nil
}
