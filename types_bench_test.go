package pg_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
)

// decodeBenchSQL is the decode benchmark: 1,000 rows of (int4,
// int8, text, float8, timestamptz, numeric, uuid, bool).
const decodeBenchSQL = `SELECT i::int4, i::int8 * 1000000007, 'row number ' || i, i * 1.5::float8,
	'2020-01-01 00:00:00+00'::timestamptz + i * interval '1 second', (i * 1.25)::numeric(12,2),
	md5(i::text)::uuid, i % 2 = 0
	FROM generate_series(1, 1000) i`

type decodeBenchRow struct {
	a  int32
	b  int64
	s  string
	f  float64
	t  time.Time
	n  pg.Numeric
	u  pg.UUID
	ok bool
}

// BenchmarkDecode1000Rows runs the query and scans every row into typed Go
// values: server time and the wire included. ns/row and allocs/row are
// per row of the result.
func BenchmarkDecode1000Rows(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	var r decodeBenchRow
	b.ReportAllocs()
	before := memStats()
	for b.Loop() {
		rows, err := c.Query(ctx, decodeBenchSQL)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			if err := rows.Scan(&r.a, &r.b, &r.s, &r.f, &r.t, &r.n, &r.u, &r.ok); err != nil {
				b.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			b.Fatal(err)
		}
	}
	reportPerRow(b, 1000, before)
}

// BenchmarkDecode1000RowsCodecOnly decodes the same 1,000 rows' binary
// values, captured once, with no I/O: the codecs' own cost.
func BenchmarkDecode1000RowsCodecOnly(b *testing.B) {
	c := connect(b)
	ctx := ctxT(b)
	rows, err := c.Query(ctx, decodeBenchSQL)
	if err != nil {
		b.Fatal(err)
	}
	var raw [][][]byte
	for rows.Next() {
		vals := make([][]byte, len(rows.RawValues()))
		for i, v := range rows.RawValues() {
			vals[i] = append([]byte(nil), v...)
		}
		raw = append(raw, vals)
	}
	if err := rows.Close(); err != nil {
		b.Fatal(err)
	}
	reg := codec.Default()
	oids := []uint32{codec.Int4OID, codec.Int8OID, codec.TextOID, codec.Float8OID, codec.TimestamptzOID, codec.NumericOID, codec.UUIDOID, codec.BoolOID}
	types := make([]*codec.Type, len(oids))
	for i, oid := range oids {
		types[i] = reg.Lookup(oid)
	}
	var r decodeBenchRow
	dest := []any{&r.a, &r.b, &r.s, &r.f, &r.t, &r.n, &r.u, &r.ok}
	b.ReportAllocs()
	before := memStats()
	for b.Loop() {
		for _, row := range raw {
			for i, v := range row {
				if err := codec.ScanValue(types[i], codec.BinaryFormat, v, dest[i]); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	reportPerRow(b, len(raw), before)
}

// reportPerRow adds ns/row and allocs/row to a benchmark over n rows per
// iteration.
func reportPerRow(b *testing.B, n int, before *runtime.MemStats) {
	b.Helper()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N)/float64(n), "allocs/row")
}

func memStats() *runtime.MemStats {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return &m
}
