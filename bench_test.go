package pg_test

import (
	"testing"

	"github.com/wirepg/pg"
)

// BenchmarkPointQuery is a cached `SELECT $1::int4` round trip.
func BenchmarkPointQuery(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	var n int32
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := c.QueryRow(ctx, "SELECT $1::int4", int32(i)).Scan(&n); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRows1000 reads a 1,000-row (int4, text, float8) result.
func BenchmarkRows1000(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	const q = "SELECT i, 'row ' || i::text, i * 1.5::float8 FROM generate_series(1, $1) i"
	var (
		id  int32
		s   string
		f   float64
		buf []byte
	)
	_ = buf
	b.ReportAllocs()
	for b.Loop() {
		rows, err := c.Query(ctx, q, 1000)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if err := rows.Scan(&id, &s, &f); err != nil {
				b.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExecSimple is a simple-protocol round trip.
func BenchmarkExecSimple(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Exec(ctx, "SELECT 1"); err != nil {
			b.Fatal(err)
		}
	}
}

var _ = pg.ErrNoRows
