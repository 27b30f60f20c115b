package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Interval is PostgreSQL's interval, losslessly: months, days and
// microseconds are separate because their lengths vary (a month is 28 to
// 31 days, a day 23 to 25 hours across DST).
type Interval struct {
	Microseconds int64
	Days         int32
	Months       int32
}

// IntervalOf returns d as an interval of microseconds (sub-microsecond
// digits truncated).
func IntervalOf(d time.Duration) Interval {
	return Interval{Microseconds: int64(d / time.Microsecond)}
}

// Duration converts to a time.Duration, counting a day as 24 hours. An
// interval with months has no fixed length and is an error, as is one
// beyond time.Duration's ±292 years.
func (iv Interval) Duration() (time.Duration, error) {
	if iv.Months != 0 {
		return 0, fmt.Errorf("interval %s has months, which have no fixed length; scan into pg.Interval", iv)
	}
	us := int64(iv.Days)*usPerDay + iv.Microseconds
	if (iv.Days > 0 && iv.Microseconds > 0 && us < 0) || (iv.Days < 0 && iv.Microseconds < 0 && us > 0) ||
		us > math.MaxInt64/1000 || us < math.MinInt64/1000 {
		return 0, &RangeError{Value: iv.String(), PGType: "Go time.Duration"}
	}
	return time.Duration(us) * time.Microsecond, nil
}

// String renders PostgreSQL's default (IntervalStyle postgres) form:
// "1 year 2 mons 3 days 04:05:06.5", "-1 days +02:00:00", "00:00:00".
func (iv Interval) String() string { return string(iv.appendText(nil)) }

func (iv Interval) appendText(dst []byte) []byte {
	isZero, isBefore := true, false
	part := func(v int64, unit string) {
		if v == 0 {
			return
		}
		if !isZero {
			dst = append(dst, ' ')
		}
		if isBefore && v > 0 {
			dst = append(dst, '+')
		}
		dst = strconv.AppendInt(dst, v, 10)
		dst = append(dst, ' ')
		dst = append(dst, unit...)
		if v != 1 {
			dst = append(dst, 's')
		}
		isBefore = v < 0
		isZero = false
	}
	part(int64(iv.Months/12), "year")
	part(int64(iv.Months%12), "mon")
	part(int64(iv.Days), "day")
	us := iv.Microseconds
	if isZero || us != 0 {
		if !isZero {
			dst = append(dst, ' ')
		}
		// Magnitude without overflowing on MinInt64.
		mag := uint64(us)
		if us < 0 {
			dst = append(dst, '-')
			mag = uint64(-(us + 1)) + 1
		} else if isBefore {
			dst = append(dst, '+')
		}
		secs := mag / usPerSec
		dst = appendPadded(dst, int64(secs/3600), 2)
		dst = append(dst, ':')
		dst = appendPadded(dst, int64(secs/60%60), 2)
		dst = append(dst, ':')
		dst = appendPadded(dst, int64(secs%60), 2)
		dst = appendFraction(dst, int64(mag%usPerSec))
	}
	return dst
}

// ParseInterval reads the postgres IntervalStyle form String produces
// ("1 year -2 mons +3 days -04:05:06.5"), also with "@" and "ago" as in
// postgres_verbose, and the units hours, minutes, seconds spelled out.
func ParseInterval(s string) (Interval, error) {
	var iv Interval
	bad := func() (Interval, error) { return Interval{}, fmt.Errorf("invalid interval %q", s) }
	f := strings.Fields(s)
	if len(f) > 0 && f[0] == "@" {
		f = f[1:]
	}
	ago := false
	if len(f) > 0 && f[len(f)-1] == "ago" {
		ago, f = true, f[:len(f)-1]
	}
	var months, days, us int64
	for i := 0; i < len(f); i++ {
		tok := f[i]
		if strings.Contains(tok, ":") {
			neg := strings.HasPrefix(tok, "-")
			p := dateTimeParser{s: strings.TrimLeft(tok, "+-")}
			h, ok := p.digits(1)
			if !ok || !p.expect(':') {
				return bad()
			}
			m, ok := p.digits(1)
			if !ok {
				return bad()
			}
			var sec, frac int64
			if p.expect(':') {
				if sec, ok = p.digits(1); !ok {
					return bad()
				}
				if p.expect('.') {
					scale := int64(100000)
					for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
						frac += int64(p.peek()-'0') * scale
						scale /= 10
						p.pos++
					}
				}
			}
			if !p.eof() || m > 59 || sec > 59 {
				return bad()
			}
			v := ((h*60+m)*60+sec)*usPerSec + frac
			if neg {
				v = -v
			}
			us += v
			continue
		}
		if i+1 >= len(f) {
			return bad()
		}
		num, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return bad()
		}
		unit := strings.TrimSuffix(f[i+1], "s")
		i++
		n := int64(num)
		if float64(n) != num && unit != "sec" && unit != "second" {
			return bad()
		}
		switch unit {
		case "year":
			months += 12 * n
		case "mon", "month":
			months += n
		case "day":
			days += n
		case "hour":
			us += n * 3600 * usPerSec
		case "min", "minute":
			us += n * 60 * usPerSec
		case "sec", "second":
			us += int64(math.Round(num * usPerSec))
		default:
			return bad()
		}
	}
	if ago {
		months, days, us = -months, -days, -us
	}
	if months > math.MaxInt32 || months < math.MinInt32 || days > math.MaxInt32 || days < math.MinInt32 {
		return bad()
	}
	iv.Months, iv.Days, iv.Microseconds = int32(months), int32(days), us
	return iv, nil
}

// Value implements driver.Valuer with the text form.
func (iv Interval) Value() (driver.Value, error) { return iv.String(), nil }

// Scan implements sql.Scanner for the text form.
func (iv *Interval) Scan(src any) error {
	switch x := src.(type) {
	case string:
		v, err := ParseInterval(x)
		*iv = v
		return err
	case []byte:
		v, err := ParseInterval(string(x))
		*iv = v
		return err
	case Interval:
		*iv = x
		return nil
	case nil:
		return &NullError{GoType: "pg.Interval", PGType: "interval"}
	}
	return fmt.Errorf("cannot scan %T into pg.Interval", src)
}

func (Interval) pgValue() {}

func toInterval(v any) (Interval, error) {
	switch x := v.(type) {
	case Interval:
		return x, nil
	case time.Duration:
		return IntervalOf(x), nil
	}
	return Interval{}, unsupportedEncode(v, "interval", "use pg.Interval or time.Duration")
}

func decodeInterval(src []byte) (Interval, error) {
	if len(src) != 16 {
		return Interval{}, badLength("interval", 16, len(src))
	}
	return Interval{
		Microseconds: int64(binary.BigEndian.Uint64(src)),
		Days:         int32(binary.BigEndian.Uint32(src[8:])),
		Months:       int32(binary.BigEndian.Uint32(src[12:])),
	}, nil
}

var intervalType = &Type{
	OID:  IntervalOID,
	Name: "interval",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			iv, err := toInterval(v)
			if err != nil {
				return dst, err
			}
			dst = binary.BigEndian.AppendUint64(dst, uint64(iv.Microseconds))
			dst = binary.BigEndian.AppendUint32(dst, uint32(iv.Days))
			return binary.BigEndian.AppendUint32(dst, uint32(iv.Months)), nil
		},
		Decode: func(src []byte) (any, error) { return decodeInterval(src) },
		Scan: func(src []byte, dst any) (bool, error) {
			switch d := dst.(type) {
			case *Interval:
				iv, err := decodeInterval(src)
				*d = iv
				return true, err
			case *time.Duration:
				iv, err := decodeInterval(src)
				if err != nil {
					return true, err
				}
				*d, err = iv.Duration()
				return true, err
			case *string:
				iv, err := decodeInterval(src)
				*d = iv.String()
				return true, err
			}
			return false, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			iv, err := toInterval(v)
			if err != nil {
				return dst, err
			}
			return iv.appendText(dst), nil
		},
		Decode: func(src []byte) (any, error) {
			iv, err := ParseInterval(string(src))
			if err != nil {
				return nil, &DecodeError{PGType: "interval", Msg: err.Error()}
			}
			return iv, nil
		},
	},
}
