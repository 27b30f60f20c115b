package codec

import (
	"database/sql/driver"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
)

// DriverValue converts a decoded value (what Decode returns) into one of
// database/sql's driver.Value types: int64, float64, bool, []byte, string,
// time.Time or nil. It is what sql.Scanner implementations are handed, and
// what the database/sql adapter returns per column.
//
// Narrower integers and floats widen; this package's value types give their
// driver.Valuer form (Numeric and Interval their text, infinite dates
// "infinity"); other fmt.Stringers their String; a uint64 above MaxInt64
// (xid8) its decimal text; named []byte and string types (json.RawMessage)
// their underlying value. Anything else (arrays as []any, Records) is
// returned unchanged.
func DriverValue(v any) driver.Value {
	switch x := v.(type) {
	case nil, int64, float64, bool, []byte, string, time.Time:
		return v
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x > math.MaxInt64 {
			return strconv.FormatUint(x, 10)
		}
		return int64(x)
	case float32:
		return float64(x)
	case JSON:
		return []byte(x) // its text as bytes, as json.RawMessage was, not its String
	case driver.Valuer:
		if dv, err := x.Value(); err == nil {
			return dv
		}
	case fmt.Stringer:
		return x.String()
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int()
	case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return int64(rv.Uint())
	case reflect.String:
		return rv.String()
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return rv.Bytes()
		}
	}
	return v
}
