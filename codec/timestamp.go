package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"math"
	"time"
)

// Timestamp is a timestamp or timestamptz that may be infinite. Finite
// values decode as time.Time; 'infinity' and '-infinity' decode as a
// Timestamp with InfinityModifier set. Scan into *Timestamp to accept both.
type Timestamp struct {
	Time             time.Time
	InfinityModifier InfinityModifier
}

// String renders the value as PostgreSQL's ISO form for timestamptz with
// the time's own offset: "2024-02-29 13:45:00.5+01", or "infinity".
func (ts Timestamp) String() string {
	if ts.InfinityModifier != Finite {
		return ts.InfinityModifier.String()
	}
	return string(appendTimestampText(nil, ts.Time, true))
}

// Value implements driver.Valuer: a time.Time, or the text "infinity".
func (ts Timestamp) Value() (driver.Value, error) {
	if ts.InfinityModifier != Finite {
		return ts.InfinityModifier.String(), nil
	}
	return ts.Time, nil
}

// Scan implements sql.Scanner for time.Time and the text form: a text
// with a UTC offset is a timestamptz, presented in that offset; one
// without is a timestamp, its wall clock in UTC (Scan cannot know the
// session's TimeZone). Texts the server would refuse are errors.
func (ts *Timestamp) Scan(src any) error {
	switch x := src.(type) {
	case time.Time:
		*ts = Timestamp{Time: x}
		return nil
	case string, []byte:
		s, _ := x.(string)
		if b, ok := x.([]byte); ok {
			s = string(b)
		}
		return ts.parse(s)
	case Timestamp:
		*ts = x
		return nil
	case nil:
		return &NullError{GoType: "pg.Timestamp", PGType: "timestamp"}
	}
	return fmt.Errorf("cannot scan %T into pg.Timestamp", src)
}

func (Timestamp) pgValue() {}

// parse reads a timestamptz text with an offset, presented in that
// offset, or a timestamp text without one: its wall clock in UTC, as a
// timestamp value decodes.
func (ts *Timestamp) parse(s string) error {
	v, err := parseDateTimeText(s, "timestamp")
	if err != nil {
		return err
	}
	if v.inf != Finite {
		*ts = Timestamp{InfinityModifier: v.inf}
		return nil
	}
	name := "timestamp"
	if v.hasOff {
		name = "timestamptz"
	}
	us, err := v.timestampMicros(v.off, s, name)
	if err != nil {
		return err
	}
	t := timeFromPGMicros(us)
	if v.off != 0 {
		t = t.In(time.FixedZone("", int(v.off)))
	}
	*ts = Timestamp{Time: t}
	return nil
}

// parseTimestampText reads timestamp (withZone false) or timestamptz text
// and returns microseconds since 2000-01-01: the wall clock for timestamp,
// whose input ignores an offset as the server's does; the instant for
// timestamptz, whose text without an offset is read in zone, the
// session's TimeZone (refused when zone is nil or fails).
func parseTimestampText(s string, withZone bool, zone func() (*time.Location, error)) (int64, InfinityModifier, error) {
	name := "timestamp"
	if withZone {
		name = "timestamptz"
	}
	v, err := parseDateTimeText(s, name)
	if err != nil || v.inf != Finite {
		return 0, v.inf, err
	}
	var off int64
	if withZone {
		if v.hasOff {
			off = v.off
		} else {
			if zone == nil {
				return 0, Finite, errNoZone(s, nil)
			}
			loc, err := zone()
			if err != nil || loc == nil {
				return 0, Finite, errNoZone(s, err)
			}
			if days := v.days(); days > minTimestampMicros/usPerDay-2 && days < endTimestampMicros/usPerDay+2 {
				off = zoneOffset(loc, (days+pgEpochUnixDays)*86400+v.secs)
			}
		}
	}
	us, err := v.timestampMicros(off, s, name)
	return us, Finite, err
}

// appendTimestampText writes t as PostgreSQL's ISO form, with its UTC
// offset when withZone (timestamptz), and "BC" for years before 1 AD.
func appendTimestampText(dst []byte, t time.Time, withZone bool) []byte {
	y, m, d := t.Date()
	dst, bc := appendDate(dst, y, m, d)
	dst = append(dst, ' ')
	h, mi, s := t.Clock()
	dst = appendClock(dst, int64(h), int64(mi), int64(s), int64(t.Nanosecond()/1000))
	if withZone {
		_, off := t.Zone()
		dst = appendOffset(dst, int64(off))
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// toTimestampMicros converts the Go values a timestamp parameter accepts.
// For timestamp (withZone false) the time's wall clock is sent as is; for
// timestamptz the instant. Sub-microsecond digits are truncated.
func toTimestampMicros(v any, withZone bool, pgType string) (int64, error) {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case Timestamp:
		switch x.InfinityModifier {
		case Infinity:
			return math.MaxInt64, nil
		case NegativeInfinity:
			return math.MinInt64, nil
		}
		t = x.Time
	case Date:
		switch x.InfinityModifier {
		case Infinity:
			return math.MaxInt64, nil
		case NegativeInfinity:
			return math.MinInt64, nil
		}
		t = x.Time
	default:
		return 0, unsupportedEncode(v, pgType, "use time.Time or pg.Timestamp")
	}
	sec := t.Unix()
	if !withZone {
		_, off := t.Zone()
		sec += int64(off)
	}
	// Both bounds are whole seconds, so checking the seconds checks the
	// microseconds, and no multiplication below can overflow.
	s := sec - pgEpochUnix
	if s < minTimestampMicros/usPerSec || s >= endTimestampMicros/usPerSec {
		return 0, outOfPGRange(t, pgType)
	}
	return s*usPerSec + int64(t.Nanosecond())/1000, nil
}

// PostgreSQL's timestamp range (MIN_TIMESTAMP and END_TIMESTAMP in
// src/include/datatype/timestamp.h): 4714-11-24 BC to the end of
// 294276 AD, in microseconds since 2000-01-01.
const (
	minTimestampMicros = -211813488000000000
	endTimestampMicros = 9223371331200000000
)

// outOfPGRange is the error for a time inside Go's range but outside
// PostgreSQL's, spelled as the server would print the date.
func outOfPGRange(t time.Time, pgType string) error {
	y, m, d := t.Date()
	b, bc := appendDate(nil, y, m, d)
	if bc {
		b = append(b, " BC"...)
	}
	return &RangeError{Value: string(b), PGType: pgType}
}

var timestampType = newTimestampType(TimestampOID, "timestamp", false, nil, nil)

// newTimestamptzType builds timestamptz decoding into loc (UTC when loc is
// nil or returns nil). loc is called per value, so it can follow the
// session's TimeZone.
func newTimestamptzType(loc func() *time.Location) *Type {
	return newTimestampType(TimestamptzOID, "timestamptz", true, loc, nil)
}

// NewTimestamptzType returns a timestamptz type whose values decode in the
// location loc returns (called per value; nil means UTC). Register it to
// change how a connection presents instants. Its text input refuses a
// value without a UTC offset, which the server would read in the
// session's TimeZone; NewSessionTimestamptzType knows that zone.
func NewTimestamptzType(loc func() *time.Location) *Type { return newTimestamptzType(loc) }

// NewSessionTimestamptzType is NewTimestamptzType for a connection whose
// TimeZone setting zone returns: a timestamptz text without a UTC offset
// (a string loaded with CopyRecordsToTable, an element of an array's
// text) is read in that zone as the server reads it, a wall clock skipped
// or repeated by a daylight-saving change taking the offset from before
// or after the change respectively. When zone returns an error such text
// is refused, never read in UTC.
func NewSessionTimestamptzType(loc func() *time.Location, zone func() (*time.Location, error)) *Type {
	return newTimestampType(TimestamptzOID, "timestamptz", true, loc, zone)
}

func newTimestampType(oid uint32, name string, withZone bool, loc func() *time.Location, zone func() (*time.Location, error)) *Type {
	toTime := func(us int64) (time.Time, InfinityModifier) {
		switch us {
		case math.MaxInt64:
			return time.Time{}, Infinity
		case math.MinInt64:
			return time.Time{}, NegativeInfinity
		}
		t := timeFromPGMicros(us)
		if loc != nil {
			if l := loc(); l != nil {
				t = t.In(l)
			}
		}
		return t, Finite
	}
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				us, err := toTimestampMicros(v, withZone, name)
				if err != nil {
					return dst, err
				}
				return binary.BigEndian.AppendUint64(dst, uint64(us)), nil
			},
			Decode: func(src []byte) (any, error) {
				if len(src) != 8 {
					return nil, badLength(name, 8, len(src))
				}
				t, inf := toTime(int64(binary.BigEndian.Uint64(src)))
				if inf != Finite {
					return Timestamp{InfinityModifier: inf}, nil
				}
				return t, nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				switch dst.(type) {
				case *time.Time, *Timestamp, *string:
				default:
					return false, nil
				}
				if len(src) != 8 {
					return true, badLength(name, 8, len(src))
				}
				t, inf := toTime(int64(binary.BigEndian.Uint64(src)))
				switch d := dst.(type) {
				case *time.Time:
					if inf != Finite {
						return true, &InfinityError{PGType: name, Modifier: inf}
					}
					*d = t
				case *Timestamp:
					*d = Timestamp{Time: t, InfinityModifier: inf}
				case *string:
					if inf != Finite {
						*d = inf.String()
					} else {
						*d = string(appendTimestampText(nil, t, withZone))
					}
				}
				return true, nil
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				us, err := toTimestampMicros(v, withZone, name)
				if err != nil {
					return dst, err
				}
				switch us {
				case math.MaxInt64:
					return append(dst, "infinity"...), nil
				case math.MinInt64:
					return append(dst, "-infinity"...), nil
				}
				return appendTimestampText(dst, timeFromPGMicros(us), withZone), nil
			},
			Decode: func(src []byte) (any, error) {
				us, inf, err := parseTimestampText(string(src), withZone, zone)
				if err != nil {
					return nil, err
				}
				if inf != Finite {
					return Timestamp{InfinityModifier: inf}, nil
				}
				t, _ := toTime(us)
				return t, nil
			},
		},
	}
}
