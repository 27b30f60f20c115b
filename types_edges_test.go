package pg_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// requireUsable checks that c still answers a query.
func requireUsable(t *testing.T, c *pg.Conn) {
	t.Helper()
	var n int32
	require.NoError(t, c.QueryRow(ctxT(t), "SELECT 1").Scan(&n), "the connection is still usable")
	assert.Equal(t, int32(1), n)
}

// Dates and timestamps beyond PostgreSQL's range (4713 BC to 5874897 AD,
// and to 294276 AD) but inside Go's are refused with an error naming the
// argument, and the connection stays usable.
func TestTypesDateOutOfRange(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	for _, tc := range []struct {
		typ string
		v   time.Time
	}{
		{"date", time.Date(5874898, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"date", time.Date(-4713, 11, 23, 0, 0, 0, 0, time.UTC)}, // 4714-11-23 BC, the day before the first
		{"date", time.Date(20000000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"timestamp", time.Date(294277, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"timestamptz", time.Date(-4713, 11, 23, 0, 0, 0, 0, time.UTC)},
	} {
		t.Run(fmt.Sprintf("%s/%d", tc.typ, tc.v.Year()), func(t *testing.T) {
			_, err := c.Exec(ctx, "SELECT $1::"+tc.typ, tc.v)
			require.Error(t, err)
			requireUsable(t, c)
			assert.Contains(t, err.Error(), "$1", "refused client-side, naming the argument")
			var pe *pg.PgError
			assert.False(t, errors.As(err, &pe), "not sent to the server: %v", err)
			assert.Contains(t, err.Error(), "out of range")
		})
	}
	// The first and last days themselves are fine.
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::date::text", time.Date(5874897, 12, 31, 0, 0, 0, 0, time.UTC)).Scan(&s))
	assert.Equal(t, "5874897-12-31", s)
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::date::text", time.Date(-4713, 11, 24, 0, 0, 0, 0, time.UTC)).Scan(&s))
	assert.Equal(t, "4714-11-24 BC", s)
}

// text and varchar (and the other string types) scan into []byte, also as
// array elements, and take []byte arguments.
func TestTypesTextAsBytes(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var txt, vc, bp, nm []byte
	require.NoError(t, c.QueryRow(ctx, "SELECT 'héllo ✓'::text, 'abc'::varchar(5), 'ab'::char(4), 'pg_class'::name").Scan(&txt, &vc, &bp, &nm))
	assert.Equal(t, []byte("héllo ✓"), txt)
	assert.Equal(t, []byte("abc"), vc)
	assert.Equal(t, []byte("ab  "), bp)
	assert.Equal(t, []byte("pg_class"), nm)

	var empty []byte
	require.NoError(t, c.QueryRow(ctx, "SELECT ''::text").Scan(&empty))
	assert.NotNil(t, empty, "an empty text is not NULL")
	assert.Empty(t, empty)
	var null []byte = []byte("x")
	require.NoError(t, c.QueryRow(ctx, "SELECT NULL::varchar").Scan(&null))
	assert.Nil(t, null)

	var arr [][]byte
	require.NoError(t, c.QueryRow(ctx, "SELECT ARRAY['a', NULL, '']::varchar[]").Scan(&arr))
	assert.Equal(t, [][]byte{[]byte("a"), nil, {}}, arr)

	var s1, s2 string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::text, $2::varchar(3)", []byte("é"), []byte("xyz")).Scan(&s1, &s2))
	assert.Equal(t, "é", s1)
	assert.Equal(t, "xyz", s2)
	var isNull bool
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::text IS NULL", []byte(nil)).Scan(&isNull))
	assert.True(t, isNull)
	// Bytes that are not UTF-8 are the server's error, not a silent change.
	_, err := c.Exec(ctx, "SELECT $1::text", []byte{0xff, 0xfe})
	var pe *pg.PgError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "22021", pe.Code)
	requireUsable(t, c)
}

// timetz to and from time.Duration (since midnight; a Duration carries no
// offset, so it is sent as +00 and only a +00 value converts back).
func TestTypesTimeTZDuration(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const d = time.Hour + 2*time.Minute + 3500*time.Millisecond
	var s string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::timetz::text", d).Scan(&s))
	assert.Equal(t, "01:02:03.5+00", s)
	var got time.Duration
	require.NoError(t, c.QueryRow(ctx, "SELECT '01:02:03.5+00'::timetz").Scan(&got))
	assert.Equal(t, d, got)
	var arr []time.Duration
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::timetz[]", []time.Duration{0, d}).Scan(&arr))
	assert.Equal(t, []time.Duration{0, d}, arr)
}

// Pointers are followed and a nil one is NULL, for every Go type of the
// scalar table: as $1 and as an array element.
func TestTypesPointerArguments(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	seen := map[string]bool{}
	for _, tc := range scalarCases() {
		gt := reflect.TypeOf(tc.want)
		if seen[tc.typ+" "+gt.String()] || tc.noRoundTrip {
			continue
		}
		seen[tc.typ+" "+gt.String()] = true
		t.Run(tc.typ+"/"+gt.String(), func(t *testing.T) {
			p := reflect.New(gt)
			p.Elem().Set(reflect.ValueOf(tc.want))
			nilp := reflect.Zero(p.Type()).Interface()
			var isNull bool
			require.NoError(t, c.QueryRow(ctx, "SELECT $1::"+tc.typ+" IS NULL", nilp).Scan(&isNull))
			assert.True(t, isNull, "a nil pointer is NULL")
			got := reflect.New(gt)
			require.NoError(t, c.QueryRow(ctx, "SELECT $1::"+tc.typ, p.Interface()).Scan(got.Interface()))
			assertSameValue(t, tc.want, got.Elem().Interface(), "through a pointer")
			var text string
			arr := reflect.MakeSlice(reflect.SliceOf(p.Type()), 1, 1).Interface()
			require.NoError(t, c.QueryRow(ctx, "SELECT $1::"+tc.typ+"[]::text", arr).Scan(&text))
			assert.Equal(t, "{NULL}", text, "a nil pointer element is NULL")
		})
	}
}

// A JSON null is a value, not SQL NULL: scanned into a pointer to a raw
// destination it stays the text "null".
func TestTypesJSONNullIntoPointer(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var (
		raw *json.RawMessage
		b   *[]byte
		s   *string
	)
	require.NoError(t, c.QueryRow(ctx, "SELECT 'null'::jsonb, 'null'::json, 'null'::jsonb").Scan(&raw, &b, &s))
	require.NotNil(t, raw)
	require.NotNil(t, b)
	require.NotNil(t, s)
	assert.Equal(t, json.RawMessage("null"), *raw)
	assert.Equal(t, []byte("null"), *b)
	assert.Equal(t, "null", *s)
	require.NoError(t, c.QueryRow(ctx, "SELECT NULL::jsonb, NULL::json, NULL::jsonb").Scan(&raw, &b, &s))
	assert.Nil(t, raw)
	assert.Nil(t, b)
	assert.Nil(t, s)
}

// ParseNumeric accepts exactly the numeric literals the server does at
// the edges of its range (131,072 digits before the point, 16,383 after),
// so a value too large to exist is refused at once instead of being
// expanded to digits.
func TestTypesNumericRangeMatchesServer(t *testing.T) {
	c := connect(t)
	ctx := ctxT(t)
	for _, s := range []string{"1e-16383", "1e-16384", "1.5e-16383", "0.0e-16383", "0.0e-16384",
		"9e131071", "1e131072", "-9.9e131071", "12e131071", "0e999999", "0e1073741822", "0E2122036854", "0e-5", "0.0e-20000", "1e31031000", "1e-2000000000", "1e99999999999999999999"} {
		_, parseErr := pg.ParseNumeric(s)
		var out string
		serverErr := c.QueryRow(ctx, "SELECT $1::text::numeric::text", s).Scan(&out)
		if serverErr != nil {
			requirePgError(t, serverErr, "22003")
			var re *pg.RangeError
			assert.ErrorAs(t, parseErr, &re, "%s: the server refuses it", s)
			continue
		}
		require.NoError(t, parseErr, "%s: the server accepts it", s)
		n, err := pg.FetchVal[pg.Numeric](ctx, c, "SELECT $1::numeric", s)
		require.NoError(t, err)
		assert.Equal(t, out, n.String(), s)
	}
	requireUsable(t, c)

	two := big.NewFloat(2)
	for _, tc := range []struct {
		exp int
		ok  bool
	}{{435000, true}, {435500, false}, {-16383, true}, {-16384, false}} {
		f := new(big.Float).SetMantExp(two, tc.exp-1) // 2^exp
		n, err := pg.NumericFromBigFloat(f)
		if !tc.ok {
			var re *pg.RangeError
			assert.ErrorAs(t, err, &re, "2^%d", tc.exp)
			continue
		}
		require.NoError(t, err, "2^%d", tc.exp)
		back, err := pg.FetchVal[pg.Numeric](ctx, c, "SELECT $1::numeric", n)
		require.NoError(t, err, "2^%d", tc.exp)
		assert.True(t, n.Equal(back), "2^%d round-trips", tc.exp)
	}
}
