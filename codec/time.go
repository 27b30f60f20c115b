package codec

import (
	"database/sql/driver"
	"encoding/binary"
	"fmt"
	"time"
)

// Time is a time of day without date or zone (PostgreSQL's time):
// microseconds since midnight, 0 to 24:00:00 inclusive.
type Time struct {
	Microseconds int64
}

// TimeOf returns the clock time of t in its own location.
func TimeOf(t time.Time) Time {
	h, m, s := t.Clock()
	return Time{Microseconds: (int64(h)*3600+int64(m)*60+int64(s))*usPerSec + int64(t.Nanosecond()/1000)}
}

// Duration is the time since midnight.
func (t Time) Duration() time.Duration { return time.Duration(t.Microseconds) * time.Microsecond }

// String renders "15:04:05.123456" (fraction trimmed, as PostgreSQL does).
func (t Time) String() string { return string(appendTimeOfDay(nil, t.Microseconds)) }

// Value implements driver.Valuer with the text form.
func (t Time) Value() (driver.Value, error) { return t.String(), nil }

func (Time) pgValue() {}

func appendTimeOfDay(dst []byte, us int64) []byte {
	s, frac := us/usPerSec, us%usPerSec
	return appendClock(dst, s/3600, s/60%60, s%60, frac)
}

// TimeTZ is a time of day with a UTC offset (PostgreSQL's timetz).
type TimeTZ struct {
	Microseconds int64 // since midnight
	Offset       int32 // seconds east of UTC, as time.Time.Zone returns
}

// TimeTZOf returns the clock time and offset of t.
func TimeTZOf(t time.Time) TimeTZ {
	_, off := t.Zone()
	return TimeTZ{Microseconds: TimeOf(t).Microseconds, Offset: int32(off)}
}

// Duration is the clock time as the time since midnight, in the value's
// own offset.
func (t TimeTZ) Duration() time.Duration { return time.Duration(t.Microseconds) * time.Microsecond }

// String renders "15:04:05.5+02" or "15:04:05-03:30".
func (t TimeTZ) String() string {
	return string(appendOffset(appendTimeOfDay(nil, t.Microseconds), int64(t.Offset)))
}

// Value implements driver.Valuer with the text form.
func (t TimeTZ) Value() (driver.Value, error) { return t.String(), nil }

func (TimeTZ) pgValue() {}

func toTimeMicros(v any) (int64, error) {
	var us int64
	switch x := v.(type) {
	case Time:
		us = x.Microseconds
	case time.Duration:
		return durationMicros(x, "time")
	case time.Time:
		us = TimeOf(x).Microseconds
	default:
		return 0, unsupportedEncode(v, "time", "use pg.Time, time.Duration (since midnight) or time.Time (its clock)")
	}
	if us < 0 || us > usPerDay {
		return 0, &RangeError{Value: time.Duration(us * 1000).String(), PGType: "time (0 to 24:00:00)"}
	}
	return us, nil
}

// durationMicros is d as a time of day in microseconds: 0 to 24:00:00.
func durationMicros(d time.Duration, pgType string) (int64, error) {
	us := int64(d / time.Microsecond)
	if us < 0 || us > usPerDay {
		return 0, &RangeError{Value: d.String(), PGType: pgType + " (0 to 24:00:00)"}
	}
	return us, nil
}

func toTimeTZ(v any) (TimeTZ, error) {
	switch x := v.(type) {
	case TimeTZ:
		return x, nil
	case time.Time:
		return TimeTZOf(x), nil
	case time.Duration:
		// A Duration carries no offset: it is a clock time at UTC.
		us, err := durationMicros(x, "timetz")
		return TimeTZ{Microseconds: us}, err
	}
	return TimeTZ{}, unsupportedEncode(v, "timetz", "use pg.TimeTZ, time.Time or time.Duration (since midnight, at UTC)")
}

// timetzDuration is the time since midnight of a +00 timetz; another
// offset would be lost in a Duration, so it is refused.
func timetzDuration(t TimeTZ) (time.Duration, error) {
	if t.Offset != 0 {
		return 0, fmt.Errorf("cannot scan timetz %s into time.Duration: only a +00 value has no offset to lose (scan into pg.TimeTZ)", t)
	}
	return t.Duration(), nil
}

// parseTimeText reads "h:mm[:ss[.f]][offset]" with surrounding spaces,
// checked as the server checks time and timetz input: up to 24:00:00, a
// 60th second carrying into the next minute, digits past the microsecond
// rounded. time ignores an offset as the server does; timetz requires one,
// because without it the server takes the session TimeZone's offset on the
// current date, which a text parser cannot know.
func parseTimeText(s string, withZone bool) (TimeTZ, error) {
	name := "time"
	if withZone {
		name = "timetz"
	}
	p := dateTimeParser{s: trimSpace(s)}
	us, _, ok, inRange := p.clock()
	var off int64
	found, offIn := false, true
	if ok {
		off, found, ok, offIn = p.offset()
	}
	if !ok || !p.eof() {
		return TimeTZ{}, &DecodeError{PGType: name, Msg: "invalid input syntax " + quoteInput(s)}
	}
	if !inRange || !offIn {
		return TimeTZ{}, &DecodeError{PGType: name, Msg: "date/time field value out of range: " + quoteInput(s)}
	}
	if withZone && !found {
		return TimeTZ{}, &DecodeError{PGType: name, Msg: "timetz text " + quoteInput(s) + " has no UTC offset, which the server would take from the session TimeZone; add an offset such as +00"}
	}
	if !withZone {
		off = 0
	}
	return TimeTZ{Microseconds: us, Offset: int32(off)}, nil
}

var timeType = &Type{
	OID:  TimeOID,
	Name: "time",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			us, err := toTimeMicros(v)
			if err != nil {
				return dst, err
			}
			return binary.BigEndian.AppendUint64(dst, uint64(us)), nil
		},
		Decode: func(src []byte) (any, error) {
			if len(src) != 8 {
				return nil, badLength("time", 8, len(src))
			}
			return Time{Microseconds: int64(binary.BigEndian.Uint64(src))}, nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			switch dst.(type) {
			case *Time, *time.Duration, *string:
			default:
				return false, nil
			}
			if len(src) != 8 {
				return true, badLength("time", 8, len(src))
			}
			us := int64(binary.BigEndian.Uint64(src))
			switch d := dst.(type) {
			case *Time:
				d.Microseconds = us
			case *time.Duration:
				*d = time.Duration(us) * time.Microsecond
			case *string:
				*d = Time{Microseconds: us}.String()
			}
			return true, nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			us, err := toTimeMicros(v)
			if err != nil {
				return dst, err
			}
			return appendTimeOfDay(dst, us), nil
		},
		Decode: func(src []byte) (any, error) {
			t, err := parseTimeText(string(src), false)
			if err != nil {
				return nil, err
			}
			return Time{Microseconds: t.Microseconds}, nil
		},
	},
}

// decodeTimeTZ parses timetz's binary form: microseconds since midnight,
// then the zone as seconds WEST of UTC (PostgreSQL's internal sign, hence
// the negation here and in the encoder).
func decodeTimeTZ(src []byte) (TimeTZ, error) {
	if len(src) != 12 {
		return TimeTZ{}, badLength("timetz", 12, len(src))
	}
	return TimeTZ{
		Microseconds: int64(binary.BigEndian.Uint64(src)),
		Offset:       -int32(binary.BigEndian.Uint32(src[8:])),
	}, nil
}

var timetzType = &Type{
	OID:  TimetzOID,
	Name: "timetz",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			t, err := toTimeTZ(v)
			if err != nil {
				return dst, err
			}
			dst = binary.BigEndian.AppendUint64(dst, uint64(t.Microseconds))
			return binary.BigEndian.AppendUint32(dst, uint32(-t.Offset)), nil
		},
		Decode: func(src []byte) (any, error) {
			t, err := decodeTimeTZ(src)
			if err != nil {
				return nil, err
			}
			return t, nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			d, ok := dst.(*time.Duration)
			if !ok {
				return false, nil
			}
			t, err := decodeTimeTZ(src)
			if err == nil {
				*d, err = timetzDuration(t)
			}
			return true, err
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			t, err := toTimeTZ(v)
			if err != nil {
				return dst, err
			}
			return appendOffset(appendTimeOfDay(dst, t.Microseconds), int64(t.Offset)), nil
		},
		Decode: func(src []byte) (any, error) { return parseTimeText(string(src), true) },
	},
}
