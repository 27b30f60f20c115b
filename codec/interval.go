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
// postgres_verbose, and the units spelled as the server spells them (years,
// mons, weeks, days, hours, mins, secs, milliseconds, microseconds and
// their abbreviations), with PostgreSQL's semantics (DecodeInterval in
// src/backend/utils/adt/datetime.c): each unit at most once, fractions
// spilling into the smaller units (1.5 years is 1 year 6 mons, 1.5 mons
// is 1 mon 15 days, 1.5 days is 1 day 12:00:00), digits past the
// microsecond rounded, any overflow an error. Other spellings the server
// reads (ISO 8601 "P1Y", SQL "1-2", bare numbers, decades) are refused.
func ParseInterval(s string) (Interval, error) {
	var iv Interval
	syntax := func() (Interval, error) { return Interval{}, fmt.Errorf("invalid interval %s", quoteInput(s)) }
	overflow := func() (Interval, error) {
		return Interval{}, &RangeError{Value: s, PGType: "interval"}
	}
	f := fieldsSpace(s)
	if len(f) > 0 && f[0] == "@" {
		f = f[1:]
	}
	ago := false
	if len(f) > 0 && strings.EqualFold(f[len(f)-1], "ago") {
		ago, f = true, f[:len(f)-1]
	}
	if len(f) == 0 {
		return syntax()
	}
	var in intervalIn
	var mask intervalMask
	// The server reads the fields right to left, and a time field sets the
	// time part, dropping a fraction of days or weeks after it:
	// '01:00:00 1.5 days' is 1 day 01:00:00, '1.5 days 01:00:00' is
	// 1 day 13:00:00.
	for i := len(f) - 1; i >= 0; i-- {
		tok := f[i]
		if strings.IndexByte(tok, ':') >= 0 {
			if mask&maskTime != 0 {
				return syntax()
			}
			mask |= maskTime
			us, ok, inRange := parseIntervalTime(tok)
			if !ok {
				return syntax()
			}
			if !inRange {
				return overflow()
			}
			in.us = us
			continue
		}
		u, ok := intervalUnits[strings.ToLower(tok)]
		if !ok || i == 0 {
			return syntax()
		}
		i--
		val, frac, ok, inRange := parseIntervalNumber(f[i])
		if !ok {
			return syntax()
		}
		if !inRange {
			return overflow()
		}
		m := u.mask
		if u.mask == maskSecond && frac != 0 {
			m = maskAllSecs
		}
		if mask&m != 0 {
			return syntax()
		}
		mask |= m
		if !in.add(u, val, frac) {
			return overflow()
		}
	}
	if ago {
		if in.us == math.MinInt64 || in.days == math.MinInt32 || in.months == math.MinInt32 || in.years == math.MinInt32 {
			return overflow()
		}
		in.us, in.days, in.months, in.years = -in.us, -in.days, -in.months, -in.years
	}
	months := int64(in.years)*12 + int64(in.months)
	if months > math.MaxInt32 || months < math.MinInt32 {
		return overflow()
	}
	iv.Months, iv.Days, iv.Microseconds = int32(months), in.days, in.us
	return iv, nil
}

// fieldsSpace splits s at runs of the spaces PostgreSQL's lexer skips.
func fieldsSpace(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		j := i
		for j < len(s) && !isSpace(s[j]) {
			j++
		}
		if j > i {
			out = append(out, s[i:j])
		}
		i = j
	}
	return out
}

// intervalMask records the units an interval text gave, each allowed once.
type intervalMask uint16

const (
	maskYear intervalMask = 1 << iota
	maskMonth
	maskWeek
	maskDay
	maskHour
	maskMinute
	maskSecond
	maskMillisecond
	maskMicrosecond

	maskAllSecs = maskSecond | maskMillisecond | maskMicrosecond
	maskTime    = maskHour | maskMinute | maskAllSecs
)

type intervalUnit struct {
	mask  intervalMask
	scale int64 // microseconds per unit, for the units of time
}

// intervalUnits are the server's spellings (deltatktbl in datetime.c,
// looked up lower case and cut to ten characters).
var intervalUnits = func() map[string]intervalUnit {
	m := map[string]intervalUnit{}
	add := func(u intervalUnit, names ...string) {
		for _, n := range names {
			m[n] = u
		}
	}
	add(intervalUnit{mask: maskYear}, "y", "year", "years", "yr", "yrs")
	add(intervalUnit{mask: maskMonth}, "mon", "mons", "month", "months")
	add(intervalUnit{mask: maskWeek}, "w", "week", "weeks")
	add(intervalUnit{mask: maskDay}, "d", "day", "days")
	add(intervalUnit{mask: maskHour, scale: 3600 * usPerSec}, "h", "hour", "hours", "hr", "hrs")
	add(intervalUnit{mask: maskMinute, scale: 60 * usPerSec}, "m", "min", "mins", "minute", "minutes")
	add(intervalUnit{mask: maskSecond, scale: usPerSec}, "s", "sec", "secs", "second", "seconds")
	add(intervalUnit{mask: maskMillisecond, scale: 1000}, "ms", "msec", "msecs", "msecond", "mseconds", "millisecond", "milliseconds")
	add(intervalUnit{mask: maskMicrosecond, scale: 1}, "us", "usec", "usecs", "usecond", "useconds", "microsecond", "microseconds")
	return m
}()

// intervalIn accumulates an interval's fields as PostgreSQL's pg_itm_in
// does, every step checked for overflow.
type intervalIn struct {
	years, months, days int32
	us                  int64
}

// add adds val units and the fraction frac (with val's sign) of one,
// as DecodeInterval's Adjust* helpers do.
func (in *intervalIn) add(u intervalUnit, val int64, frac float64) bool {
	switch u.mask {
	case maskYear:
		// AdjustFractYears: the fraction rounds to whole months.
		return addInt32(&in.years, val, 1) && addInt32(&in.months, int64(math.RoundToEven(frac*12)), 1)
	case maskMonth:
		return addInt32(&in.months, val, 1) && in.addFractDays(frac, 30)
	case maskWeek:
		return addInt32(&in.days, val, 7) && in.addFractDays(frac, 7)
	case maskDay:
		return addInt32(&in.days, val, 1) && in.addFractMicros(frac, usPerDay)
	}
	v, ok := mulInt64(val, u.scale)
	if !ok {
		return false
	}
	if in.us, ok = addInt64(in.us, v); !ok {
		return false
	}
	return in.addFractMicros(frac, u.scale)
}

// addFractDays is AdjustFractDays: whole days of frac*scale, the rest as
// microseconds.
func (in *intervalIn) addFractDays(frac float64, scale int) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	extra := int64(frac) // |frac| < 1, so this fits
	if !addInt32(&in.days, extra, 1) {
		return false
	}
	return in.addFractMicros(frac-float64(extra), usPerDay)
}

// addFractMicros is AdjustFractMicroseconds: frac*scale truncated, then
// a remainder beyond one half rounded away from zero.
func (in *intervalIn) addFractMicros(frac float64, scale int64) bool {
	if frac == 0 {
		return true
	}
	frac *= float64(scale)
	us := int64(frac)
	frac -= float64(us)
	if frac > 0.5 {
		us++
	} else if frac < -0.5 {
		us--
	}
	var ok bool
	in.us, ok = addInt64(in.us, us)
	return ok
}

func addInt32(dst *int32, val, scale int64) bool {
	if val < math.MinInt32 || val > math.MaxInt32 {
		return false
	}
	r := int64(*dst) + val*scale
	if r < math.MinInt32 || r > math.MaxInt32 || val*scale < math.MinInt32 || val*scale > math.MaxInt32 {
		return false
	}
	*dst = int32(r)
	return true
}

func addInt64(a, b int64) (int64, bool) {
	r := a + b
	if (b > 0 && r < a) || (b < 0 && r > a) {
		return 0, false
	}
	return r, true
}

func mulInt64(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	r := a * b
	if r/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return r, true
}

// parseIntervalNumber reads [+-]digits[.digits]: the integer part and the
// fraction, which carries the field's sign as in DecodeInterval.
func parseIntervalNumber(tok string) (val int64, frac float64, ok, inRange bool) {
	digits := tok
	if strings.HasPrefix(tok, "-") || strings.HasPrefix(tok, "+") {
		digits = tok[1:]
	}
	p := dateTimeParser{s: digits}
	if _, c := p.digits(); c == 0 {
		return 0, 0, false, false
	}
	intEnd := len(tok) - len(digits) + p.pos
	if p.expect('.') {
		start := p.pos
		for !p.eof() && p.peek() >= '0' && p.peek() <= '9' {
			p.pos++
		}
		if p.pos > start {
			frac, _ = strconv.ParseFloat("0."+digits[start:p.pos], 64)
		}
	}
	if !p.eof() {
		return 0, 0, false, false
	}
	// strtoi64 with the sign: -9223372036854775808 is in range.
	val, err := strconv.ParseInt(tok[:intEnd], 10, 64)
	if err != nil {
		return 0, 0, true, false
	}
	if tok[0] == '-' {
		frac = -frac
	}
	return val, frac, true, true
}

// parseIntervalTime reads [+-]h:mm[:ss[.f]] (DecodeTimeCommon): any
// number of hours, minutes to 59, seconds to 60, digits past the
// microsecond rounded. A two-field time with a fraction is mm:ss.f there;
// it is refused here.
func parseIntervalTime(tok string) (us int64, ok, inRange bool) {
	neg := false
	switch {
	case strings.HasPrefix(tok, "-"):
		neg, tok = true, tok[1:]
	case strings.HasPrefix(tok, "+"):
		tok = tok[1:]
	}
	p := dateTimeParser{s: tok}
	h, c := p.digits()
	if c == 0 || !p.expect(':') {
		return 0, false, false
	}
	if c < 0 {
		return 0, true, false
	}
	m, ok := p.field(2)
	if !ok {
		return 0, false, false
	}
	var sec, frac int64
	if p.expect(':') {
		if sec, ok = p.field(2); !ok {
			return 0, false, false
		}
		if p.expect('.') {
			if frac, ok = p.fraction(); !ok {
				return 0, false, false
			}
		}
	}
	if !p.eof() {
		return 0, false, false
	}
	if m > 59 || sec > 60 {
		return 0, true, false
	}
	us, ok = mulInt64(h, 3600*usPerSec)
	if ok {
		us, ok = addInt64(us, (m*60+sec)*usPerSec+frac)
	}
	if !ok {
		return 0, true, false
	}
	if neg {
		us = -us
	}
	return us, true, true
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
