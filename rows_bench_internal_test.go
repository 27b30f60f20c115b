package pg

import (
	"bytes"
	"context"
	"encoding/binary"
	"runtime"
	"syscall"
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
	cpu := startThreadCPU()
	defer cpu.report(b)
	for i := 0; i < b.N; i++ {
		body := rp.bodies[i%len(rp.bodies)]
		if !r.takeRow(body) {
			b.Fatal(r.Err())
		}
		if err := r.Scan(dest...); err != nil {
			b.Fatal(err)
		}
	}
}

// runNext is run through Rows.Next: the captured rows are served by the
// connection's own message reader from memory, so framing (the reader,
// receive, Next) is timed too, still without the network.
func (rp *rowReplay) runNext(b *testing.B, dest ...any) {
	var stream []byte
	for _, body := range rp.bodies {
		stream = append(stream, pgproto.MsgDataRow, 0, 0, 0, 0)
		stream = binary.BigEndian.AppendUint32(stream[:len(stream)-4], uint32(len(body)+4))
		stream = append(stream, body...)
	}
	saved := rp.c.r
	defer func() { rp.c.r = saved }()
	src := bytes.NewReader(stream)
	rp.c.r = pgproto.NewReader(src, 0)
	r := &Rows{c: rp.c, sd: rp.sd}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := startThreadCPU()
	defer cpu.report(b)
	n := 0
	for i := 0; i < b.N; i++ {
		if n == len(rp.bodies) {
			src.Reset(stream)
			n = 0
		}
		n++
		if !r.Next() {
			b.Fatal(r.Err())
		}
		if err := r.Scan(dest...); err != nil {
			b.Fatal(err)
		}
	}
}

// rowsLargeSQL is bench/'s rows-large query, (int4, text, float8,
// timestamptz), 1,000 rows.
const rowsLargeSQL = "SELECT i, i::text, i*1.5::float8, now() FROM generate_series(1,$1) i"

// rowsLargeDest is rows-large's destinations: int32, string, float64,
// time.Time.
func rowsLargeDest() []any {
	var (
		id int32
		s  string
		f  float64
		t  time.Time
	)
	return []any{&id, &s, &f, &t}
}

// BenchmarkRowNextLarge is BenchmarkRowReplayLarge through Rows.Next.
func BenchmarkRowNextLarge(b *testing.B) {
	captureRows(b, rowsLargeSQL, 1000).runNext(b, rowsLargeDest()...)
}

// BenchmarkRowReplayLarge is a bench/ rows-large row, decoded and scanned.
func BenchmarkRowReplayLarge(b *testing.B) {
	captureRows(b, rowsLargeSQL, 1000).run(b, rowsLargeDest()...)
}

// BenchmarkRowReplayNoString is the same row with the text column skipped,
// to tell the string's allocation from the rest.
func BenchmarkRowReplayNoString(b *testing.B) {
	dest := rowsLargeDest()
	dest[1] = nil
	captureRows(b, rowsLargeSQL, 1000).run(b, dest...)
}

// threadCPU measures the calling goroutine's thread CPU time, which on a
// loaded machine tells far more than wall time (ns/op counts the time the
// thread waited for a core). start locks the goroutine to its thread.
type threadCPU struct{ start int64 }

func startThreadCPU() threadCPU {
	runtime.LockOSThread()
	return threadCPU{start: threadCPUNow()}
}

// report adds cpu-ns/op to b's results.
func (t threadCPU) report(b *testing.B) {
	d := threadCPUNow() - t.start
	runtime.UnlockOSThread()
	b.ReportMetric(float64(d)/float64(b.N), "cpu-ns/op")
}

func threadCPUNow() int64 {
	var ru syscall.Rusage
	const rusageThread = 1
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
