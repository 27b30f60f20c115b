package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// Date is a date that may be infinite. A finite date decodes as a
// time.Time at midnight UTC; 'infinity' and '-infinity' decode as a Date
// with InfinityModifier set, never as a wrong time.Time. Scan into *Date
// to accept both.
type Date struct {
	Time             time.Time // midnight UTC of the date, when finite
	InfinityModifier InfinityModifier
}

// String renders PostgreSQL's ISO form: "2024-02-29", "0044-03-15 BC",
// "infinity".
func (d Date) String() string { return string(d.appendText(nil)) }

func (d Date) appendText(dst []byte) []byte {
	if d.InfinityModifier != Finite {
		return append(dst, d.InfinityModifier.String()...)
	}
	y, m, day := d.Time.Date()
	dst, bc := appendDate(dst, y, m, day)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// Value implements driver.Valuer: a time.Time, or the text "infinity".
func (d Date) Value() (driver.Value, error) {
	if d.InfinityModifier != Finite {
		return d.InfinityModifier.String(), nil
	}
	return d.Time, nil
}

// Scan implements sql.Scanner for time.Time and the text form, read as
// the server reads it (an impossible or out-of-range date is an error).
func (d *Date) Scan(src any) error {
	switch x := src.(type) {
	case time.Time:
		*d = Date{Time: x}
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	case Date:
		*d = x
		return nil
	case nil:
		return &NullError{GoType: "pg.Date", PGType: "date"}
	}
	return fmt.Errorf("cannot scan %T into pg.Date", src)
}

func (d *Date) parse(s string) error {
	v, err := parseDateText(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

func (Date) pgValue() {}

func dateFromDays(days int32) Date {
	switch days {
	case math.MaxInt32:
		return Date{InfinityModifier: Infinity}
	case math.MinInt32:
		return Date{InfinityModifier: NegativeInfinity}
	}
	return Date{Time: time.Unix((int64(days)+pgEpochUnixDays)*86400, 0).UTC()}
}

// parseDateText reads date's text form. A time of day after the date is
// checked and ignored, as the server does.
func parseDateText(s string) (Date, error) {
	v, err := parseDateTimeText(s, "date")
	if err != nil {
		return Date{}, err
	}
	if v.inf != Finite {
		return Date{InfinityModifier: v.inf}, nil
	}
	days := v.days()
	if days < minDateDays || days >= endDateDays {
		return Date{}, &RangeError{Value: s, PGType: "date"}
	}
	return dateFromDays(int32(days)), nil
}

// PostgreSQL's date range (IS_VALID_DATE in src/include/datatype/
// timestamp.h): Julian day 0, 4714-11-24 BC, to 5874897-12-31, in days
// since 2000-01-01.
const (
	minDateDays = -2451545
	endDateDays = 2147483494 - 2451545
)

// toDateDays converts the Go values a date parameter accepts: time.Time
// (its calendar date in its own location) and Date.
func toDateDays(v any) (int32, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case Date:
		switch x.InfinityModifier {
		case Infinity:
			return math.MaxInt32, nil
		case NegativeInfinity:
			return math.MinInt32, nil
		}
		t = x.Time
	default:
		return 0, unsupportedEncode(v, "date", "use time.Time or pg.Date")
	}
	y, m, d := t.Date()
	days := daysSinceEpoch(y, m, d)
	if days < minDateDays || days >= endDateDays {
		return 0, outOfPGRange(t, "date")
	}
	return int32(days), nil
}

var dateType = &Type{
	OID:  DateOID,
	Name: "date",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			days, err := toDateDays(v)
			if err != nil {
				return dst, err
			}
			return binary.BigEndian.AppendUint32(dst, uint32(days)), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 4 {
				return nil, badLength("date", 4, len(src))
			}
			d := dateFromDays(int32(binary.BigEndian.Uint32(src)))
			if d.InfinityModifier == Finite {
				return d.Time, nil
			}
			return d, nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			switch dst.(type) {
			case *time.Time, *Date, *string:
			default:
				return false, nil
			}
			if len(src) != 4 {
				return true, badLength("date", 4, len(src))
			}
			d := dateFromDays(int32(binary.BigEndian.Uint32(src)))
			switch x := dst.(type) {
			case *time.Time:
				if d.InfinityModifier != Finite {
					return true, &InfinityError{PGType: "date", Modifier: d.InfinityModifier}
				}
				*x = d.Time
			case *Date:
				*x = d
			case *string:
				*x = d.String()
			}
			return true, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			days, err := toDateDays(v)
			if err != nil {
				return dst, err
			}
			return dateFromDays(days).appendText(dst), nil
		},
		Decode: func(src []byte) (any, error) {
			d, err := parseDateText(string(src))
			if err != nil {
				return nil, err
			}
			if d.InfinityModifier == Finite {
				return d.Time, nil
			}
			return d, nil
		},
	},
}
