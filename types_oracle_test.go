package pg_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// The server as oracle for random values: each batch goes out as one
// array parameter and comes back both decoded (binary) and as the server's
// text per element, which must equal the Go value's own rendering.
func TestTypesRandomOracle(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rng := rand.New(rand.NewPCG(4, 2026))
	const n = 500

	t.Run("numeric", func(t *testing.T) {
		in := make([]pg.Numeric, n)
		for i := range in {
			in[i] = randomNumeric(rng)
		}
		var out []pg.Numeric
		var text []string
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::numeric[], $1::numeric[]::text[]", in).Scan(&out, &text))
		require.Len(t, out, n)
		for i := range in {
			assert.Equal(t, in[i].String(), text[i], "the server's text for the value sent")
			assert.Equal(t, text[i], out[i].String(), "binary decode against the server's text")
		}
		// The server's own arithmetic results (scales it picks) decode too.
		rows, err := c.Query(ctx, "SELECT x, x::text FROM (SELECT (random() * 10 ^ (random() * 60 - 30))::numeric * (CASE WHEN random() < .5 THEN -1 ELSE 1 END) AS x FROM generate_series(1, $1::int)) s", n)
		require.NoError(t, err)
		defer rows.Close()
		for rows.Next() {
			var v pg.Numeric
			var s string
			require.NoError(t, rows.Scan(&v, &s))
			assert.Equal(t, s, v.String())
		}
		require.NoError(t, rows.Err())
	})

	t.Run("float8", func(t *testing.T) {
		in := make([]float64, n)
		for i := range in {
			in[i] = math.Float64frombits(rng.Uint64())
		}
		var out []float64
		var text []string
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::float8[], $1::float8[]::text[]", in).Scan(&out, &text))
		for i := range in {
			f, err := strconv.ParseFloat(strings.Replace(text[i], "Infinity", "Inf", 1), 64)
			require.NoError(t, err, text[i])
			if math.IsNaN(in[i]) {
				assert.True(t, math.IsNaN(out[i]) && math.IsNaN(f))
				continue
			}
			assert.Equal(t, math.Float64bits(in[i]), math.Float64bits(out[i]))
			assert.Equal(t, math.Float64bits(in[i]), math.Float64bits(f), "server text %s", text[i])
		}
	})

	t.Run("interval", func(t *testing.T) {
		in := make([]pg.Interval, n)
		for i := range in {
			in[i] = pg.Interval{
				Months:       int32(rng.IntN(2000) - 1000),
				Days:         int32(rng.IntN(20000) - 10000),
				Microseconds: rng.Int64N(2e12) - 1e12,
			}
			switch i % 5 {
			case 0:
				in[i].Months = 0
			case 1:
				in[i].Microseconds = rng.Int64N(1e6) * 1000
			}
		}
		var out []pg.Interval
		var text []string
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::interval[], $1::interval[]::text[]", in).Scan(&out, &text))
		assert.Equal(t, in, out)
		for i := range in {
			assert.Equal(t, text[i], in[i].String())
			back, err := pg.ParseInterval(text[i])
			require.NoError(t, err, text[i])
			assert.Equal(t, in[i], back)
		}
	})

	t.Run("date and timestamptz", func(t *testing.T) {
		dates := make([]pg.Date, n)
		stamps := make([]time.Time, n)
		for i := range dates {
			// From 4713 BC to 9999 AD.
			dates[i] = pg.Date{Time: time.Date(-4712, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(5370000))}
			stamps[i] = time.Unix(rng.Int64N(2e11)-1e11, rng.Int64N(1e6)*1000).UTC()
		}
		var outD []pg.Date
		var textD []string
		var outT []time.Time
		var epochs []pg.Numeric
		require.NoError(t, c.QueryRow(ctx, "SELECT $1::date[], $1::date[]::text[], $2::timestamptz[], ARRAY(SELECT extract(epoch FROM x) FROM unnest($2::timestamptz[]) x)", dates, stamps).Scan(&outD, &textD, &outT, &epochs))
		assert.Equal(t, dates, outD)
		for i := range dates {
			assert.Equal(t, textD[i], dates[i].String())
			assert.True(t, stamps[i].Equal(outT[i]), "%v vs %v", stamps[i], outT[i])
			r, err := epochs[i].Rat()
			require.NoError(t, err)
			want := new(big.Rat).SetFrac64(stamps[i].UnixMicro(), 1e6)
			assert.Equal(t, want.String(), r.String(), "the server's epoch for %v", stamps[i])
		}
	})
}

// randomNumeric is a numeric of up to 60 digits with a random scale, or
// now and then a special value or a zero with a scale.
func randomNumeric(rng *rand.Rand) pg.Numeric {
	switch rng.IntN(40) {
	case 0:
		return pg.NumericNaN()
	case 1:
		return pg.NumericInf(1)
	case 2:
		return pg.NumericInf(-1)
	case 3:
		return mustNumeric("0." + strings.Repeat("0", rng.IntN(20)))
	}
	digits := make([]byte, 1+rng.IntN(60))
	for i := range digits {
		digits[i] = byte('0' + rng.IntN(10))
	}
	s := string(digits)
	if scale := rng.IntN(len(s) + 10); scale > 0 {
		if scale >= len(s) {
			s = strings.Repeat("0", scale-len(s)+1) + s
		}
		s = s[:len(s)-scale] + "." + s[len(s)-scale:]
	}
	if rng.IntN(2) == 0 {
		s = "-" + s
	}
	return mustNumeric(s)
}
