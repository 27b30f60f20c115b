package pg_test

import (
	"testing"
	"time"

	"github.com/wirepg/pg"
)

// benchRows are rows of (int8, text, float8, timestamptz), the shape both
// load benchmarks insert.
func benchRows(n int) [][]any {
	ts := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = []any{int64(i), "some text for row", float64(i) * 1.5, ts.Add(time.Duration(i) * time.Second)}
	}
	return rows
}

// BenchmarkCopyRecordsToTable loads 10,000 rows per op with binary COPY
// and reports rows/s.
func BenchmarkCopyRecordsToTable(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	createBenchTable(b, c, "bench_copy")
	rows := benchRows(10_000)
	b.ReportAllocs()
	start := time.Now()
	ops := 0
	for b.Loop() {
		if _, err := c.Exec(ctx, "TRUNCATE bench_copy"); err != nil {
			b.Fatal(err)
		}
		n, err := c.CopyRecordsToTable(ctx, "bench_copy", []string{"id", "s", "f", "ts"}, pg.CopyFromRows(rows))
		if err != nil || n != int64(len(rows)) {
			b.Fatal(n, err)
		}
		ops++
	}
	b.ReportMetric(float64(ops*len(rows))/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkExecMany inserts 10,000 rows per op with ExecMany (one
// pipeline, one Sync) and reports rows/s.
func BenchmarkExecMany(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	createBenchTable(b, c, "bench_execmany")
	rows := benchRows(10_000)
	b.ReportAllocs()
	start := time.Now()
	ops := 0
	for b.Loop() {
		if _, err := c.Exec(ctx, "TRUNCATE bench_execmany"); err != nil {
			b.Fatal(err)
		}
		if err := c.ExecMany(ctx, "INSERT INTO bench_execmany VALUES ($1, $2, $3, $4)", rows); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric(float64(ops*len(rows))/time.Since(start).Seconds(), "rows/s")
}

func createBenchTable(b *testing.B, c *pg.Conn, name string) {
	b.Helper()
	if _, err := c.Exec(ctxT(b), "DROP TABLE IF EXISTS "+name+"; CREATE UNLOGGED TABLE "+name+" (id int8, s text, f float8, ts timestamptz)"); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _, _ = c.Exec(ctxT(b), "DROP TABLE IF EXISTS "+name) })
}
