package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"sync"
	"sync/atomic"
	"time"
)

// Runner is one driver set up for one workload: its connections are open
// and stay open across every round, so statement caches are warm after the
// first operations.
type Runner interface {
	// Op runs one operation as worker w (0 ≤ w < Workload.Workers) and
	// returns how many rows it read or wrote. Workers run concurrently;
	// each uses only its own connection, or a shared pool.
	Op(ctx context.Context, w int) (rows int, err error)
	// Close releases the runner's connections.
	Close()
}

// Factory opens a Runner for one workload on one driver.
type Factory func(ctx context.Context, env *Env) (Runner, error)

// Env is what a Factory gets: where to connect and the shared input data.
type Env struct {
	// DSN connects to the benchmark server with application_name set to
	// this driver's name, so the harness can find its backends.
	DSN      string
	Workload *Workload
	Data     *Data
}

// runnerFunc adapts an op function and a close function to Runner.
type runnerFunc struct {
	op    func(ctx context.Context, w int) (int, error)
	close func()
}

func (r runnerFunc) Op(ctx context.Context, w int) (int, error) { return r.op(ctx, w) }

func (r runnerFunc) Close() {
	if r.close != nil {
		r.close()
	}
}

// impls maps workload name → driver name → Factory. Driver files fill it
// from init, so a driver whose API is missing (a drivers_pg_*.go file behind its build tag) simply
// leaves its cells empty and the report shows n/a.
var impls = map[string]map[string]Factory{}

func register(workload, driver string, f Factory) {
	m := impls[workload]
	if m == nil {
		m = map[string]Factory{}
		impls[workload] = m
	}
	m[driver] = f
}

// Settings are the run's knobs, from the command line.
type Settings struct {
	Rounds  int
	Round   time.Duration // measured time per round per cell
	Warmup  time.Duration // unmeasured time per cell before its first round
	Drivers []string      // empty means each workload's defaults
	Labels  bool          // add pprof labels (workload, driver) around ops
}

// Cell is one workload × driver: every measured round, or why there is none.
type Cell struct {
	Workload string
	Driver   string
	Status   string // "" when measured, else "n/a" or the error
	Rounds   []Sample
}

// runWorkload runs every selected driver of wl through s.Rounds rounds,
// alternating the driver order every round (pg, pgx, pgx, pg, ...) so slow
// drift of the machine hits every driver alike.
func runWorkload(ctx context.Context, b *Bench, wl *Workload, s Settings) []*Cell {
	drivers := wl.Drivers
	if len(s.Drivers) > 0 {
		drivers = s.Drivers
	}
	if err := wl.setup(ctx, b.admin); err != nil {
		cells := make([]*Cell, len(drivers))
		for i, d := range drivers {
			cells[i] = &Cell{Workload: wl.Name, Driver: d, Status: "setup: " + err.Error()}
		}
		return cells
	}
	defer wl.teardown(ctx, b.admin)

	type active struct {
		cell   *Cell
		runner Runner
	}
	var cells []*Cell
	var live []*active
	for _, d := range drivers {
		c := &Cell{Workload: wl.Name, Driver: d}
		cells = append(cells, c)
		f := impls[wl.Name][d]
		if f == nil {
			c.Status = naStatus(wl.Name, d)
			continue
		}
		env := &Env{DSN: b.dsnFor(d), Workload: wl, Data: b.data}
		r, err := f(ctx, env)
		if err != nil {
			c.Status = "open: " + err.Error()
			continue
		}
		a := &active{cell: c, runner: r}
		if err := wl.beforeRound(ctx, b.admin); err != nil {
			c.Status = "setup: " + err.Error()
			r.Close()
			continue
		}
		if s.Warmup > 0 {
			if _, err := measure(ctx, wl, r, s.Warmup, nil, s.Labels, d); err != nil {
				c.Status = "warm-up: " + err.Error()
				r.Close()
				continue
			}
		}
		live = append(live, a)
	}
	defer func() {
		for _, a := range live {
			a.runner.Close()
		}
	}()

	for round := 0; round < s.Rounds; round++ {
		order := make([]*active, 0, len(live))
		for _, a := range live {
			if a.cell.Status == "" {
				order = append(order, a)
			}
		}
		if round%2 == 1 {
			for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
				order[i], order[j] = order[j], order[i]
			}
		}
		for _, a := range order {
			if err := wl.beforeRound(ctx, b.admin); err != nil {
				a.cell.Status = "setup: " + err.Error()
				continue
			}
			pids := b.backendPIDs(ctx, a.cell.Driver)
			smp, err := measure(ctx, wl, a.runner, s.Round, pids, s.Labels, a.cell.Driver)
			if err != nil {
				a.cell.Status = err.Error()
				continue
			}
			a.cell.Rounds = append(a.cell.Rounds, smp)
		}
		b.progress(wl, round, s.Rounds, cells)
	}
	return cells
}

// measure runs wl.Workers workers on r for at least d (and at least one
// operation each) and returns what the round cost. The garbage of earlier
// rounds is collected first, so a round pays only for its own. With pids
// nil it only warms up.
func measure(ctx context.Context, wl *Workload, r Runner, d time.Duration, pids []int, labels bool, driver string) (Sample, error) {
	runtime.GC()
	workers := wl.Workers
	if workers < 1 {
		workers = 1
	}
	type counter struct {
		ops, rows int64
		_         [48]byte // keep workers' counters on separate cache lines
	}
	counts := make([]counter, workers)
	var lat []latencyHist
	if wl.Latency {
		lat = make([]latencyHist, workers)
	}
	var stop atomic.Bool
	var errOnce sync.Once
	var firstErr error

	worker := func(ctx context.Context, w int) {
		c := &counts[w]
		for {
			var start time.Time
			if lat != nil {
				start = time.Now()
			}
			n, err := r.Op(ctx, w)
			if lat != nil {
				lat[w].add(time.Since(start))
			}
			if err != nil {
				errOnce.Do(func() { firstErr = fmt.Errorf("worker %d: %w", w, err) })
				stop.Store(true)
				return
			}
			c.ops++
			c.rows += int64(n)
			if stop.Load() {
				return
			}
		}
	}

	heap := startHeapSampler()
	before := takeSnapshot(pids)
	var wg sync.WaitGroup
	wg.Add(workers)
	for w := 0; w < workers; w++ {
		go func() {
			defer wg.Done()
			if labels {
				pprof.Do(ctx, pprof.Labels("workload", wl.Name, "driver", driver), func(ctx context.Context) { worker(ctx, w) })
			} else {
				worker(ctx, w)
			}
		}()
	}
	timer := time.NewTimer(d)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-timer.C:
		stop.Store(true)
		<-done
	case <-done: // every worker failed
		timer.Stop()
	}
	after := takeSnapshot(pids)
	heapGrowth := heap.growth()
	if firstErr != nil {
		return Sample{}, firstErr
	}
	var ops, rows int64
	for i := range counts {
		ops += counts[i].ops
		rows += counts[i].rows
	}
	smp := diff(before, after, ops, rows, pids != nil)
	smp.HeapGrowth = heapGrowth
	if lat != nil {
		var all latencyHist
		for i := range lat {
			all.merge(&lat[i])
		}
		smp.P50, smp.P99 = all.quantile(0.50), all.quantile(0.99)
	}
	return smp, nil
}
