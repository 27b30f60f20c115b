package codec

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// PostgreSQL counts dates and timestamps from 2000-01-01 (its epoch), in
// days and microseconds.
const (
	pgEpochUnix     = 946684800 // 2000-01-01 00:00:00 UTC in Unix seconds
	pgEpochUnixDays = 10957
	usPerSec        = 1_000_000
	usPerDay        = 86_400 * usPerSec
)

// InfinityModifier marks the infinite dates and timestamps, which have no
// time.Time.
type InfinityModifier int8

// Infinity modifiers.
const (
	NegativeInfinity InfinityModifier = -1
	Finite           InfinityModifier = 0
	Infinity         InfinityModifier = 1
)

// String renders "infinity", "-infinity" or "finite".
func (m InfinityModifier) String() string {
	switch m {
	case Infinity:
		return "infinity"
	case NegativeInfinity:
		return "-infinity"
	}
	return "finite"
}

// InfinityError reports an infinite date or timestamp scanned into a
// time.Time, which cannot hold it.
type InfinityError struct {
	PGType   string
	Modifier InfinityModifier
}

func (e *InfinityError) Error() string {
	hint := "pg.Timestamp"
	if e.PGType == "date" {
		hint = "pg.Date"
	}
	return fmt.Sprintf("cannot scan %s %s into time.Time; scan into %s, which has an InfinityModifier", e.PGType, e.Modifier, hint)
}

// floorDivMod divides rounding toward negative infinity.
func floorDivMod(a, b int64) (int64, int64) {
	q, r := a/b, a%b
	if r < 0 {
		q--
		r += b
	}
	return q, r
}

// timeFromPGMicros is the instant us microseconds after the PostgreSQL
// epoch, in UTC.
func timeFromPGMicros(us int64) time.Time {
	sec, rem := floorDivMod(us, usPerSec)
	return time.Unix(sec+pgEpochUnix, rem*1000).UTC()
}

// appendDate writes y-m-d as PostgreSQL's ISO DateStyle does: at least
// four year digits, and years before 1 AD as "BC" (Go's year 0 is 1 BC).
func appendDate(dst []byte, y int, m time.Month, d int) ([]byte, bool) {
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPadded(dst, int64(y), 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, int64(m), 2)
	dst = append(dst, '-')
	dst = appendPadded(dst, int64(d), 2)
	return dst, bc
}

func appendPadded(dst []byte, n int64, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], n, 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// appendClock writes hh:mm:ss with the fraction of us (microseconds within
// the second), trailing zeros trimmed as PostgreSQL prints it.
func appendClock(dst []byte, h, m, s, us int64) []byte {
	dst = appendPadded(dst, h, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, m, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, s, 2)
	return appendFraction(dst, us)
}

func appendFraction(dst []byte, us int64) []byte {
	if us == 0 {
		return dst
	}
	var buf [6]byte
	for i := 5; i >= 0; i-- {
		buf[i] = byte('0' + us%10)
		us /= 10
	}
	n := 6
	for n > 0 && buf[n-1] == '0' {
		n--
	}
	dst = append(dst, '.')
	return append(dst, buf[:n]...)
}

// appendOffset writes a UTC offset (seconds east) as +hh, +hh:mm or
// +hh:mm:ss, as PostgreSQL does.
func appendOffset(dst []byte, off int64) []byte {
	if off < 0 {
		dst = append(dst, '-')
		off = -off
	} else {
		dst = append(dst, '+')
	}
	dst = appendPadded(dst, off/3600, 2)
	if off%3600 != 0 {
		dst = append(dst, ':')
		dst = appendPadded(dst, off%3600/60, 2)
		if off%60 != 0 {
			dst = append(dst, ':')
			dst = appendPadded(dst, off%60, 2)
		}
	}
	return dst
}

// dateTimeParser reads the ISO text forms of date, time, timestamp and
// their tz variants.
type dateTimeParser struct {
	s   string
	pos int
}

func (p *dateTimeParser) eof() bool { return p.pos >= len(p.s) }

func (p *dateTimeParser) peek() byte {
	if p.eof() {
		return 0
	}
	return p.s[p.pos]
}

// digits reads at least min decimal digits.
func (p *dateTimeParser) digits(min int) (int64, bool) {
	start := p.pos
	var n int64
	for !p.eof() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		if n > math.MaxInt64/10-10 {
			return 0, false
		}
		n = n*10 + int64(p.s[p.pos]-'0')
		p.pos++
	}
	return n, p.pos-start >= min
}

func (p *dateTimeParser) expect(c byte) bool {
	if p.peek() != c {
		return false
	}
	p.pos++
	return true
}

// date reads y-m-d.
func (p *dateTimeParser) date() (y, m, d int64, ok bool) {
	if y, ok = p.digits(1); !ok || !p.expect('-') {
		return
	}
	if m, ok = p.digits(1); !ok || !p.expect('-') {
		return 0, 0, 0, false
	}
	d, ok = p.digits(1)
	return
}

// clock reads hh:mm:ss[.ffffff] and returns microseconds since midnight.
func (p *dateTimeParser) clock() (int64, bool) {
	h, ok := p.digits(1)
	if !ok || !p.expect(':') {
		return 0, false
	}
	m, ok := p.digits(1)
	if !ok {
		return 0, false
	}
	var s, frac int64
	if p.expect(':') {
		if s, ok = p.digits(1); !ok {
			return 0, false
		}
		if p.expect('.') {
			scale := int64(100000)
			for !p.eof() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
				frac += int64(p.s[p.pos]-'0') * scale
				scale /= 10
				p.pos++
			}
		}
	}
	if h > 24 || m > 59 || s > 60 {
		return 0, false
	}
	return ((h*60+m)*60+s)*usPerSec + frac, true
}

// offset reads +hh[:mm[:ss]] (or +hhmm) and returns seconds east of UTC.
func (p *dateTimeParser) offset() (int64, bool) {
	sign := int64(1)
	switch p.peek() {
	case '+':
	case '-':
		sign = -1
	default:
		return 0, false
	}
	p.pos++
	start := p.pos
	h, ok := p.digits(1)
	if !ok {
		return 0, false
	}
	var m, s int64
	if p.pos-start == 4 { // +hhmm
		h, m = h/100, h%100
	} else if p.expect(':') {
		if m, ok = p.digits(2); !ok {
			return 0, false
		}
		if p.expect(':') {
			if s, ok = p.digits(2); !ok {
				return 0, false
			}
		}
	}
	return sign * (h*3600 + m*60 + s), true
}

// bc reads an optional " BC" suffix.
func (p *dateTimeParser) bc() bool {
	if len(p.s)-p.pos >= 3 && p.s[p.pos:p.pos+3] == " BC" {
		p.pos += 3
		return true
	}
	return false
}

// parseTimestampText reads "y-m-d hh:mm:ss[.f][offset][ BC]". It returns
// the wall clock as microseconds since the epoch read in UTC, and the
// offset when one was given.
func parseTimestampText(s string, pgType string) (us int64, off int64, hasOff bool, inf InfinityModifier, err error) {
	switch s {
	case "infinity":
		return 0, 0, false, Infinity, nil
	case "-infinity":
		return 0, 0, false, NegativeInfinity, nil
	}
	bad := &DecodeError{PGType: pgType, Msg: fmt.Sprintf("cannot parse %q", s)}
	p := dateTimeParser{s: s}
	y, m, d, ok := p.date()
	if !ok {
		return 0, 0, false, 0, bad
	}
	var clock int64
	if p.expect(' ') || p.expect('T') {
		if clock, ok = p.clock(); !ok {
			return 0, 0, false, 0, bad
		}
		if p.peek() == '+' || p.peek() == '-' {
			if off, ok = p.offset(); !ok {
				return 0, 0, false, 0, bad
			}
			hasOff = true
		} else if p.peek() == 'Z' {
			p.pos++
			hasOff = true
		}
	}
	if p.bc() {
		y = 1 - y
	}
	if !p.eof() || y > math.MaxInt32 || m < 1 || m > 12 || d < 1 || d > 31 {
		return 0, 0, false, 0, bad
	}
	days := daysSinceEpoch(int(y), time.Month(m), int(d))
	return days*usPerDay + clock, off, hasOff, Finite, nil
}

// daysSinceEpoch is the day number of y-m-d counted from 2000-01-01.
func daysSinceEpoch(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 - pgEpochUnixDays
}
