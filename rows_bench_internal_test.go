package pg

import (
	"context"
	"testing"
	"time"

	"github.com/wirepg/pg/pgproto"
	"github.com/wirepg/pg/pgtest"
)

// rowReplay holds a real statement's description and DataRow bodies
// captured from the server, so a benchmark can time the per-row Go work
// (DataRow framing, Scan and its codecs) without the network or the
// scheduler, which dominate an end-to-end profile.
type rowReplay struct {
	c      *Conn
	sd     *stmtDesc
	bodies [][]byte
}

func captureRows(b *testing.B, sql string, args ...any) *rowReplay {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := Connect(ctx, pgtest.Shared().DSN())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Close(context.Background()) })
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		b.Fatal(err)
	}
	rp := &rowReplay{c: c, sd: rows.sd}
	for rows.Next() {
		m := pgproto.DataRow{Values: rows.RawValues()}
		msg, err := m.Encode(nil)
		if err != nil {
			b.Fatal(err)
		}
		rp.bodies = append(rp.bodies, msg[5:])
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return rp
}

// run decodes and scans every captured row b.N times over, reporting
// ns and allocations per row.
func (rp *rowReplay) run(b *testing.B, dest ...any) {
	r := &Rows{c: rp.c, sd: rp.sd}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body := rp.bodies[i%len(rp.bodies)]
		if err := rp.c.dataRow.Decode(body); err != nil {
			b.Fatal(err)
		}
		r.values, r.onRow = rp.c.dataRow.Values, true
		if err := r.Scan(dest...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRowReplayLarge is bench/'s rows-large row: (int4, text, float8,
// timestamptz) into int32, string, float64, time.Time.
func BenchmarkRowReplayLarge(b *testing.B) {
	rp := captureRows(b, "SELECT i, i::text, i*1.5::float8, now() FROM generate_series(1,$1) i", 1000)
	var (
		id int32
		s  string
		f  float64
		t  time.Time
	)
	rp.run(b, &id, &s, &f, &t)
}

// BenchmarkRowReplayNoString is the same row with the text column skipped,
// to tell the string's allocation from the rest.
func BenchmarkRowReplayNoString(b *testing.B) {
	rp := captureRows(b, "SELECT i, i::text, i*1.5::float8, now() FROM generate_series(1,$1) i", 1000)
	var (
		id int32
		f  float64
		t  time.Time
	)
	rp.run(b, &id, nil, &f, &t)
}
