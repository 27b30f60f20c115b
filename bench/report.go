package main

import (
	"fmt"
	"io"
	"strings"
)

// Result is everything a run produced; -json writes it as is.
type Result struct {
	Command    string       `json:"command"`
	Machine    Machine      `json:"machine"`
	Settings   JSONSettings `json:"settings"`
	Cells      []CellResult `json:"cells"`
	MagicStack []MSResult   `json:"magicstack,omitempty"`
	// MagicStackTyped is the suite with its reads scanned into typed
	// destinations (ms-typed-*) and the same two writes.
	MagicStackTyped []MSResult `json:"magicstack_typed,omitempty"`
	Notes           []string   `json:"notes,omitempty"`
}

// JSONSettings is Settings as written to JSON.
type JSONSettings struct {
	Rounds    int     `json:"rounds"`
	RoundSec  float64 `json:"round_seconds"`
	WarmupSec float64 `json:"warmup_seconds"`
	Transport string  `json:"transport"` // "tcp" or "unix"
}

// CellResult is one workload × driver.
type CellResult struct {
	Workload string   `json:"workload"`
	Driver   string   `json:"driver"`
	Desc     string   `json:"description"`
	Status   string   `json:"status,omitempty"` // "n/a", or why it failed
	Summary  *Summary `json:"summary,omitempty"`
	Rounds   []Sample `json:"rounds,omitempty"`
}

// MSResult is one driver's geometric means over MagicStack's queries.
type MSResult struct {
	Driver     string  `json:"driver"`
	Queries    int     `json:"queries"` // how many of the seven it ran
	QPS        float64 `json:"geomean_queries_per_sec"`
	RowsPerSec float64 `json:"geomean_rows_per_sec"`
	// Ratios against pgx over the queries both ran.
	QPSRatio  float64 `json:"queries_vs_pgx,omitempty"`
	RowsRatio float64 `json:"rows_vs_pgx,omitempty"`
	Common    int     `json:"common_with_pgx,omitempty"`
}

var tableHeader = []string{"workload", "driver", "unit", "throughput", "±iqr", "cpu/unit", "user", "sys", "server/unit", "allocs", "bytes", "rw-sysc", "heap↑", "thr×pgx", "cpu×pgx"}

// printTable writes the results as one aligned table, a blank line between
// workloads, then the MagicStack summary.
func printTable(w io.Writer, res *Result) {
	header := tableHeader
	timed := false
	for _, c := range res.Cells {
		timed = timed || c.Summary != nil && c.Summary.P99ns > 0
	}
	if timed {
		header = append(header[:len(header):len(header)], "p50", "p99")
	}
	var rows [][]string
	last := ""
	for _, c := range res.Cells {
		if last != "" && c.Workload != last {
			rows = append(rows, nil)
		}
		last = c.Workload
		if c.Summary == nil {
			status := c.Status
			if status == "" {
				status = "no rounds"
			}
			rows = append(rows, []string{c.Workload, c.Driver, status})
			continue
		}
		s := c.Summary
		rows = append(rows, []string{
			c.Workload, c.Driver, s.Unit,
			rate(s.Throughput.Median) + "/s",
			fmt.Sprintf("%.1f%%", 100*s.Throughput.Spread()),
			dur(s.CPUns), dur(s.UserNs), dur(s.SysNs),
			durOrNA(s.ServerNs),
			count(s.Allocs), bytesStr(s.Bytes), countOrNA(s.Syscalls), bytesStr(s.HeapPeak),
			ratio(s.ThroughputRatio), ratio(s.CPURatio),
		})
		if timed {
			rows[len(rows)-1] = append(rows[len(rows)-1], durOrEmpty(s.P50ns), durOrEmpty(s.P99ns))
		}
	}
	writeAligned(w, header, rows, 3)
	printSuite(w, "MagicStack pgbench suite, concurrency 10: geometric means over the queries each driver ran", res.MagicStack)
	printSuite(w, "MagicStack suite with typed Scan (ms-typed-* reads, the same ms-copyfrom and ms-batch): geometric means", res.MagicStackTyped)
	for _, c := range res.Cells {
		if c.Summary != nil && c.Status != "" {
			fmt.Fprintf(w, "note: %s/%s stopped after %d rounds: %s\n", c.Workload, c.Driver, len(c.Rounds), c.Status)
		}
	}
	for _, n := range res.Notes {
		fmt.Fprintln(w, "note:", n)
	}
}

// printSuite writes one suite's geometric means, if it ran.
func printSuite(w io.Writer, title string, suite []MSResult) {
	if len(suite) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, title)
	var ms [][]string
	for _, m := range suite {
		ms = append(ms, []string{m.Driver, fmt.Sprintf("%d/7", m.Queries), rate(m.QPS) + "/s", rate(m.RowsPerSec) + "/s",
			ratio(m.QPSRatio), ratio(m.RowsRatio), commonStr(m)})
	}
	writeAligned(w, []string{"driver", "queries", "queries/s", "rows/s", "q×pgx", "rows×pgx", "over"}, ms, 1)
}

func commonStr(m MSResult) string {
	if m.Common == 0 {
		return ""
	}
	return fmt.Sprintf("%d common", m.Common)
}

// writeAligned prints a table whose first left columns are left-aligned and
// the rest right-aligned; a nil row is a blank line. A short row (a status
// message) runs on past the column grid.
func writeAligned(w io.Writer, header []string, rows [][]string, left int) {
	width := make([]int, len(header))
	for i, h := range header {
		width[i] = len([]rune(h))
	}
	for _, r := range rows {
		if len(r) < len(header) {
			continue
		}
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(r []string) {
		var b strings.Builder
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := 0
			if i < len(width) && len(r) == len(header) {
				pad = width[i] - len([]rune(c))
			} else if i < len(r)-1 {
				pad = width[i] - len([]rune(c))
			}
			if i < left || len(r) < len(header) {
				b.WriteString(c)
				if i < len(r)-1 {
					b.WriteString(strings.Repeat(" ", max(pad, 0)))
				}
			} else {
				b.WriteString(strings.Repeat(" ", max(pad, 0)))
				b.WriteString(c)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(header)
	for _, r := range rows {
		if r == nil {
			fmt.Fprintln(w)
			continue
		}
		line(r)
	}
}

// rate formats a per-second figure with three significant digits. The
// thresholds are where %.3g would round up to 1000 of the smaller unit
// (999.6 is "1e+03"), so such a value moves to the larger one.
func rate(x float64) string {
	switch {
	case x >= 999.5e3:
		return fmt.Sprintf("%.3gM", x/1e6)
	case x >= 999.5:
		return fmt.Sprintf("%.3gk", x/1e3)
	}
	return fmt.Sprintf("%.3g", x)
}

// dur formats nanoseconds with a unit, three significant digits (the
// thresholds as in rate).
func dur(ns float64) string {
	switch {
	case ns >= 999.5e3:
		return fmt.Sprintf("%.3gms", ns/1e6)
	case ns >= 999.5:
		return fmt.Sprintf("%.3gµs", ns/1e3)
	}
	return fmt.Sprintf("%.3gns", ns)
}

// durOrEmpty leaves a figure that was not measured blank.
func durOrEmpty(ns float64) string {
	if ns <= 0 {
		return ""
	}
	return dur(ns)
}

func durOrNA(ns float64) string {
	if ns < 0 {
		return "n/a"
	}
	return dur(ns)
}

func count(x float64) string {
	if x >= 100 {
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2g", x)
}

func countOrNA(x float64) string {
	if x < 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.2f", x)
}

func bytesStr(x float64) string {
	switch {
	case x >= 1<<20:
		return fmt.Sprintf("%.1fMiB", x/(1<<20))
	case x >= 10<<10:
		return fmt.Sprintf("%.1fKiB", x/(1<<10))
	}
	return fmt.Sprintf("%.0fB", x)
}

func ratio(x float64) string {
	if x == 0 {
		return ""
	}
	return fmt.Sprintf("%.2f", x)
}
