package main

import (
	"bytes"
	"context"
	"crypto/md5"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

func TestDist(t *testing.T) {
	d := distOf([]float64{5, 1, 3, 2, 4})
	if d.Median != 3 || d.P25 != 2 || d.P75 != 4 || d.Min != 1 || d.Max != 5 {
		t.Fatalf("distOf = %+v", d)
	}
	if got := d.Spread(); math.Abs(got-2.0/3) > 1e-12 {
		t.Errorf("Spread = %v, want 2/3", got)
	}
	if got := distOf([]float64{1, 2}).Median; got != 1.5 {
		t.Errorf("median of 1, 2 = %v, want 1.5", got)
	}
	if (Dist{}).Spread() != 0 {
		t.Error("Spread of an empty Dist is not 0")
	}
}

func TestGeomean(t *testing.T) {
	if got := geomean([]float64{2, 8}); math.Abs(got-4) > 1e-12 {
		t.Errorf("geomean(2, 8) = %v, want 4", got)
	}
	if got := geomean([]float64{0, -1}); got != 0 {
		t.Errorf("geomean of no positive values = %v, want 0", got)
	}
}

func TestUnitFormats(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{dur(999.4), "999ns"}, {dur(999.6), "1µs"}, {dur(1500), "1.5µs"},
		{dur(999_600), "1ms"}, {dur(2.5e6), "2.5ms"},
		{rate(999.6), "1k"}, {rate(999_600), "1M"}, {rate(12345), "12.3k"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestNewWorkloadsRegistered checks that the pool-acquire, pool-select1
// and decode-1000 workloads exist with an implementation for each of
// their default drivers.
func TestNewWorkloadsRegistered(t *testing.T) {
	names := []string{"pool-acquire-1", "pool-acquire-64", "pool-select1-1", "pool-select1-64", "decode-1000"}
	wls, unknown := selectWorkloads(strings.Join(names, ","))
	if len(unknown) > 0 || len(wls) != len(names) {
		t.Fatalf("selectWorkloads: %d workloads, unknown %v", len(wls), unknown)
	}
	for _, wl := range wls {
		for _, d := range wl.Drivers {
			if impls[wl.Name][d] == nil {
				t.Errorf("%s/%s: no implementation", wl.Name, d)
			}
		}
	}
}

func TestWithAppName(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"postgres://u@h:5/db?sslmode=disable", "postgres://u@h:5/db?application_name=bench-pg&sslmode=disable"},
		{"postgresql://u@h/db", "postgresql://u@h/db?application_name=bench-pg"},
		{"host=/tmp/s port=5 user=u", "host=/tmp/s port=5 user=u application_name=bench-pg"},
	} {
		if got := withAppName(tc.in, "bench-pg"); got != tc.want {
			t.Errorf("withAppName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSummaryAndRatios(t *testing.T) {
	wl := &Workload{Name: "x", Unit: "row", PerRow: true}
	mk := func(driver string, rows int64, cpu time.Duration) *Cell {
		c := &Cell{Workload: "x", Driver: driver}
		for i := 0; i < 3; i++ {
			c.Rounds = append(c.Rounds, Sample{Ops: 1, Rows: rows, Elapsed: time.Second, User: cpu, Server: -1, Syscalls: 10, Mallocs: uint64(rows)})
		}
		return c
	}
	pgc, pgxc := mk(drvPG, 2000, time.Millisecond), mk(drvPGX, 1000, 2*time.Millisecond)
	res := cellResults(wl, []*Cell{pgc, pgxc, {Workload: "x", Driver: drvLibPQ, Status: "n/a"}})
	s := res[0].Summary
	if s.Throughput.Median != 2000 || s.CPUns != 500 || s.Allocs != 1 || s.ServerNs != -1 {
		t.Fatalf("pg summary = %+v", s)
	}
	if s.ThroughputRatio != 2 || s.CPURatio != 0.25 {
		t.Errorf("ratios = %v, %v; want 2, 0.25", s.ThroughputRatio, s.CPURatio)
	}
	if res[2].Summary != nil || res[2].Status != "n/a" {
		t.Errorf("n/a cell = %+v", res[2])
	}
}

// TestRatiosArePaired checks that ratios pair rounds: a burst of load that
// slowed the baseline's third round alone must not move the ratio, as it
// would a ratio of medians (10 / 0.5 = 20 here).
func TestRatiosArePaired(t *testing.T) {
	wl := &Workload{Name: "x", Unit: "query"}
	mk := func(driver string, ops ...int64) *Cell {
		c := &Cell{Workload: "x", Driver: driver}
		for _, n := range ops {
			c.Rounds = append(c.Rounds, Sample{Ops: n, Elapsed: time.Second, User: time.Millisecond, Server: -1, Syscalls: -1})
		}
		return c
	}
	res := cellResults(wl, []*Cell{mk(drvPG, 10, 100, 1000), mk(drvPGX, 5, 50, 1)})
	if got := res[0].Summary.ThroughputRatio; got != 2 {
		t.Errorf("throughput ratio = %v, want 2", got)
	}
	if got := res[0].Summary.CPURatio; got != 0.5 {
		t.Errorf("CPU ratio = %v, want 0.5", got)
	}
}

func TestMagicStackSummary(t *testing.T) {
	cell := func(wl, drv string, qps, rows float64) CellResult {
		return CellResult{Workload: wl, Driver: drv, Summary: &Summary{OpsPerSec: qps, RowsPerSec: rows}}
	}
	ms := magicStackSummary([]CellResult{
		cell("ms-1plus1", drvPGX, 100, 100), cell("ms-bytea", drvPGX, 10, 1000),
		cell("ms-1plus1", drvPG, 200, 200),
		{Workload: "ms-bytea", Driver: drvPG, Status: "n/a"},
		cell("point", drvPG, 1e9, 1e9), // not a MagicStack workload
	})
	if len(ms) != 2 {
		t.Fatalf("got %d drivers, want 2: %+v", len(ms), ms)
	}
	pgx, pg := ms[0], ms[1]
	if pgx.Driver != drvPGX || pgx.Queries != 2 || math.Abs(pgx.QPS-math.Sqrt(1000)) > 1e-9 {
		t.Errorf("pgx = %+v", pgx)
	}
	if pg.Queries != 1 || pg.Common != 1 || pg.QPSRatio != 2 || pg.RowsRatio != 2 {
		t.Errorf("pg = %+v", pg)
	}
}

func TestPrintTable(t *testing.T) {
	var buf bytes.Buffer
	printTable(&buf, &Result{Cells: []CellResult{
		{Workload: "point", Driver: drvPG, Status: naStatus("insert-batch", drvLibPQ)},
		{Workload: "point", Driver: drvPGX, Summary: &Summary{Unit: "query", Throughput: Dist{Median: 12345}, CPUns: 1500, ServerNs: -1, Syscalls: -1}},
		{Workload: "point", Driver: drvLibPQ, Status: "worker 0: boom", Rounds: make([]Sample, 2), Summary: &Summary{Unit: "query", ServerNs: -1, Syscalls: -1}},
	}})
	out := buf.String()
	for _, want := range []string{"workload", "n/a (lib/pq has no pipelining)", "12.3k/s", "1.5µs", "point/libpq stopped after 2 rounds: worker 0: boom"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// TestEveryWorkloadRuns runs every workload, the opt-in ones included,
// through its default drivers (those of the published table), one short
// round each, against a throwaway server: a driver that errors fails the
// test, one without an implementation must say n/a.
func TestEveryWorkloadRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and runs every workload (about a minute)")
	}
	srv, err := pgtest.Start(pgtest.Options{Conf: []string{"max_connections = 300"}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	b, err := newBench(ctx, srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	s := Settings{Rounds: 1, Round: time.Millisecond, Warmup: time.Millisecond}
	// The opt-in stream workload runs here on 1,000 rows, not 10 million.
	defer func(n any) { streamArgs[0] = n }(streamArgs[0])
	streamArgs[0] = int32(1000)
	for _, wl := range workloads {
		for _, c := range runWorkload(ctx, b, wl, s) {
			switch {
			case strings.HasPrefix(c.Status, "n/a"):
				if impls[wl.Name][c.Driver] != nil {
					t.Errorf("%s/%s: %s, but it has an implementation", wl.Name, c.Driver, c.Status)
				}
			case c.Status != "":
				t.Errorf("%s/%s: %s", wl.Name, c.Driver, c.Status)
			case len(c.Rounds) != 1 || c.Rounds[0].Ops < 1 || c.Rounds[0].Rows < 1:
				t.Errorf("%s/%s: rounds %+v", wl.Name, c.Driver, c.Rounds)
			case c.Rounds[0].Server < 0:
				t.Errorf("%s/%s: server CPU not measured", wl.Name, c.Driver)
			}
		}
	}
}

// TestDecodeAgrees checks that pg, pgx and lib/pq scan decode-1000's last
// row into the same values (now() aside, which differs between
// connections), so that the workload compares like with like.
func TestDecodeAgrees(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	srv, err := pgtest.Start(pgtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	q := sqlDecode + " ORDER BY 1 DESC LIMIT 1"
	want := decodeRow{i4: 1000, i8: 1000, txt: "row 1000", f8: 1500, num: "1250.00", id: md5.Sum([]byte("1000")), b: true}
	check := func(drv string, got decodeRow, err error) {
		t.Helper()
		got.ts = time.Time{}
		if err != nil {
			t.Errorf("%s: %v", drv, err)
		} else if got != want {
			t.Errorf("%s: last row %+v, want %+v", drv, got, want)
		}
	}

	var r decodeRow
	pc, err := pg.Connect(ctx, srv.DSN())
	if err == nil {
		err = pc.QueryRow(ctx, q, argDecodeRows).Scan(r.dests()...)
		_ = pc.Close(ctx)
	}
	check(drvPG, r, err)

	r = decodeRow{}
	xc, err := pgx.Connect(ctx, srv.DSN())
	if err == nil {
		err = xc.QueryRow(ctx, q, argDecodeRows).Scan(r.dests()...)
		_ = xc.Close(ctx)
	}
	check(drvPGX, r, err)

	// lib/pq: the uuid as its text, as sqlDecodeOp scans it.
	r = decodeRow{}
	var id string
	db, err := sql.Open("postgres", srv.DSN())
	if err == nil {
		d := r.dests()
		d[6] = &id
		err = db.QueryRowContext(ctx, q, argDecodeRows).Scan(d...)
		_ = db.Close()
	}
	if err == nil {
		var u []byte
		if u, err = hex.DecodeString(strings.ReplaceAll(id, "-", "")); err == nil {
			copy(r.id[:], u)
		}
	}
	check(drvLibPQ, r, err)
}

// TestTypedReadsAgree checks that pg, pgx and lib/pq scan every typed
// read into the same values, so the typed workloads compare like with
// like (a driver that read "char" as a number, or oid wrongly, would be
// measured doing other work).
func TestTypedReadsAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server")
	}
	srv, err := pgtest.Start(pgtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := newBench(ctx, srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	for _, wl := range workloads {
		q, ok := typedReads[wl.Name]
		if !ok {
			continue
		}
		if err := wl.setup(ctx, b.admin); err != nil {
			t.Fatalf("%s: setup: %v", wl.Name, err)
		}
		got := map[string][]string{}
		var r typedRow
		// Each row as text, so rows compare whatever their types.
		row := func() string { return fmt.Sprintf("%+v", r) }

		pc, err := pg.Connect(ctx, srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		rows, err := pc.Query(ctx, q.sql, q.args...)
		for err == nil && rows.Next() {
			if err = rows.Scan(q.dests(&r, nil)...); err == nil {
				got[drvPG] = append(got[drvPG], row())
			}
		}
		if err == nil {
			err = rows.Close()
		}
		_ = pc.Close(ctx)
		if err != nil {
			t.Errorf("%s/pg: %v", wl.Name, err)
		}

		r = typedRow{}
		xc, err := pgx.Connect(ctx, srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		xrows, err := xc.Query(ctx, q.sql, q.args...)
		for err == nil && xrows.Next() {
			if err = xrows.Scan(q.dests(&r, nil)...); err == nil {
				got[drvPGX] = append(got[drvPGX], row())
			}
		}
		if err == nil {
			xrows.Close()
			err = xrows.Err()
		}
		_ = xc.Close(ctx)
		if err != nil {
			t.Errorf("%s/pgx: %v", wl.Name, err)
		}

		r = typedRow{}
		db, err := sql.Open("postgres", srv.DSN())
		if err != nil {
			t.Fatal(err)
		}
		srows, err := db.QueryContext(ctx, q.sql, q.args...)
		for err == nil && srows.Next() {
			if err = srows.Scan(q.dests(&r, func(p *[]int32) any { return pq.Array(p) })...); err == nil {
				got[drvLibPQ] = append(got[drvLibPQ], row())
			}
		}
		if err == nil {
			srows.Close()
			err = srows.Err()
		}
		_ = db.Close()
		if err != nil {
			t.Errorf("%s/libpq: %v", wl.Name, err)
		}
		wl.teardown(ctx, b.admin)

		want := got[drvPGX]
		if len(want) == 0 {
			t.Errorf("%s: pgx read no rows", wl.Name)
			continue
		}
		for _, drv := range []string{drvPG, drvLibPQ} {
			if i := firstDiff(got[drv], want); i >= 0 {
				t.Errorf("%s/%s: %d rows, pgx %d; row %d: %q, pgx %q", wl.Name, drv, len(got[drv]), len(want), i, at(got[drv], i), at(want, i))
			}
		}
	}
}

// firstDiff is the index of the first row where a and b differ, -1 when
// they are equal.
func firstDiff(a, b []string) int {
	for i := 0; i < max(len(a), len(b)); i++ {
		if at(a, i) != at(b, i) || i >= len(a) || i >= len(b) {
			return i
		}
	}
	return -1
}

func at(s []string, i int) string {
	if i < len(s) {
		return s[i]
	}
	return "(none)"
}

// TestTypedSuite checks that "ms-typed" selects the five typed reads and
// the two writes, each implemented for every default driver, and that the
// typed summary counts those and not the Values() reads.
func TestTypedSuite(t *testing.T) {
	wls, unknown := selectWorkloads("ms-typed,pgtype-typed,int4array-typed")
	if len(unknown) > 0 || len(wls) != 9 {
		t.Fatalf("selectWorkloads: %d workloads, unknown %v", len(wls), unknown)
	}
	for _, wl := range wls {
		for _, d := range wl.Drivers {
			if impls[wl.Name][d] == nil {
				t.Errorf("%s/%s: no implementation", wl.Name, d)
			}
		}
	}
	cell := func(wl string, qps float64) CellResult {
		return CellResult{Workload: wl, Driver: drvPG, Summary: &Summary{OpsPerSec: qps, RowsPerSec: qps}}
	}
	ms := typedSuiteSummary([]CellResult{cell("ms-typed-1plus1", 4), cell("ms-batch", 1), cell("ms-1plus1", 1e6)})
	if len(ms) != 1 || ms[0].Queries != 2 || ms[0].QPS != 2 {
		t.Errorf("typed suite = %+v, want pg over 2 queries, geomean 2", ms)
	}
}

// TestLatencyHist checks the quantiles against a known distribution: each
// within its bucket's width (12.5%) of the exact value.
func TestLatencyHist(t *testing.T) {
	var h, other latencyHist
	for i := 1; i <= 1000; i++ {
		d := time.Duration(i) * time.Microsecond
		if i%2 == 0 {
			h.add(d)
		} else {
			other.add(d)
		}
	}
	h.merge(&other)
	for _, tc := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 500 * time.Microsecond}, {0.99, 990 * time.Microsecond}, {0, time.Microsecond}, {1, time.Millisecond}} {
		got := h.quantile(tc.q)
		if math.Abs(float64(got-tc.want)) > 0.125*float64(tc.want) {
			t.Errorf("quantile(%v) = %v, want %v ± 12.5%%", tc.q, got, tc.want)
		}
	}
	var small latencyHist
	small.add(3)
	if got := small.quantile(0.99); got != 3 {
		t.Errorf("a 3 ns latency reads back as %v", got)
	}
	if got := (&latencyHist{}).quantile(0.5); got != 0 {
		t.Errorf("an empty histogram's median = %v, want 0", got)
	}
	for ns := uint64(0); ns < 1<<20; ns = ns*9/8 + 1 {
		if mid := bucketMid(latencyBucket(ns)); math.Abs(mid-float64(ns)) > 0.0625*float64(ns)+0.5 {
			t.Fatalf("%d ns falls in a bucket whose middle is %v", ns, mid)
		}
	}
}

// TestPrintTableLatency checks that the p50 and p99 columns appear only
// when some cell timed its operations.
func TestPrintTableLatency(t *testing.T) {
	cell := func(p99 float64) CellResult {
		return CellResult{Workload: "w", Driver: drvPG, Summary: &Summary{Unit: "query", ServerNs: -1, Syscalls: -1, P50ns: p99 / 2, P99ns: p99}}
	}
	var buf bytes.Buffer
	printTable(&buf, &Result{Cells: []CellResult{cell(0)}})
	if strings.Contains(buf.String(), "p99") {
		t.Errorf("p99 column without timed cells:\n%s", buf.String())
	}
	buf.Reset()
	printTable(&buf, &Result{Cells: []CellResult{cell(2.5e6), cell(0)}})
	if out := buf.String(); !strings.Contains(out, "p99") || !strings.Contains(out, "2.5ms") || !strings.Contains(out, "1.25ms") {
		t.Errorf("table lacks the p50/p99 figures:\n%s", out)
	}
}
