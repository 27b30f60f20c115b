package pg_test

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// CopyFromQuery's arguments mean exactly what the bound parameter would
// have, whatever the session's output settings: extra_float_digits <= 0
// rounds float text, a non-ISO DateStyle writes timestamptz with a zone
// abbreviation that may read back as another zone (IST is India's to
// Asia/Kolkata but Israel's to the input parser), and IntervalStyle and
// bytea_output change those types' text. Each argument is compared, by its
// binary send function, with the same argument bound as a parameter.
func TestCopyFromQueryArgsExact(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	kolkata, err := time.LoadLocation("Asia/Kolkata")
	require.NoError(t, err)
	args := []struct {
		typ, send string
		val       any
	}{
		{"float8", "float8send", 0.1},
		{"float8", "float8send", 1.0 / 3},
		{"float8", "float8send", math.MaxFloat64},
		{"float8", "float8send", math.SmallestNonzeroFloat64},
		{"float8", "float8send", -math.SmallestNonzeroFloat64 * 3},
		{"float8", "float8send", math.Copysign(0, -1)},
		{"float8", "float8send", math.Inf(-1)},
		{"float8", "float8send", 2.2250738585072014e-308},
		{"float4", "float4send", float32(0.1)},
		{"float4", "float4send", float32(1.0 / 3)},
		{"float4", "float4send", float32(math.MaxFloat32)},
		{"float4", "float4send", float32(math.SmallestNonzeroFloat32)},
		{"float4", "float4send", float32(math.Copysign(0, -1))},
		{"float8[]", "array_send", []float64{0.1, 1.0 / 3, math.SmallestNonzeroFloat64}},
		{"point", "point_send", pg.Point{X: 0.1, Y: 1.0 / 3}},
		{"timestamptz", "timestamptz_send", time.Date(2026, 12, 7, 15, 30, 0, 123456000, kolkata)},
		{"timestamptz", "timestamptz_send", time.Date(1850, 6, 1, 12, 0, 0, 0, time.UTC)},
		{"timestamptz", "timestamptz_send", time.Date(-44, 3, 15, 12, 0, 0, 0, time.UTC)},
		{"timestamp", "timestamp_send", time.Date(2010, 11, 12, 1, 2, 3, 4000, time.UTC)},
		{"date", "date_send", time.Date(2010, 11, 12, 0, 0, 0, 0, time.UTC)},
		{"interval", "interval_send", pg.Interval{Months: 14, Days: -3, Microseconds: 14706789000}},
		{"interval", "interval_send", pg.Interval{Months: -1, Days: 1, Microseconds: -1}},
		{"interval", "interval_send", pg.Interval{Days: -1, Microseconds: 7200000000}},
		{"bytea", "byteasend", []byte("\x00\\'\xff\n")},
	}
	settings := []string{
		"SET extra_float_digits = -3",
		"SET extra_float_digits = 0",
		"SET DateStyle = 'Postgres, MDY'; SET TimeZone = 'Asia/Kolkata'",
		"SET DateStyle = 'SQL, DMY'; SET TimeZone = 'Asia/Kolkata'",
		"SET DateStyle = 'German'; SET TimeZone = 'Pacific/Chatham'",
		"SET IntervalStyle = sql_standard",
		"SET IntervalStyle = postgres_verbose",
		"SET IntervalStyle = iso_8601",
		"SET bytea_output = escape",
		"SET standard_conforming_strings = off",
	}
	var sql, want strings.Builder
	sql.WriteString("SELECT ")
	vals := make([]any, len(args))
	for i, a := range args {
		if i > 0 {
			sql.WriteString(", ")
		}
		sql.WriteString("encode(pg_catalog." + a.send + "($" + strconv.Itoa(i+1) + "::" + a.typ + "), 'hex')")
		vals[i] = a.val
	}
	for _, inTx := range []bool{false, true} {
		for _, set := range settings {
			name := set
			if inTx {
				name = "tx/" + set
			}
			t.Run(name, func(t *testing.T) {
				c := connect(t)
				// The oracle: the arguments bound as binary parameters.
				rec, err := c.FetchRow(ctx, sql.String(), vals...)
				require.NoError(t, err)
				want.Reset()
				for i := range args {
					if i > 0 {
						want.WriteByte('\t')
					}
					want.WriteString(rec.Values()[i].(string))
				}
				want.WriteByte('\n')

				_, err = c.Exec(ctx, set)
				require.NoError(t, err)
				before, err := c.Fetch(ctx, "SELECT name, setting FROM pg_settings ORDER BY name")
				require.NoError(t, err)
				var tx *pg.Tx
				if inTx {
					tx, err = c.Begin(ctx, pg.TxOptions{})
					require.NoError(t, err)
				}
				var out bytes.Buffer
				n, err := c.CopyFromQuery(ctx, sql.String(), &out, pg.CopyOptions{}, vals...)
				require.NoError(t, err)
				assert.EqualValues(t, 1, n)
				got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\t")
				exp := strings.Split(strings.TrimSuffix(want.String(), "\n"), "\t")
				for i := range args {
					assert.Equal(t, exp[i], got[i], "$%d %s %v", i+1, args[i].typ, args[i].val)
				}
				if inTx {
					// The transaction is intact and still usable.
					assert.True(t, c.InTransaction())
					var one int
					require.NoError(t, tx.QueryRow(ctx, "SELECT 1").Scan(&one))
					require.NoError(t, tx.Commit(ctx))
				}
				// The session's settings are as they were.
				after, err := c.Fetch(ctx, "SELECT name, setting FROM pg_settings ORDER BY name")
				require.NoError(t, err)
				require.Equal(t, len(before), len(after))
				for i := range before {
					assert.Equal(t, before[i].Values(), after[i].Values())
				}
			})
		}
	}
}
