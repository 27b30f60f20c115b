package stdlib

import (
	"fmt"
	"strconv"

	"github.com/wirepg/pg/codec"
)

// moneyText is money with a text codec that writes cash_out's form under
// lc_monetary C (and en_US): "$1,234.56", "-$0.05". pg's own money type has
// no text writer, as the server's depends on lc_monetary; database/sql
// drivers hand this form to Scanners.
var moneyText = &codec.Type{
	OID: moneyOID, Name: "money", Kind: codec.KindBase,
	Binary: codec.Default().Lookup(moneyOID).Binary,
	Text: &codec.Codec{Format: codec.TextFormat, Encode: func(dst []byte, v any) ([]byte, error) {
		m, ok := v.(codec.Money)
		if !ok {
			return nil, &codec.UnsupportedTypeError{GoType: fmt.Sprintf("%T", v), PGType: "money"}
		}
		return appendCash(dst, int64(m)), nil
	}},
}

func appendCash(dst []byte, cents int64) []byte {
	u := uint64(cents)
	if cents < 0 {
		dst = append(dst, '-')
		u = -u
	}
	dst = append(dst, '$')
	units := strconv.FormatUint(u/100, 10)
	for i := range len(units) {
		if i > 0 && (len(units)-i)%3 == 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, units[i])
	}
	return append(dst, '.', byte('0'+u%100/10), byte('0'+u%10))
}
