package pg_test

import (
	"database/sql"
	"encoding/json"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// decimalString is a caller's decimal type that only has String.
type decimalString struct{ s string }

func (d decimalString) String() string { return d.s }

// The Go types each PostgreSQL type also encodes from and decodes into,
// beyond the defaults the round-trip tables use.
func TestTypesConversions(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	text := func(sql string, arg any) string {
		t.Helper()
		var s string
		require.NoError(t, c.QueryRow(ctx, sql, arg).Scan(&s), sql)
		return s
	}

	// Integers from any Go integer type, with range checks.
	for _, v := range []any{int8(-5), uint8(5), int(7), uint16(9), uint32(11), uint64(13), uint(15)} {
		assert.NotEmpty(t, text("SELECT $1::int2::text", v))
	}
	assert.Equal(t, "4294967295", text("SELECT $1::oid::text", uint32(4294967295)))
	assert.Equal(t, "18446744073709551615", text("SELECT $1::xid8::text", uint64(18446744073709551615)))
	var i64 int64
	var u16 uint16
	require.NoError(t, c.QueryRow(ctx, "SELECT 300::int2, 60000::int4").Scan(&i64, &u16))
	assert.Equal(t, int64(300), i64)
	assert.Equal(t, uint16(60000), u16)

	// numeric from and to string, big.Int, big.Rat, big.Float, float64, int64
	// and Stringer decimals.
	bi, _ := new(big.Int).SetString("-123456789012345678901234567890", 10)
	assert.Equal(t, "-123456789012345678901234567890", text("SELECT $1::numeric::text", bi))
	assert.Equal(t, "0.75", text("SELECT $1::numeric::text", big.NewRat(3, 4)))
	assert.Equal(t, "2.5", text("SELECT $1::numeric::text", big.NewFloat(2.5)))
	assert.Equal(t, "0.1", text("SELECT $1::numeric::text", 0.1))
	assert.Equal(t, "-42", text("SELECT $1::numeric::text", int64(-42)))
	assert.Equal(t, "12.3400", text("SELECT $1::numeric::text", decimalString{"12.3400"}))
	assert.Equal(t, "1.50", text("SELECT $1::numeric::text", "1.50"))
	assert.Equal(t, "NaN", text("SELECT $1::numeric::text", pg.NumericNaN()))
	_, err := c.Exec(ctx, "SELECT $1::numeric", big.NewRat(1, 3))
	require.Error(t, err, "1/3 has no finite decimal form")
	var (
		ns   string
		nf   float64
		ni   int64
		nbi  big.Int
		nrat big.Rat
		nbf  big.Float
	)
	require.NoError(t, c.QueryRow(ctx, "SELECT 12.50::numeric, 12.5::numeric, 12::numeric, 12::numeric, 12.5::numeric, 12.5::numeric").Scan(&ns, &nf, &ni, &nbi, &nrat, &nbf))
	assert.Equal(t, "12.50", ns)
	assert.Equal(t, 12.5, nf)
	assert.Equal(t, int64(12), ni)
	assert.Equal(t, "12", nbi.String())
	assert.Equal(t, "25/2", nrat.String())
	f, _ := nbf.Float64()
	assert.Equal(t, 12.5, f)
	err = c.QueryRow(ctx, "SELECT 12.5::numeric AS x").Scan(&ni)
	require.Error(t, err, "a fraction into int64 is not silently truncated")

	// uuid from [16]byte, string and pg.UUID; into [16]byte and string.
	u := mustUUID("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
	assert.Equal(t, u.String(), text("SELECT $1::uuid::text", [16]byte(u)))
	assert.Equal(t, u.String(), text("SELECT $1::uuid::text", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11"))
	var ub [16]byte
	var us string
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::uuid, $1::uuid", u).Scan(&ub, &us))
	assert.Equal(t, [16]byte(u), ub)
	assert.Equal(t, u.String(), us)

	// json and jsonb into and from structs and maps via encoding/json.
	type doc struct {
		A int      `json:"a"`
		B []string `json:"b"`
	}
	var d doc
	var m map[string]any
	var raw []byte
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::jsonb, $1::json, $1::jsonb`, doc{A: 1, B: []string{"x"}}).Scan(&d, &m, &raw))
	assert.Equal(t, doc{A: 1, B: []string{"x"}}, d)
	assert.Equal(t, map[string]any{"a": 1.0, "b": []any{"x"}}, m)
	assert.JSONEq(t, `{"a":1,"b":["x"]}`, string(raw))
	assert.Equal(t, `{"k": [1, 2]}`, text("SELECT $1::jsonb::text", map[string]any{"k": []int{1, 2}}))
	assert.Equal(t, `[1, 2]`, text("SELECT $1::jsonb::text", json.RawMessage(`[1,2]`)))

	// time and timetz from time.Duration and time.Time; into time.Duration.
	assert.Equal(t, "01:02:03.5", text("SELECT $1::time::text", time.Hour+2*time.Minute+3500*time.Millisecond))
	assert.Equal(t, "13:14:15", text("SELECT $1::time::text", time.Date(2000, 1, 1, 13, 14, 15, 0, time.UTC)))
	assert.Equal(t, "13:14:15+02", text("SELECT $1::timetz::text", time.Date(2000, 1, 1, 13, 14, 15, 0, time.FixedZone("", 7200))))
	var dur time.Duration
	require.NoError(t, c.QueryRow(ctx, "SELECT '10:00:01'::time").Scan(&dur))
	assert.Equal(t, 10*time.Hour+time.Second, dur)

	// interval to time.Duration only without months.
	require.NoError(t, c.QueryRow(ctx, "SELECT '1 day 02:00:00.000001'::interval").Scan(&dur))
	assert.Equal(t, 26*time.Hour+time.Microsecond, dur)
	err = c.QueryRow(ctx, "SELECT '1 month'::interval AS iv").Scan(&dur)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "month")
	assert.Equal(t, "-00:00:01.5", text("SELECT $1::interval::text", -1500*time.Millisecond))

	// timestamp(tz) from time.Time in any location; date from time.Time.
	loc := time.FixedZone("X", -5*3600)
	assert.Equal(t, "2020-06-01 17:00:00+00", text("SELECT $1::timestamptz::text", time.Date(2020, 6, 1, 12, 0, 0, 0, loc)))
	assert.Equal(t, "2020-06-01 12:00:00", text("SELECT $1::timestamp::text", time.Date(2020, 6, 1, 12, 0, 0, 0, loc)))
	assert.Equal(t, "2020-06-01", text("SELECT $1::date::text", time.Date(2020, 6, 1, 23, 0, 0, 0, loc)))
	assert.Equal(t, "infinity", text("SELECT $1::timestamptz::text", pg.Timestamp{InfinityModifier: pg.Infinity}))
	assert.Equal(t, "-infinity", text("SELECT $1::date::text", pg.Date{InfinityModifier: pg.NegativeInfinity}))
	_, err = c.Exec(ctx, "SELECT $1::timestamp", time.Date(300000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Error(t, err, "beyond timestamp's range")
	assert.Contains(t, err.Error(), "$1")
	var pd pg.Date
	require.NoError(t, c.QueryRow(ctx, "SELECT '2020-01-01'::date").Scan(&pd))
	assert.Equal(t, pg.Date{Time: date(2020, 1, 1)}, pd)

	// inet and cidr from netip.Addr, netip.Prefix, net.IP and *net.IPNet;
	// into netip.Addr, net.IP and *net.IPNet.
	assert.Equal(t, "10.1.2.3/32", text("SELECT $1::inet::text", netip.MustParseAddr("10.1.2.3")))
	assert.Equal(t, "10.1.0.0/16", text("SELECT $1::cidr::text", netip.MustParsePrefix("10.1.0.0/16")))
	assert.Equal(t, "::1/128", text("SELECT $1::inet::text", net.ParseIP("::1")))
	_, ipnet, _ := net.ParseCIDR("192.168.0.0/24")
	assert.Equal(t, "192.168.0.0/24", text("SELECT $1::cidr::text", ipnet))
	var addr netip.Addr
	var ip net.IP
	require.NoError(t, c.QueryRow(ctx, "SELECT '10.9.8.7'::inet, '10.9.8.7'::inet").Scan(&addr, &ip))
	assert.Equal(t, netip.MustParseAddr("10.9.8.7"), addr)
	assert.True(t, ip.Equal(net.ParseIP("10.9.8.7")))

	// float4 refuses values it would turn into infinity; named float types.
	_, err = c.Exec(ctx, "SELECT $1::float4", 1e300)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "out of range for float4")
	type celsius float64
	var cel celsius
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::float8", celsius(-40.5)).Scan(&cel))
	assert.Equal(t, celsius(-40.5), cel)
	// macaddr8 from a 48-bit address, as the server converts it.
	assert.Equal(t, "01:02:03:ff:fe:04:05:06", text("SELECT $1::macaddr8::text", net.HardwareAddr{1, 2, 3, 4, 5, 6}))

	// money from int64 cents; macaddr from string; bits from string.
	assert.Equal(t, "$1.23", text("SELECT $1::money::text", pg.Money(123)))
	assert.Equal(t, "08:00:2b:01:02:03", text("SELECT $1::macaddr::text", "08-00-2b-01-02-03"))
	assert.Equal(t, "1010", text("SELECT $1::varbit::text", mustBits("1010")))
	var lsn pg.LSN
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::pg_lsn", pg.LSN(0x16B374D848)).Scan(&lsn))
	assert.Equal(t, "16/B374D848", lsn.String())

	// void decodes as nil.
	var v any = "x"
	require.NoError(t, c.QueryRow(ctx, "SELECT pg_sleep(0)").Scan(&v))
	assert.Nil(t, v)

	// sql.Scanner destinations and driver.Valuer arguments.
	var nI sql.NullInt64
	var nS sql.NullString
	var nT sql.NullTime
	var nF sql.NullFloat64
	require.NoError(t, c.QueryRow(ctx, "SELECT 5::int4, NULL::text, '2020-01-01'::timestamptz, 1.5::numeric").Scan(&nI, &nS, &nT, &nF))
	assert.Equal(t, sql.NullInt64{Int64: 5, Valid: true}, nI)
	assert.False(t, nS.Valid)
	assert.True(t, nT.Time.Equal(date(2020, 1, 1)))
	assert.Equal(t, 1.5, nF.Float64)
	assert.Equal(t, "7", text("SELECT $1::int8::text", sql.NullInt64{Int64: 7, Valid: true}))
	var isNull bool
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::text IS NULL", sql.NullString{}).Scan(&isNull))
	assert.True(t, isNull)

	// Pointers and Null[T] arguments: nil and invalid are NULL.
	var nilp *int32
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int4 IS NULL", nilp).Scan(&isNull))
	assert.True(t, isNull)
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int4 IS NULL", pg.Null[int32]{}).Scan(&isNull))
	assert.True(t, isNull)
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::bytea IS NULL, $2::bytea IS NULL", []byte(nil), []byte{}).Scan(&isNull, &v))
	assert.True(t, isNull, "a nil []byte is NULL")
	assert.Equal(t, false, v, "an empty []byte is not")

	// Named types over supported kinds.
	type userID int64
	type label string
	var id userID
	var lb label
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::int8, $2::text", userID(9), label("l")).Scan(&id, &lb))
	assert.Equal(t, userID(9), id)
	assert.Equal(t, label("l"), lb)

	// "char" as byte.
	var ch byte
	require.NoError(t, c.QueryRow(ctx, `SELECT $1::"char"`, byte('q')).Scan(&ch))
	assert.Equal(t, byte('q'), ch)

	// Any type's text form can be sent as a Go string.
	assert.Equal(t, "[1,3)", text("SELECT $1::int4range::text", "[1,2]"))
	assert.True(t, strings.HasPrefix(text("SELECT $1::tsvector::text", "b a"), "'a'"))
}

// timestamptz can be presented in a location or the session's TimeZone.
func TestSetTimestamptzLocation(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const q = "SELECT '2020-01-01 12:00:00+00'::timestamptz, ARRAY['2020-01-01 12:00:00+00'::timestamptz]"
	var ts time.Time
	var arr []time.Time
	require.NoError(t, c.QueryRow(ctx, q).Scan(&ts, &arr))
	assert.Equal(t, time.UTC, ts.Location())

	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	require.NoError(t, c.SetTimestamptzLocation(ny))
	require.NoError(t, c.QueryRow(ctx, q).Scan(&ts, &arr))
	assert.Equal(t, ny, ts.Location())
	assert.Equal(t, 7, ts.Hour())
	assert.Equal(t, ny, arr[0].Location())

	require.NoError(t, c.SetTimestamptzLocation(nil))
	_, err = c.Exec(ctx, "SET TimeZone = 'Asia/Tokyo'")
	require.NoError(t, err)
	require.NoError(t, c.QueryRow(ctx, q).Scan(&ts, &arr))
	assert.Equal(t, "Asia/Tokyo", ts.Location().String())
	assert.Equal(t, 21, ts.Hour())
	assert.True(t, ts.Equal(time.Date(2020, 1, 1, 12, 0, 0, 0, time.UTC)))
}

// countingJSON counts its calls, standing for a faster JSON library.
type countingJSON struct{ marshal, unmarshal *int }

func (j countingJSON) Marshal(v any) ([]byte, error) { *j.marshal++; return json.Marshal(v) }
func (j countingJSON) Unmarshal(data []byte, v any) error {
	*j.unmarshal++
	return json.Unmarshal(data, v)
}

func TestSetJSONCodec(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var m, u int
	require.NoError(t, c.SetJSONCodec(countingJSON{&m, &u}))
	var out map[string]int
	require.NoError(t, c.QueryRow(ctx, "SELECT $1::jsonb", map[string]int{"a": 1}).Scan(&out))
	assert.Equal(t, map[string]int{"a": 1}, out)
	assert.Equal(t, 1, m)
	assert.Equal(t, 1, u)
	var arr []map[string]int
	require.NoError(t, c.QueryRow(ctx, `SELECT '[{"a":2}]'::json, ARRAY['{"b":3}'::json]`).Scan(nil, &arr))
	assert.Equal(t, []map[string]int{{"b": 3}}, arr)
	assert.Equal(t, 2, u, "arrays of json use the codec too")
}
