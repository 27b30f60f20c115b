package main

import (
	"fmt"
	"io"
)

// cellResults summarises one workload's cells and their ratios against
// the pgx cell.
func cellResults(wl *Workload, cells []*Cell) []CellResult {
	sums := map[*Cell]*Summary{}
	for _, c := range cells {
		if s := summarize(wl, c); s != nil {
			sums[c] = s
		}
	}
	addRatios(wl, cells, sums)
	out := make([]CellResult, 0, len(cells))
	for _, c := range cells {
		out = append(out, CellResult{
			Workload: c.Workload, Driver: c.Driver, Desc: wl.Desc,
			Status: c.Status, Summary: sums[c], Rounds: c.Rounds,
		})
	}
	return out
}

// magicStackSummary summarises the MagicStack suite (reads decoded with
// Values), typedSuiteSummary its typed-Scan variant (see inTypedSuite).
func magicStackSummary(cells []CellResult) []MSResult {
	return suiteSummary(cells, func(wl *Workload) bool { return wl.MagicStack })
}

func typedSuiteSummary(cells []CellResult) []MSResult { return suiteSummary(cells, inTypedSuite) }

// suiteSummary is each driver's geometric mean of queries/s and rows/s
// over the workloads of a suite it ran, and its ratio against pgx over the
// workloads both ran (a driver missing a query is not compared on it).
func suiteSummary(cells []CellResult, inSuite func(*Workload) bool) []MSResult {
	isMS := map[string]bool{}
	for _, wl := range workloads {
		if inSuite(wl) {
			isMS[wl.Name] = true
		}
	}
	type fig struct{ qps, rows float64 }
	per := map[string]map[string]fig{} // driver → workload → figures
	var order []string
	for _, c := range cells {
		if !isMS[c.Workload] || c.Summary == nil {
			continue
		}
		if per[c.Driver] == nil {
			per[c.Driver] = map[string]fig{}
			order = append(order, c.Driver)
		}
		per[c.Driver][c.Workload] = fig{c.Summary.OpsPerSec, c.Summary.RowsPerSec}
	}
	base := per[drvPGX]
	var out []MSResult
	for _, d := range order {
		figs := per[d]
		var q, r []float64
		for _, f := range figs {
			q = append(q, f.qps)
			r = append(r, f.rows)
		}
		m := MSResult{Driver: d, Queries: len(figs), QPS: geomean(q), RowsPerSec: geomean(r)}
		if base != nil && d != drvPGX {
			var qr, rr []float64
			for wl, f := range figs {
				if b, ok := base[wl]; ok && b.qps > 0 && b.rows > 0 {
					qr = append(qr, f.qps/b.qps)
					rr = append(rr, f.rows/b.rows)
				}
			}
			m.Common = len(qr)
			m.QPSRatio, m.RowsRatio = geomean(qr), geomean(rr)
		}
		out = append(out, m)
	}
	return out
}

// printHeader names the machine and the settings above the table.
func printHeader(w io.Writer, res *Result) {
	m := res.Machine
	fmt.Fprintf(w, "machine: %s, %d× %s, %s/%s, kernel %s, %s, PostgreSQL %s on the same machine (%s)\n",
		m.Host, m.CPUs, m.CPU, m.GOOS, m.GOARCH, m.Kernel, m.GoVersion, m.Server, res.Settings.Transport)
	fmt.Fprintf(w, "command: %s\n", res.Command)
	if m.LoadStart != "" {
		fmt.Fprintf(w, "load average (1, 5, 15 min) at start: %s, at end: %s\n", m.LoadStart, m.LoadEnd)
	}
	fmt.Fprintf(w, "%d rounds of %gs per driver, interleaved; throughput is the median (±iqr/median); per-unit figures are medians; "+
		"cpu = client user+sys (getrusage), server = backends' CPU (/proc/<pid>/schedstat); rw-sysc = read+write syscalls (/proc/self/io); heap↑ = largest rise of the Go heap in a round; ×pgx = median over rounds of the ratio within the round\n\n",
		res.Settings.Rounds, res.Settings.RoundSec)
}

// naStatus is the status of a cell with no implementation.
func naStatus(workload, driver string) string {
	if driver == drvLibPQ && workload == "insert-batch" {
		return "n/a (lib/pq has no pipelining)"
	}
	return "n/a"
}
