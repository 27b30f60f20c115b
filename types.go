package pg

import (
	"math/big"
	"time"

	"github.com/wirepg/pg/codec"
)

// The Go types of PostgreSQL values. They are defined in package codec
// (which cannot import pg) and named here so callers write pg.Numeric.
// See codec's documentation for every type's conversions.
type (
	// Numeric is an exact numeric with its display scale, NaN and ±Infinity.
	Numeric = codec.Numeric
	// UUID is a uuid: 16 bytes with String and ParseUUID.
	UUID = codec.UUID
	// Interval is an interval, lossless: months, days, microseconds.
	Interval = codec.Interval
	// Date is a date that may be ±infinity; finite dates also scan into
	// time.Time.
	Date = codec.Date
	// Timestamp is a timestamp or timestamptz that may be ±infinity.
	Timestamp = codec.Timestamp
	// InfinityModifier marks infinite dates and timestamps.
	InfinityModifier = codec.InfinityModifier
	// Time is a time of day (time), in microseconds since midnight.
	Time = codec.Time
	// TimeTZ is a time of day with a UTC offset (timetz).
	TimeTZ = codec.TimeTZ
	// Bits is a bit string (bit, varbit).
	Bits = codec.Bits
	// Money is money in its smallest unit (cents).
	Money = codec.Money
	// Point is a point.
	Point = codec.Point
	// Line is a line {A,B,C}.
	Line = codec.Line
	// LSeg is a line segment.
	LSeg = codec.LSeg
	// Box is a box.
	Box = codec.Box
	// Path is an open or closed path.
	Path = codec.Path
	// Polygon is a polygon.
	Polygon = codec.Polygon
	// Circle is a circle.
	Circle = codec.Circle
	// TID is a tuple identifier (ctid).
	TID = codec.TID
	// LSN is a write-ahead log position (pg_lsn).
	LSN = codec.LSN
	// JSON is a json or jsonb value's text, their default Go type; it
	// prints and marshals as JSON.
	JSON = codec.JSON
	// Snapshot is a pg_snapshot or txid_snapshot.
	Snapshot = codec.Snapshot
	// ArrayDimension is one dimension of an Array.
	ArrayDimension = codec.ArrayDimension
	// Columns are a row's field names.
	Columns = codec.Columns
	// OutdatedSchemaError reports a composite type altered after the
	// connection introspected it; the connection reloads its type cache
	// before the next call, so retrying works.
	OutdatedSchemaError = codec.OutdatedSchemaError
	// InfinityError reports an infinite date or timestamp scanned into a
	// time.Time.
	InfinityError = codec.InfinityError
	// NullError reports SQL NULL scanned into a Go type that cannot hold it.
	NullError = codec.NullError
	// UnmappedColumnError reports a column no struct field takes.
	UnmappedColumnError = codec.UnmappedColumnError
	// RangeError reports a value outside what the PostgreSQL or Go type
	// can hold: an argument out of range for its column type, a result
	// too large for the destination, a numeric beyond PostgreSQL's range.
	RangeError = codec.RangeError
)

// Range is a value of a range type: bounds, inclusivity, unbounded sides
// and Empty.
type Range[T any] = codec.Range[T]

// Array is an array of any dimensions with its lower bounds kept.
type Array[T any] = codec.Array[T]

// Null is a T that may be SQL NULL (Valid false).
type Null[T any] = codec.Null[T]

// Infinity modifiers for Date and Timestamp.
const (
	NegativeInfinity = codec.NegativeInfinity
	Finite           = codec.Finite
	Infinity         = codec.Infinity
)

// ParseNumeric reads numeric's text form, keeping the scale.
func ParseNumeric(s string) (Numeric, error) { return codec.ParseNumeric(s) }

// NumericFromInt64 returns n as a Numeric of scale 0.
func NumericFromInt64(n int64) Numeric { return codec.NumericFromInt64(n) }

// NumericFromBigInt returns i as a Numeric of scale 0.
func NumericFromBigInt(i *big.Int) Numeric { return codec.NumericFromBigInt(i) }

// NumericFromBigRat returns r exactly; a fraction with no finite decimal
// form is an error.
func NumericFromBigRat(r *big.Rat) (Numeric, error) { return codec.NumericFromBigRat(r) }

// NumericFromBigFloat returns f's exact decimal value.
func NumericFromBigFloat(f *big.Float) (Numeric, error) { return codec.NumericFromBigFloat(f) }

// NumericFromFloat64 returns the shortest decimal that reads back as f.
func NumericFromFloat64(f float64) Numeric { return codec.NumericFromFloat64(f) }

// NumericNaN returns numeric NaN.
func NumericNaN() Numeric { return codec.NumericNaN() }

// NumericInf returns numeric +Infinity (sign >= 0) or -Infinity.
func NumericInf(sign int) Numeric { return codec.NumericInf(sign) }

// ParseUUID reads a UUID in any form PostgreSQL accepts.
func ParseUUID(s string) (UUID, error) { return codec.ParseUUID(s) }

// ParseInterval reads interval's text form (IntervalStyle postgres).
func ParseInterval(s string) (Interval, error) { return codec.ParseInterval(s) }

// IntervalOf returns d as an Interval of microseconds.
func IntervalOf(d time.Duration) Interval { return codec.IntervalOf(d) }

// TimeOf returns t's clock time as a Time.
func TimeOf(t time.Time) Time { return codec.TimeOf(t) }

// TimeTZOf returns t's clock time and offset as a TimeTZ.
func TimeTZOf(t time.Time) TimeTZ { return codec.TimeTZOf(t) }

// ParseBits reads a string of 0s and 1s.
func ParseBits(s string) (Bits, error) { return codec.ParseBits(s) }

// ParseLSN reads pg_lsn's text form ("16/B374D848").
func ParseLSN(s string) (LSN, error) { return codec.ParseLSN(s) }

// NullOf returns a valid Null holding v.
func NullOf[T any](v T) Null[T] { return codec.NullOf(v) }
