package codec

import (
	"fmt"
	"math"
	"strconv"
	"strings"
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

// The text parsers below read the ISO forms of date, time, timestamp and
// their tz variants, with PostgreSQL's semantics (src/backend/utils/adt/
// datetime.c: DecodeDateTime, DecodeTime, DecodeTimezone, time_overflows):
// impossible fields are errors, never normalised; a 60th second and
// 24:00:00 carry into the next minute or day as the server's do; digits
// past the microsecond are rounded as the server rounds them. The server
// accepts many more spellings (month names, Julian days, 'epoch', zone
// names ...); those are refused here with an error rather than guessed.

// isSpace is C's isspace in the "C" locale: the characters PostgreSQL's
// ParseDateTime skips around fields.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// quoteInput quotes s for an error message, cut to a readable length.
func quoteInput(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "…"
	}
	return strconv.Quote(s)
}

// Time zone displacements are limited to ±15:59:59 (MAX_TZDISP_HOUR in
// src/include/datatype/timestamp.h).
const maxTZDispHour = 15

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

// digits reads a run of decimal digits and returns their value and count;
// a run too long for an int64 counts as -1.
func (p *dateTimeParser) digits() (int64, int) {
	start := p.pos
	var n int64
	over := false
	for !p.eof() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		d := int64(p.s[p.pos] - '0')
		if over || n > (math.MaxInt64-d)/10 {
			over = true
		} else {
			n = n*10 + d
		}
		p.pos++
	}
	if over {
		return 0, -1
	}
	return n, p.pos - start
}

// field reads 1 to max digits.
func (p *dateTimeParser) field(max int) (int64, bool) {
	n, c := p.digits()
	return n, c >= 1 && c <= max
}

func (p *dateTimeParser) expect(c byte) bool {
	if p.peek() != c {
		return false
	}
	p.pos++
	return true
}

func (p *dateTimeParser) spaces() int {
	start := p.pos
	for !p.eof() && isSpace(p.s[p.pos]) {
		p.pos++
	}
	return p.pos - start
}

// word reads w, ignoring case, when it comes next and is not followed by
// a letter.
func (p *dateTimeParser) word(w string) bool {
	end := p.pos + len(w)
	if end > len(p.s) || !strings.EqualFold(p.s[p.pos:end], w) {
		return false
	}
	if end < len(p.s) && (p.s[end]|0x20 >= 'a' && p.s[end]|0x20 <= 'z') {
		return false
	}
	p.pos = end
	return true
}

// fraction reads the digits after a decimal point and rounds them to
// microseconds as ParseFractionalSecond does: rint(strtod(".ddd") *
// 1000000), the float64 product rounded half to even. The result may be
// 1000000.
func (p *dateTimeParser) fraction() (int64, bool) {
	start := p.pos
	for !p.eof() && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == start {
		return 0, true // "12:00:00." is 12:00:00 to the server too
	}
	f, err := strconv.ParseFloat("0."+p.s[start:p.pos], 64)
	if err != nil {
		return 0, false
	}
	return int64(math.RoundToEven(f * usPerSec)), true
}

// clock reads h:mm[:ss[.ffffff]] and returns microseconds since midnight,
// checked as time_overflows does: hours to 24, minutes to 59, seconds to
// 60 (a leap second carries into the next minute), and the whole at most
// 24:00:00.
func (p *dateTimeParser) clock() (us, secs int64, ok, inRange bool) {
	h, ok := p.field(2)
	if !ok || !p.expect(':') {
		return 0, 0, false, false
	}
	m, ok := p.field(2)
	if !ok {
		return 0, 0, false, false
	}
	var s, frac int64
	if p.expect(':') {
		if s, ok = p.field(2); !ok {
			return 0, 0, false, false
		}
		if p.expect('.') {
			if frac, ok = p.fraction(); !ok {
				return 0, 0, false, false
			}
		}
	}
	secs = (h*60+m)*60 + s
	us = secs*usPerSec + frac
	if h > 24 || m > 59 || s > 60 || us > usPerDay {
		return 0, 0, true, false
	}
	return us, secs, true, true
}

// offset reads a UTC offset after optional spaces: Z, or a sign and hh,
// hh:mm, hh:mm:ss or hhmm. It returns seconds east of UTC; found is
// false when no offset follows.
func (p *dateTimeParser) offset() (off int64, found, ok, inRange bool) {
	save := p.pos
	p.spaces()
	if p.word("z") {
		return 0, true, true, true
	}
	sign := int64(1)
	switch p.peek() {
	case '+':
	case '-':
		sign = -1
	default:
		p.pos = save
		return 0, false, true, true
	}
	p.pos++
	h, n := p.digits()
	var m, s int64
	switch {
	case n == 4: // hhmm
		h, m = h/100, h%100
	case n == 1 || n == 2:
		if p.expect(':') {
			var c int
			if m, c = p.digits(); c != 2 {
				return 0, true, false, false
			}
			if p.expect(':') {
				if s, c = p.digits(); c != 2 {
					return 0, true, false, false
				}
			}
		}
	default:
		return 0, true, false, false
	}
	if h > maxTZDispHour || m > 59 || s > 59 {
		return 0, true, true, false
	}
	return sign * (h*3600 + m*60 + s), true, true, true
}

// dateTimeText is a date and time of day as read from text.
type dateTimeText struct {
	inf    InfinityModifier
	year   int64 // astronomical: 0 is 1 BC, -1 is 2 BC
	month  int64
	day    int64
	clock  int64 // microseconds since midnight, up to 24:00:00 inclusive
	secs   int64 // the clock's whole seconds as written, before rounding
	off    int64 // seconds east of UTC, when hasOff
	hasOff bool
}

// days is the date's day number counted from 2000-01-01.
func (v dateTimeText) days() int64 { return daysFromCivil(v.year, v.month, v.day) - pgEpochUnixDays }

// parseDateTimeText reads "[ws]y-m-d[(ws|T)h:mm[:ss[.f]][ws][offset]][ws BC|AD][ws]",
// "infinity" or "-infinity", the year with at least three digits (a
// shorter one the server reads in the DateStyle's field order). The fields
// are checked as the server checks them; the range of the result is the
// caller's to check, per type.
func parseDateTimeText(s, pgType string) (dateTimeText, error) {
	var v dateTimeText
	t := trimSpace(s)
	switch {
	case strings.EqualFold(t, "infinity"):
		v.inf = Infinity
		return v, nil
	case strings.EqualFold(t, "-infinity"):
		v.inf = NegativeInfinity
		return v, nil
	}
	syntax := func() (dateTimeText, error) {
		return dateTimeText{}, &DecodeError{PGType: pgType, Msg: "invalid input syntax " + quoteInput(s)}
	}
	fieldRange := func() (dateTimeText, error) {
		return dateTimeText{}, &DecodeError{PGType: pgType, Msg: "date/time field value out of range: " + quoteInput(s)}
	}
	p := dateTimeParser{s: t}
	y, n := p.digits()
	if n < 3 || !p.expect('-') {
		return syntax()
	}
	m, ok := p.field(2)
	if !ok || !p.expect('-') {
		return syntax()
	}
	d, ok := p.field(2)
	if !ok {
		return syntax()
	}
	inRange := true
	save := p.pos
	if p.expect('T') || p.expect('t') || (p.spaces() > 0 && p.peek() >= '0' && p.peek() <= '9') {
		var ok bool
		if v.clock, v.secs, ok, inRange = p.clock(); !ok {
			return syntax()
		}
		var found, offOK, offIn bool
		if v.off, found, offOK, offIn = p.offset(); !offOK {
			return syntax()
		}
		v.hasOff = found
		inRange = inRange && offIn
	} else {
		p.pos = save
	}
	bc := false
	if p.spaces() > 0 {
		if p.word("bc") {
			bc = true
		} else if !p.word("ad") && !p.eof() {
			return syntax()
		}
	}
	if !p.eof() {
		return syntax()
	}
	if y == 0 || !inRange {
		return fieldRange()
	}
	if bc {
		y = 1 - y
	}
	if m < 1 || m > 12 || d < 1 || d > int64(daysIn(y, m)) {
		return fieldRange()
	}
	// IS_VALID_JULIAN: year and month only, the day is checked per type.
	if y < -4713 || (y == -4713 && m < 11) || y > 5874898 || (y == 5874898 && m >= 6) {
		return dateTimeText{}, &RangeError{Value: s, PGType: pgType}
	}
	v.year, v.month, v.day = y, m, d
	return v, nil
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

var monthDays = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// daysIn is the number of days of month m of the astronomical year y.
func daysIn(y, m int64) int {
	if m == 2 && isLeap(y) {
		return 29
	}
	return monthDays[m]
}

// daysFromCivil is the number of days from 1970-01-01 to y-m-d of the
// proleptic Gregorian calendar (astronomical year), exactly for any year
// an int64 day count holds.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era, yoe := floorDivMod(y, 400)
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// timestampMicros is v as microseconds since 2000-01-01 (wall clock when
// off is 0), checked against timestamp's range as tm2timestamp does: the
// offset is applied first, then the range checked.
func (v dateTimeText) timestampMicros(off int64, s, pgType string) (int64, error) {
	days := v.days()
	// The range is about ±106 million days; an offset moves less than one.
	if days < minTimestampMicros/usPerDay-2 || days > endTimestampMicros/usPerDay+2 {
		return 0, &RangeError{Value: s, PGType: pgType}
	}
	us := days*usPerDay + v.clock - off*usPerSec
	if us < minTimestampMicros || us >= endTimestampMicros {
		return 0, &RangeError{Value: s, PGType: pgType}
	}
	return us, nil
}

// zoneOffset is the UTC offset (seconds east) PostgreSQL gives the wall
// clock wall (seconds since 1970-01-01 read as UTC) in loc, after
// DetermineTimeZoneOffsetInternal: a time skipped by a spring-forward
// transition takes the offset from before it, a time repeated by a
// fall-back transition the offset from after it.
func zoneOffset(loc *time.Location, wall int64) int64 {
	prev := time.Unix(wall-86400, 0).In(loc)
	_, before := prev.Zone()
	_, end := prev.ZoneBounds()
	if end.IsZero() {
		return int64(before)
	}
	boundary := end.Unix()
	_, after := end.In(loc).Zone()
	beforeT, afterT := wall-int64(before), wall-int64(after)
	switch {
	case beforeT < boundary && afterT < boundary:
		return int64(before)
	case beforeT >= boundary && afterT >= boundary:
		return int64(after)
	case beforeT > afterT: // spring forward: the wall clock was skipped
		return int64(before)
	}
	return int64(after)
}

// errNoZone is returned for a timestamptz text without an offset when
// the session's TimeZone is not known.
func errNoZone(s string, err error) error {
	msg := "timestamptz text " + quoteInput(s) + " has no UTC offset and the session TimeZone is not known here; add an offset such as +00 or Z"
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	return &DecodeError{PGType: "timestamptz", Msg: msg}
}

// daysSinceEpoch is the day number of y-m-d (Go's years: 0 is 1 BC)
// counted from 2000-01-01.
func daysSinceEpoch(y int, m time.Month, d int) int64 {
	return daysFromCivil(int64(y), int64(m), int64(d)) - pgEpochUnixDays
}
