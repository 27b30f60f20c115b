package pg_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
)

// tryCastSQL defines a function that casts text to the type of its second
// argument and returns NULL where the server refuses the text: the server
// as oracle for the driver's own text parsers.
const tryCastSQL = `CREATE FUNCTION pg_temp.try_cast(v text, t anyelement) RETURNS anyelement LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT $1::%s', pg_typeof(t)) INTO t USING v;
	RETURN t;
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$`

// oracleInput is a text and whether the driver must read it: core inputs
// are in the ISO forms the driver's parsers implement, so where the server
// accepts one the driver must too; mutated inputs only must not be read
// differently from the server (accepted with another value, or accepted
// where the server refuses).
type oracleInput struct {
	s    string
	core bool
}

// TestDateTimeTextOracle compares the driver's text parsers for date,
// timestamp, timestamptz, time, timetz, interval, inet and cidr with the
// server's input functions, on edge cases and seeded random texts.
func TestDateTimeTextOracle(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, tryCastSQL)
	require.NoError(t, err)
	rng := rand.New(rand.NewPCG(19, 2026))
	const n = 1000 // random core inputs per type; as many mutations again

	// serverValues returns the server's value per input (invalid: refused)
	// and its text output.
	serverValues := func(t *testing.T, typ string, in []oracleInput) ([]pg.Null[string], []any) {
		texts := make([]string, len(in))
		for i := range in {
			texts[i] = in[i].s
		}
		rows, err := c.Query(ctx, fmt.Sprintf("SELECT pg_temp.try_cast(x, NULL::%[1]s), pg_temp.try_cast(x, NULL::%[1]s)::text FROM unnest($1::text[]) WITH ORDINALITY u(x, i) ORDER BY i", typ), texts)
		require.NoError(t, err)
		defer rows.Close()
		var out []any
		var outText []pg.Null[string]
		for rows.Next() {
			var txt pg.Null[string]
			var v any
			switch typ {
			case "date":
				var d pg.Null[pg.Date]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			case "timestamp", "timestamptz":
				var d pg.Null[pg.Timestamp]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			case "time":
				var d pg.Null[pg.Time]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			case "timetz":
				var d pg.Null[pg.TimeTZ]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			case "interval":
				var d pg.Null[pg.Interval]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			case "inet", "cidr":
				var d pg.Null[netip.Prefix]
				require.NoError(t, rows.Scan(&d, &txt))
				if d.Valid {
					v = d.V
				}
			}
			out = append(out, v)
			outText = append(outText, txt)
		}
		require.NoError(t, rows.Err())
		require.Len(t, out, len(in))
		return outText, out
	}

	// same reports whether the driver's value d equals the server's s.
	same := func(d, s any) bool {
		switch sv := s.(type) {
		case pg.Date:
			switch dv := d.(type) {
			case time.Time:
				return sv.InfinityModifier == pg.Finite && dv.Equal(sv.Time)
			case pg.Date:
				return dv.InfinityModifier == sv.InfinityModifier && dv.Time.Equal(sv.Time)
			}
		case pg.Timestamp:
			switch dv := d.(type) {
			case time.Time:
				return sv.InfinityModifier == pg.Finite && dv.Equal(sv.Time)
			case pg.Timestamp:
				return dv.InfinityModifier == sv.InfinityModifier && dv.Time.Equal(sv.Time)
			}
		}
		return d == s
	}

	// render is the driver's text for the value where it has the server's
	// (ISO, IntervalStyle postgres) rendering; "" where it has not.
	render := func(v any) string {
		switch v.(type) {
		case pg.Date, pg.Time, pg.TimeTZ, pg.Interval:
			return v.(fmt.Stringer).String()
		}
		return ""
	}
	compared, gaps := 0, 0
	check := func(t *testing.T, typ string, in []oracleInput, parse func(string) (any, error)) {
		txt, want := serverValues(t, typ, in)
		for i, x := range in {
			compared++
			got, err := parse(x.s)
			switch {
			case want[i] == nil:
				assert.Error(t, err, "%s %q: the server refuses it, the driver read %v", typ, x.s, got)
			case err != nil && x.core:
				assert.NoError(t, err, "%s %q: the server reads %s", typ, x.s, txt[i].V)
			case err != nil:
				gaps++ // a spelling the driver does not read; refused, not misread
			default:
				assert.True(t, same(got, want[i]), "%s %q: the driver read %v, the server %s (%v)", typ, x.s, got, txt[i].V, want[i])
				if r := render(got); r != "" {
					assert.Equal(t, txt[i].V, r, "%s %q: the driver's rendering of its value", typ, x.s)
				}
			}
		}
	}
	decoder := func(oid uint32) func(string) (any, error) {
		typ := codec.Default().Lookup(oid)
		return func(s string) (any, error) { return typ.Text.Decode([]byte(s)) }
	}
	withMutations := func(core []oracleInput) []oracleInput {
		out := core
		for i := 0; i < n; i++ {
			out = append(out, oracleInput{s: mutate(rng, core[rng.IntN(len(core))].s)})
		}
		return out
	}

	t.Run("date", func(t *testing.T) {
		in := edgeInputs(dateEdges)
		for i := 0; i < n; i++ {
			in = append(in, oracleInput{s: randomDateTimeText(rng, rng.IntN(3) == 0, rng.IntN(4) == 0), core: true})
		}
		in = withMutations(in)
		decode := decoder(codec.DateOID)
		check(t, "date", in, func(s string) (any, error) {
			v, err := decode(s)
			if d, ok := v.(time.Time); ok {
				v = pg.Date{Time: d}
			}
			return v, err
		})
		// Date's sql.Scanner reads the same.
		check(t, "date", in[:len(in)/4], func(s string) (any, error) {
			var d pg.Date
			err := d.Scan(s)
			return d, err
		})
	})
	t.Run("timestamp", func(t *testing.T) {
		in := edgeInputs(timestampEdges)
		for i := 0; i < n; i++ {
			in = append(in, oracleInput{s: randomDateTimeText(rng, rng.IntN(5) != 0, rng.IntN(4) == 0), core: true})
		}
		check(t, "timestamp", withMutations(in), decoder(codec.TimestampOID))
	})
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Kolkata"} {
		t.Run("timestamptz "+zone, func(t *testing.T) {
			_, err := c.Exec(ctx, "SET TimeZone TO '"+zone+"'")
			require.NoError(t, err)
			loc, err := time.LoadLocation(zone)
			require.NoError(t, err)
			typ := codec.NewSessionTimestamptzType(nil, func() (*time.Location, error) { return loc, nil })
			in := edgeInputs(timestampEdges)
			for i := 0; i < n; i++ {
				in = append(in, oracleInput{s: randomDateTimeText(rng, rng.IntN(5) != 0, rng.IntN(2) == 0), core: true})
			}
			check(t, "timestamptz", withMutations(in), func(s string) (any, error) { return typ.Text.Decode([]byte(s)) })
		})
	}
	t.Run("time", func(t *testing.T) {
		in := edgeInputs(timeEdges)
		for i := 0; i < n; i++ {
			in = append(in, oracleInput{s: randomTimeText(rng, rng.IntN(4) == 0), core: true})
		}
		check(t, "time", withMutations(in), decoder(codec.TimeOID))
	})
	t.Run("timetz", func(t *testing.T) {
		in := edgeInputs(timeEdges)
		for i := range in {
			in[i].core = false // without an offset the driver refuses: the session's offset today
		}
		for i := 0; i < n; i++ {
			in = append(in, oracleInput{s: randomTimeText(rng, true), core: true})
		}
		check(t, "timetz", withMutations(in), decoder(codec.TimetzOID))
	})
	t.Run("interval", func(t *testing.T) {
		in := edgeInputs(intervalEdges)
		for i := 0; i < n; i++ {
			in = append(in, oracleInput{s: randomIntervalText(rng), core: true})
		}
		in = withMutations(in)
		check(t, "interval", in, decoder(codec.IntervalOID))
		check(t, "interval", in[:len(in)/4], func(s string) (any, error) {
			var iv pg.Interval
			err := iv.Scan(s)
			return iv, err
		})
	})
	for _, typ := range []string{"inet", "cidr"} {
		t.Run(typ, func(t *testing.T) {
			in := edgeInputs(inetEdges)
			for i := 0; i < n; i++ {
				in = append(in, oracleInput{s: randomInetText(rng, typ == "cidr"), core: true})
			}
			oid := codec.InetOID
			if typ == "cidr" {
				oid = codec.CIDROID
			}
			check(t, typ, withMutations(in), decoder(oid))
		})
	}
	t.Logf("%d texts compared with the server; %d the server reads in spellings the driver refuses", compared, gaps)
}

// edgeInputs marks the hand-picked inputs: those before the "|" are core.
func edgeInputs(edges []string) []oracleInput {
	var out []oracleInput
	core := true
	for _, e := range edges {
		if e == "|" {
			core = false
			continue
		}
		out = append(out, oracleInput{s: e, core: core})
	}
	return out
}

var dateEdges = []string{
	"2024-02-29", "2024-02-30", "2023-02-29", "1900-02-29", "2000-02-29", "0001-02-29 BC", "0005-02-29 BC",
	"0000-01-01", "0000-01-01 BC", "0001-01-01", "0001-12-31 BC", "5874897-12-31", "5874898-01-01",
	"5874898-05-31", "4714-11-24 BC", "4714-11-23 BC", "4714-10-31 BC", "4713-01-01 BC", "294276-12-31",
	"294277-01-01", "0044-03-15 BC", "0044-03-15 bc", "2024-01-01 AD", "999-01-01", "100-12-31",
	" 2024-01-01 ", "\t2024-01-01\n", "2024-1-1", "2024-01-01 23:59:60", "2024-01-01 24:00",
	"2024-01-01 24:00:01", "2024-01-01 23:59:60.5", "2024-01-01 12:00+05", "2024-01-01 12:00+16",
	"2024-01-01T12:00:00Z", "2024-01-01 12:00 BC", "infinity", "-infinity", " Infinity ", "+infinity",
	"2024-13-01", "2024-00-10", "2024-01-32", "2024-01-00", "02024-01-01", "", " ",
	"|", "24-01-01", "1-1-1", "2024-001-01", "2024-01-001", "20240101", "Jan 1 2024", "2024-01-01BC",
	"2024-01-01 BC 12:00", "J2451545", "epoch", "today", "2024-01-01 -infinity",
}

var timestampEdges = []string{
	"2024-01-01 00:00:00.9999996", "2024-01-01 00:00:00.9999995", "2024-01-01 00:00:00.0000005",
	"2024-01-01 00:00:00.0000015", "2024-01-01 00:00:00.0000025", "2024-01-01 00:00:00.5000005",
	"2024-01-01 23:59:59.9999996", "2024-01-01 12:30:60", "2024-12-31 23:59:60", "2024-12-31 23:59:60.5",
	"2024-01-01 24:00:00", "2024-01-01 24:00:00.0000004", "2024-01-01 24:00:00.0000005", "2024-01-01 24:00:01",
	"2024-01-01 12:60", "2024-01-01 25:00", "2024-01-01 12:00:00.", "2024-01-01T12:00", "2024-01-01t12:00",
	"2024-01-01 1:2:3", "2024-01-01  12:00", "294276-12-31 23:59:59.999999", "294276-12-31 23:59:59.9999995",
	"294277-01-01", "294276-12-31 23:59:59-01", "294276-12-31 23:59:59+01", "294277-01-01 00:30+01",
	"4714-11-24 00:00 BC", "4714-11-23 23:59:59.999999 BC", "4714-11-24 00:00:00+01 BC",
	"4714-11-24 00:00:00-01 BC", "4714-11-23 23:00:00-01 BC", "4714-11-24 04:00 BC", "4714-11-24 05:00 BC",
	"5874897-12-31", "2024-03-10 02:30", "2024-03-10 01:59:59", "2024-03-10 03:00", "2024-11-03 01:30",
	"2024-11-03 00:59:59", "2024-11-03 02:00", "1800-01-01", "1883-11-18 12:03:57", "1970-01-01 00:00",
	"2024-01-01 12:00+05", "2024-01-01 12:00 -05", "2024-01-01 12:00+05:30", "2024-01-01 12:00+0530",
	"2024-01-01 12:00:00+05:30:15", "2024-01-01 12:00+15:59:59", "2024-01-01 12:00-15:59:59",
	"2024-01-01 12:00+16", "2024-01-01 12:00+05:60", "2024-01-01 12:00+05:30:60", "2024-01-01 12:00z",
	"2024-01-01 12:00 Z", "2024-01-01 12:00+053015", "infinity", "-infinity", "2024-01-01 12:00:00.123456789",
	"2024-02-30 12:00", "2024-01-01 12:00 BC", "2024-01-01 12:00+05 BC", "2038-01-19 03:14:08",
	"|", "2024-01-01 12", "2024-01-01 12:00+5", "2024-01-01 12:00+053", "2024-01-01 12:00+05:3",
	"2024-01-01 12:00 + 05", "2024-01-01 001:02:03", "2024-01-01 12:00 EST", "2024-01-01 12:00 America/New_York",
	"2024-01-01 12:00 UTC", "2024-01-01 12:00:00.1e3", "2024-01-01 allballs",
}

var timeEdges = []string{
	"24:00", "24:00:00", "24:00:00.0000004", "24:00:00.0000005", "24:00:01", "23:59:60", "23:59:60.5",
	"12:30:60.9999999", "23:59:59.9999996", " 12:00 ", "12:00+05", "12:00 Z", "12:00:00.", "1:2:3",
	"12:00:00+16", "12:00:00.0000015", "12:00+05:30", "12:00:00+15:59:59", "12:00 -05", "12:00z",
	"23:59:60+01", "12:00+05:30:15", "12:00+053015", "12:00+05:30:60", "00:00", "12:60", "25:00", "12",
	"",
	"|", "allballs", "12:00 AM", "12.30", "123000", "2024-01-01 12:00", "12:00 BC", "12:00 PST",
	"12:00+5", "04:05:06.789-8",
}

var intervalEdges = []string{
	"1 day 1 day", "1 hour 01:00:00", "01:00:00 02:00:00", "00:00:60", "00:00:61", "00:60:00",
	"100:00:00", "1:2", "1.5 days", "1.5 mons", "1.5 years", "0.5 sec", "1.0000005 sec",
	"00:00:00.0000005", "00:00:00.0000015", "2562047788 hours", "2562047789 hours", "9223372036854 sec",
	"-00:00:00.5", "+1 day", "1 day ago", "@ 1 day", "@ 1 day ago", "1 days -01:00:00", "1 mon 1 month",
	"1e3 days", "1 day 2 hours 3 minutes 4 seconds", "3 mins", "1 hr", "2147483647 days",
	"2147483648 days", "178956970 years", "178956971 years", "2147483647 mons", "-2147483648 days",
	"", " ", "00:00:00", "-0 days", "1 day -1 day", "1 week", "5 secs 6 secs", "5 sec 1 min",
	"1 week 1 day", "1 w", "5 ms 01:00:00", "01:00:00 5 ms", "1 milliseconds", "1 microseconds",
	"1.5 weeks", "0.0000005 days", "0.5 us", "1.5 us", "2.5 us", "-1.5 us", "1 DAY", "1 Day ago",
	"-0.5 days", "1. days", "0.1 years", "0.05 years", "0.04166666666666666 years", "1 day -1 hour",
	"1 y 2 mon", "-2147483648 days ago", "9223372036854775807 us", "9223372036854775808 us",
	"-9223372036854775808 us", "2562047788:00:54.775807", "2562047788:00:54.775808",
	"-2562047788:00:54.775808", "1:60", "1:2:60", "1:2:60.5", "01:02:03:04", "01:00:00 1.5 days",
	"1.5 days 01:00:00", "-01:00:00 1.5 days", "1.5 mons 01:00:00", "1.5 weeks -01:00", "Inf days",
	"NaN secs", "0x10 days", "1.5 sec 5 ms", "1 sec 5 ms", "-1 years -2 mons +3 days -04:05:06.5",
	"178956970 years 7 mons", "178956970 years 8 mons", "-178956970 years -8 mons",
	"|", "1 day ago ago", ".5 days", "1 day @", "@1 day", "1:2.5", "5", "1 day 5", "1day", "P1Y2M", "1-2", "1 decade",
	"1 century", "1 millennium", "1 microsecon", "1 millisecon",
}

var inetEdges = []string{
	"fe80::1%eth0", "fe80::1%eth0/64", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/33", "10.1.2.3/8", "10.0.0.0/8",
	"::ffff:1.2.3.4", "::FFFF:1.2.3.4/120", "1.2.3.4/", "::/0", "0.0.0.0/0", "1.2.3.4/+8",
	"1:2:3:4:5:6:7:8:9", "::1.2.3.4", "2001:db8::1/64", "2001:db8::/64", "1.2.3.4/32", "255.255.255.255",
	"256.1.1.1", "::", "::1/128", "1.2.3.4/-1", "",
	"|", "1.2.3", "010.1.2.3", "1.2.3.4/08", "10/8", "10.1/16", "1.2.3.4/ 8",
}

// randomDateTimeText is a date, with a time of day when withTime, and an
// offset now and then when withOffset, in the ISO forms, mostly valid.
func randomDateTimeText(rng *rand.Rand, withTime, withOffset bool) string {
	var b strings.Builder
	if rng.IntN(20) == 0 {
		b.WriteString([]string{" ", "  ", "\t"}[rng.IntN(3)])
	}
	if rng.IntN(60) == 0 {
		b.WriteString([]string{"infinity", "-infinity", "INFINITY"}[rng.IntN(3)])
		return b.String()
	}
	var y int
	switch rng.IntN(10) {
	case 0:
		y = []int{1, 99, 100, 999, 4713, 4714, 4715, 294276, 294277, 5874897, 5874898}[rng.IntN(11)]
	case 1:
		y = rng.IntN(6000000)
	case 2:
		y = rng.IntN(300000)
	default:
		y = 1 + rng.IntN(2500)
	}
	width := 4
	if rng.IntN(10) == 0 {
		width = 3 + rng.IntN(4)
	}
	ys := strconv.Itoa(y)
	for len(ys) < width {
		ys = "0" + ys
	}
	if len(ys) < 3 {
		ys = "0" + ys
	}
	m := 1 + rng.IntN(12)
	d := 1 + rng.IntN(31)
	if rng.IntN(15) == 0 {
		m = rng.IntN(14)
	}
	if rng.IntN(15) == 0 {
		d = rng.IntN(33)
	}
	fmt.Fprintf(&b, "%s-%s-%s", ys, pad(m, rng), pad(d, rng))
	if withTime {
		b.WriteString([]string{" ", "T", " ", "  "}[rng.IntN(4)])
		b.WriteString(randomClock(rng))
		if withOffset {
			b.WriteString(randomOffset(rng))
		}
	}
	if rng.IntN(8) == 0 {
		b.WriteString([]string{" BC", " bc", " AD"}[rng.IntN(3)])
	}
	if rng.IntN(20) == 0 {
		b.WriteString(" ")
	}
	return b.String()
}

// pad writes n with two digits, or now and then with one.
func pad(n int, rng *rand.Rand) string {
	if n < 10 && rng.IntN(8) == 0 {
		return strconv.Itoa(n)
	}
	return fmt.Sprintf("%02d", n)
}

func randomClock(rng *rand.Rand) string {
	h, m, s := rng.IntN(24), rng.IntN(60), rng.IntN(60)
	switch rng.IntN(12) {
	case 0:
		h = 24
	case 1:
		s = 60
	case 2:
		h, m, s = 23, 59, 59+rng.IntN(2)
	case 3:
		m = 55 + rng.IntN(7)
		h = 20 + rng.IntN(6)
	}
	out := pad(h, rng) + ":" + fmt.Sprintf("%02d", m)
	if rng.IntN(6) == 0 {
		return out
	}
	out += ":" + fmt.Sprintf("%02d", s)
	if rng.IntN(2) == 0 {
		digits := 1 + rng.IntN(10)
		var f strings.Builder
		for i := 0; i < digits; i++ {
			switch rng.IntN(5) {
			case 0:
				f.WriteByte('9')
			case 1:
				f.WriteByte('0')
			case 2:
				f.WriteByte('5')
			default:
				f.WriteByte(byte('0' + rng.IntN(10)))
			}
		}
		out += "." + f.String()
	}
	return out
}

func randomOffset(rng *rand.Rand) string {
	if rng.IntN(10) == 0 {
		return []string{"Z", "z", " Z"}[rng.IntN(3)]
	}
	sign := []string{"+", "-", " +", " -"}[rng.IntN(4)]
	h := rng.IntN(17)
	m := []int{0, 30, 45, rng.IntN(61)}[rng.IntN(4)]
	switch rng.IntN(4) {
	case 0:
		return fmt.Sprintf("%s%02d", sign, h)
	case 1:
		return fmt.Sprintf("%s%02d%02d", sign, h, m)
	case 2:
		return fmt.Sprintf("%s%02d:%02d:%02d", sign, h, m, rng.IntN(61))
	}
	return fmt.Sprintf("%s%02d:%02d", sign, h, m)
}

func randomTimeText(rng *rand.Rand, withOffset bool) string {
	s := randomClock(rng)
	if withOffset {
		s += randomOffset(rng)
	}
	if rng.IntN(20) == 0 {
		s = " " + s + " "
	}
	return s
}

var intervalUnitNames = []string{"year", "years", "y", "yr", "mon", "mons", "month", "week", "weeks", "w",
	"day", "days", "d", "hour", "hours", "h", "hr", "min", "mins", "minute", "m", "sec", "secs", "second",
	"s", "ms", "msec", "millisecond", "milliseconds", "us", "usec", "microsecond", "microseconds", "Day", "YEARS"}

func randomIntervalText(rng *rand.Rand) string {
	var parts []string
	if rng.IntN(10) == 0 {
		parts = append(parts, "@")
	}
	k := 1 + rng.IntN(4)
	for i := 0; i < k; i++ {
		if rng.IntN(4) == 0 {
			sign := []string{"", "", "-", "+"}[rng.IntN(4)]
			h := []int{rng.IntN(24), rng.IntN(1000), rng.IntN(3000000000)}[rng.IntN(3)]
			tok := fmt.Sprintf("%s%02d:%02d", sign, h, rng.IntN(61))
			if rng.IntN(3) != 0 {
				tok += fmt.Sprintf(":%02d", rng.IntN(61))
				if rng.IntN(2) == 0 {
					tok += "." + strconv.Itoa(rng.IntN(10000000))
				}
			}
			parts = append(parts, tok)
			continue
		}
		var num string
		switch rng.IntN(6) {
		case 0:
			num = strconv.FormatInt(rng.Int64N(1<<62)-(1<<61), 10)
		case 1:
			num = strconv.Itoa(rng.IntN(3000000000) - 1500000000)
		case 2:
			num = fmt.Sprintf("%d.%d", rng.IntN(100)-50, rng.IntN(100000000))
		case 3:
			num = fmt.Sprintf("0.%07d", rng.IntN(10000000))
		default:
			num = strconv.Itoa(rng.IntN(200) - 100)
		}
		if rng.IntN(10) == 0 && !strings.HasPrefix(num, "-") {
			num = "+" + num
		}
		parts = append(parts, num, intervalUnitNames[rng.IntN(len(intervalUnitNames))])
	}
	if rng.IntN(8) == 0 {
		parts = append(parts, "ago")
	}
	return strings.Join(parts, " ")
}

func randomInetText(rng *rand.Rand, cidr bool) string {
	var a netip.Addr
	if rng.IntN(2) == 0 {
		var b [4]byte
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		a = netip.AddrFrom4(b)
	} else {
		var b [16]byte
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = byte(rng.IntN(256))
			}
		}
		a = netip.AddrFrom16(b)
	}
	bits := rng.IntN(a.BitLen() + 2)
	switch rng.IntN(4) {
	case 0:
		return a.String()
	case 1:
		if p, err := a.Prefix(min(bits, a.BitLen())); err == nil && cidr {
			return p.String()
		}
	case 2:
		if a.Is6() && rng.IntN(4) == 0 {
			return a.String() + "%eth0"
		}
	}
	return a.String() + "/" + strconv.Itoa(bits)
}

// mutate changes s a little: a character dropped, doubled, or replaced
// by one of those the parsers care about.
func mutate(rng *rand.Rand, s string) string {
	const chars = "0123456789-+:. TZzbcBC/%eE"
	if s == "" {
		return string(chars[rng.IntN(len(chars))])
	}
	i := rng.IntN(len(s))
	switch rng.IntN(3) {
	case 0:
		return s[:i] + s[i+1:]
	case 1:
		return s[:i] + s[i:i+1] + s[i:]
	}
	return s[:i] + string(chars[rng.IntN(len(chars))]) + s[i+1:]
}

// A timestamptz string without an offset loaded with CopyRecordsToTable
// (binary COPY: the driver parses the text) is read in the session's
// TimeZone, as the server reads the same text, also inside an array; a
// TimeZone Go cannot load refuses it rather than reading UTC.
func TestCopyTimestamptzTextSessionZone(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE tz_text (i int4, ts timestamptz, tsa timestamptz[])")
	require.NoError(t, err)
	texts := []string{"2024-01-01 12:00", "2024-07-01 12:00:00.5", "2024-03-10 02:30", "2024-11-03 01:30", "1800-01-01 00:00", "2024-01-01 12:00+02"}
	for _, zone := range []string{"America/New_York", "Asia/Kolkata", "UTC"} {
		_, err := c.Exec(ctx, "SET TimeZone TO '"+zone+"'; TRUNCATE tz_text")
		require.NoError(t, err)
		var rows [][]any
		for i, s := range texts {
			rows = append(rows, []any{i, s, `{"` + s + `"}`})
		}
		_, err = c.CopyRecordsToTable(ctx, "tz_text", nil, pg.CopyFromRows(rows))
		require.NoError(t, err, zone)
		for i, s := range texts {
			var same bool
			require.NoError(t, c.QueryRow(ctx, "SELECT ts = $2::text::timestamptz AND tsa = ARRAY[$2::text::timestamptz] FROM tz_text WHERE i = $1", i, s).Scan(&same))
			assert.True(t, same, "%q loaded under TimeZone %s differs from the server's reading", s, zone)
		}
	}
	// A POSIX-style zone, which time.LoadLocation does not read.
	_, err = c.Exec(ctx, "SET TIME ZONE INTERVAL '+05:30' HOUR TO MINUTE")
	require.NoError(t, err)
	_, err = c.CopyRecordsToTable(ctx, "tz_text", nil, pg.CopyFromRows([][]any{{99, "2024-01-01 12:00", nil}}))
	assert.ErrorContains(t, err, "add an offset")
	_, err = c.CopyRecordsToTable(ctx, "tz_text", nil, pg.CopyFromRows([][]any{{100, "2024-01-01 12:00+05:30", nil}}))
	assert.NoError(t, err, "with an offset the zone is not needed")
}

// SetTimestamptzLocation changes how timestamptz values are presented, not
// how offset-less text is read: that stays the session's TimeZone.
func TestSetTimestamptzLocationKeepsSessionZoneText(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE tz_loc (ts timestamptz); SET TimeZone TO 'Asia/Kolkata'")
	require.NoError(t, err)
	for _, loc := range []*time.Location{time.UTC, nil} {
		require.NoError(t, c.SetTimestamptzLocation(loc))
		_, err = c.CopyRecordsToTable(ctx, "tz_loc", nil, pg.CopyFromRows([][]any{{"2024-01-01 12:00"}}))
		require.NoError(t, err)
		var same bool
		require.NoError(t, c.QueryRow(ctx, "SELECT bool_and(ts = '2024-01-01 12:00'::timestamptz) FROM tz_loc").Scan(&same))
		assert.True(t, same, "location %v", loc)
	}
	require.NoError(t, c.ResetTypeCodec(ctx, "timestamptz", "pg_catalog"))
	_, err = c.CopyRecordsToTable(ctx, "tz_loc", nil, pg.CopyFromRows([][]any{{"2024-01-01 12:00"}}))
	require.NoError(t, err, "after ResetTypeCodec")
}
