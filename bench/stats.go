package main

import (
	"math"
	"sort"
)

// Dist summarises one metric over the rounds.
type Dist struct {
	Median float64 `json:"median"`
	P25    float64 `json:"p25"`
	P75    float64 `json:"p75"`
	Min    float64 `json:"min"`
	Max    float64 `json:"max"`
}

// Spread is the interquartile range relative to the median: robust to the
// odd round a background job disturbed, unlike max-min.
func (d Dist) Spread() float64 {
	if d.Median == 0 {
		return 0
	}
	return (d.P75 - d.P25) / d.Median
}

func distOf(xs []float64) Dist {
	if len(xs) == 0 {
		return Dist{}
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	return Dist{Median: quantile(s, 0.5), P25: quantile(s, 0.25), P75: quantile(s, 0.75), Min: s[0], Max: s[len(s)-1]}
}

// quantile interpolates linearly between the closest ranks of sorted s.
func quantile(s []float64, q float64) float64 {
	pos := q * float64(len(s)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	return s[lo] + (s[hi]-s[lo])*(pos-float64(lo))
}

func median(xs []float64) float64 { return distOf(xs).Median }

// geomean is the geometric mean of the positive xs (0 when there are none).
func geomean(xs []float64) float64 {
	var sum float64
	n := 0
	for _, x := range xs {
		if x > 0 {
			sum += math.Log(x)
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return math.Exp(sum / float64(n))
}

// Summary is one cell's figures: medians over its rounds, per unit (a row
// for PerRow workloads, else an operation).
type Summary struct {
	Rounds     int     `json:"rounds"`
	Unit       string  `json:"unit"`
	Throughput Dist    `json:"throughput"` // units per second
	OpsPerSec  float64 `json:"ops_per_sec"`
	RowsPerSec float64 `json:"rows_per_sec"`
	CPUns      float64 `json:"client_cpu_ns"` // user+sys per unit
	UserNs     float64 `json:"client_user_ns"`
	SysNs      float64 `json:"client_sys_ns"`
	ServerNs   float64 `json:"server_cpu_ns"` // -1: not measured
	Allocs     float64 `json:"allocs"`
	Bytes      float64 `json:"bytes"`
	Syscalls   float64 `json:"rw_syscalls"` // -1: not measured
	// HeapPeak is the largest heap growth of any round, in bytes.
	HeapPeak float64 `json:"heap_growth_max_bytes"`
	// P50ns and P99ns are the medians over rounds of each round's
	// operation latency quantiles (0: not timed).
	P50ns float64 `json:"p50_ns,omitempty"`
	P99ns float64 `json:"p99_ns,omitempty"`
	// Ratios against the row's pgx cell (0 when there is none): medians
	// of the ratios within each round (see addRatios).
	ThroughputRatio float64 `json:"throughput_vs_pgx,omitempty"`
	CPURatio        float64 `json:"client_cpu_vs_pgx,omitempty"`
}

func summarize(wl *Workload, c *Cell) *Summary {
	if len(c.Rounds) == 0 {
		return nil
	}
	var thr, ops, rows, cpu, usr, sys, srv, allocs, bytes, scs, p50, p99 []float64
	srvOK, scOK := true, true
	var heapPeak uint64
	for _, r := range c.Rounds {
		units := units(wl, r)
		if units == 0 {
			continue
		}
		sec := r.Elapsed.Seconds()
		thr = append(thr, units/sec)
		ops = append(ops, float64(r.Ops)/sec)
		rows = append(rows, float64(r.Rows)/sec)
		cpu = append(cpu, float64(r.User+r.Sys)/units)
		usr = append(usr, float64(r.User)/units)
		sys = append(sys, float64(r.Sys)/units)
		allocs = append(allocs, float64(r.Mallocs)/units)
		bytes = append(bytes, float64(r.Bytes)/units)
		if r.Server < 0 {
			srvOK = false
		} else {
			srv = append(srv, float64(r.Server)/units)
		}
		heapPeak = max(heapPeak, r.HeapGrowth)
		if r.P99 > 0 {
			p50 = append(p50, float64(r.P50))
			p99 = append(p99, float64(r.P99))
		}
		if r.Syscalls < 0 {
			scOK = false
		} else {
			scs = append(scs, float64(r.Syscalls)/units)
		}
	}
	s := &Summary{
		Rounds: len(c.Rounds), Unit: wl.Unit,
		Throughput: distOf(thr), OpsPerSec: median(ops), RowsPerSec: median(rows),
		CPUns: median(cpu), UserNs: median(usr), SysNs: median(sys),
		Allocs: median(allocs), Bytes: median(bytes),
		ServerNs: -1, Syscalls: -1, HeapPeak: float64(heapPeak),
		P50ns: median(p50), P99ns: median(p99),
	}
	if srvOK {
		s.ServerNs = median(srv)
	}
	if scOK {
		s.Syscalls = median(scs)
	}
	return s
}

// addRatios fills each summary's ratios against the baseline cell. Each
// is the median over rounds of the ratio within a round: a driver's round i
// ran right next to the baseline's round i, so the two saw the same load on
// the machine, and a burst of other work that slows both cancels out where
// a ratio of the two medians would not.
func addRatios(wl *Workload, cells []*Cell, sums map[*Cell]*Summary) {
	bc := baseline(cells)
	if sums[bc] == nil {
		return
	}
	for _, c := range cells {
		s := sums[c]
		if s == nil {
			continue
		}
		var thr, cpu []float64
		for i := 0; i < len(c.Rounds) && i < len(bc.Rounds); i++ {
			a, b := c.Rounds[i], bc.Rounds[i]
			au, bu := units(wl, a), units(wl, b)
			if au == 0 || bu == 0 || a.Elapsed <= 0 || b.Elapsed <= 0 {
				continue
			}
			thr = append(thr, (au/a.Elapsed.Seconds())/(bu/b.Elapsed.Seconds()))
			if bcpu := float64(b.User+b.Sys) / bu; bcpu > 0 {
				cpu = append(cpu, (float64(a.User+a.Sys)/au)/bcpu)
			}
		}
		if len(thr) > 0 {
			s.ThroughputRatio = median(thr)
		}
		if len(cpu) > 0 {
			s.CPURatio = median(cpu)
		}
	}
}

// units is what a round's per-unit figures divide by: rows for PerRow
// workloads, else operations.
func units(wl *Workload, r Sample) float64 {
	if wl.PerRow {
		return float64(r.Rows)
	}
	return float64(r.Ops)
}
