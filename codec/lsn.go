package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
)

// LSN is a write-ahead log position (pg_lsn), text "16/B374D848".
type LSN uint64

// ParseLSN reads the text form: two hexadecimal halves around a slash.
func ParseLSN(s string) (LSN, error) {
	hi, lo, ok := strings.Cut(s, "/")
	if !ok {
		return 0, fmt.Errorf("invalid pg_lsn %q", s)
	}
	h, err1 := strconv.ParseUint(hi, 16, 32)
	l, err2 := strconv.ParseUint(lo, 16, 32)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("invalid pg_lsn %q", s)
	}
	return LSN(h<<32 | l), nil
}

// String renders the text form, e.g. "16/B374D848".
func (l LSN) String() string {
	return strings.ToUpper(strconv.FormatUint(uint64(l)>>32, 16)) + "/" + strings.ToUpper(strconv.FormatUint(uint64(l)&0xFFFFFFFF, 16))
}

// Value implements driver.Valuer with the text form.
func (l LSN) Value() (driver.Value, error) { return l.String(), nil }

func (LSN) pgValue() {}

var lsnType = &Type{
	OID:  PgLSNOID,
	Name: "pg_lsn",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			switch x := v.(type) {
			case LSN:
				return binary.BigEndian.AppendUint64(dst, uint64(x)), nil
			case uint64:
				return binary.BigEndian.AppendUint64(dst, x), nil
			}
			return dst, unsupportedEncode(v, "pg_lsn", "use pg.LSN")
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 8 {
				return nil, badLength("pg_lsn", 8, len(src))
			}
			return LSN(binary.BigEndian.Uint64(src)), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			switch d := dst.(type) {
			case *LSN:
				if len(src) != 8 {
					return true, badLength("pg_lsn", 8, len(src))
				}
				*d = LSN(binary.BigEndian.Uint64(src))
				return true, nil
			case *uint64:
				if len(src) != 8 {
					return true, badLength("pg_lsn", 8, len(src))
				}
				*d = binary.BigEndian.Uint64(src)
				return true, nil
			case *string:
				if len(src) != 8 {
					return true, badLength("pg_lsn", 8, len(src))
				}
				*d = LSN(binary.BigEndian.Uint64(src)).String()
				return true, nil
			}
			return false, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Decode: func(src []byte) (any, error) {
			l, err := ParseLSN(string(src))
			if err != nil {
				return nil, &DecodeError{PGType: "pg_lsn", Msg: err.Error()}
			}
			return l, nil
		},
	},
}
