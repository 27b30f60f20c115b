// Command bench runs the same workloads through pg, pgx v5 (native and
// pgxpool), lib/pq and the database/sql adapters of pgx and pg, interleaved
// over rounds, and prints one table of throughput, client and server CPU,
// allocations and the ratio against pgx.
//
//	cd bench && go run . [-workload point,rows-large] [-rounds 10] [-dsn ...] [-unix] [-json FILE]
//
// Without -dsn it starts a throwaway server through pgtest (initdb, a free
// loopback port, fsync off) and stops it at the end. Client and server then
// share the machine, so throughput is bounded by both; client CPU per
// operation is the figure that tells drivers apart.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"github.com/wirepg/pg/pgtest"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	workload   string
	drivers    string
	rounds     int
	round      time.Duration
	warmup     time.Duration
	dsn        string
	unix       bool
	json       string
	report     string
	cpuprofile string
	memprofile string
	list       bool
}

func parseFlags() *options {
	o := &options{}
	flag.StringVar(&o.workload, "workload", "all", "comma-separated workloads to run; \"magicstack\" selects the seven ms-* ones (-list shows them)")
	flag.StringVar(&o.drivers, "drivers", "", "comma-separated drivers to run instead of each workload's defaults ("+strings.Join(allDrivers, ", ")+")")
	flag.IntVar(&o.rounds, "rounds", 10, "measured rounds per workload and driver, interleaved")
	flag.DurationVar(&o.round, "round", time.Second, "measured time per round per driver (at least one operation)")
	flag.DurationVar(&o.warmup, "warmup", 300*time.Millisecond, "unmeasured time per driver before its first round (at least one operation; 0 skips it)")
	flag.StringVar(&o.dsn, "dsn", "", "server to benchmark against (URI or key=value); empty starts one through pgtest")
	flag.BoolVar(&o.unix, "unix", false, "connect over the unix socket of the server pgtest starts (with -dsn, give a host=/dir DSN instead)")
	flag.StringVar(&o.json, "json", "", "also write the results as JSON to this file; \"-\" writes them to standard output instead of the table")
	flag.StringVar(&o.report, "report", "", "print the table of a run saved with -json FILE, and run nothing")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write a CPU profile of the measured rounds to this file; samples carry pprof labels workload and driver (go tool pprof -tagfocus=driver=pg ...)")
	flag.StringVar(&o.memprofile, "memprofile", "", "write an allocation profile to this file at the end")
	flag.BoolVar(&o.list, "list", false, "list the workloads and exit")
	flag.Parse()
	return o
}

func run() error {
	o := parseFlags()
	if o.list {
		for _, wl := range workloads {
			opt := ""
			if wl.OptIn {
				opt = " (only when named)"
			}
			fmt.Printf("%-25s %s%s\n", wl.Name, wl.Desc, opt)
		}
		return nil
	}
	if o.report != "" {
		return printSaved(o.report)
	}
	if flag.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; flags only (see -h)", flag.Args())
	}
	if o.rounds < 1 {
		return fmt.Errorf("-rounds must be at least 1, not %d", o.rounds)
	}
	if o.round <= 0 {
		return fmt.Errorf("-round must be positive, not %v", o.round)
	}
	if o.unix && o.dsn != "" {
		return errors.New("-unix applies to the server bench starts; with -dsn, give a DSN with host=/socket/dir instead")
	}
	wls, unknown := selectWorkloads(o.workload)
	if len(unknown) > 0 {
		return fmt.Errorf("unknown workload(s) %s; -list shows them", strings.Join(unknown, ", "))
	}
	var drivers []string
	if o.drivers != "" {
		for _, d := range strings.Split(o.drivers, ",") {
			d = strings.TrimSpace(d)
			if !isDriver(d) {
				return fmt.Errorf("unknown driver %q; choose from %s", d, strings.Join(allDrivers, ", "))
			}
			drivers = append(drivers, d)
		}
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dsn, transport, srv, err := serverDSN(o)
	if err != nil {
		return err
	}
	if srv != nil {
		defer srv.Stop()
	}
	b, err := newBench(ctx, dsn)
	if err != nil {
		return err
	}
	defer b.close()

	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return err
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}

	s := Settings{Rounds: o.rounds, Round: o.round, Warmup: o.warmup, Drivers: drivers, Labels: o.cpuprofile != ""}
	res := &Result{
		Command: strings.Join(os.Args, " "),
		Machine: b.machine(ctx),
		Settings: JSONSettings{
			Rounds: o.rounds, RoundSec: o.round.Seconds(), WarmupSec: o.warmup.Seconds(), Transport: transport,
		},
	}
	if s.Labels {
		res.Notes = append(res.Notes, "CPU profile on: pprof labels cost a little on every operation")
	}
	start := time.Now()
	byWorkload := map[string][]*Cell{}
	for _, wl := range wls {
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintf(os.Stderr, "== %s: %s\n", wl.Name, wl.Desc)
		cells := runWorkload(ctx, b, wl, s)
		b.data.Release()
		byWorkload[wl.Name] = cells
		res.Cells = append(res.Cells, cellResults(wl, cells)...)
	}
	res.Machine.LoadEnd = loadAvg()
	res.MagicStack = magicStackSummary(res.Cells)
	res.MagicStackTyped = typedSuiteSummary(res.Cells)
	res.Notes = append(res.Notes, b.notes...)
	res.Notes = append(res.Notes, fmt.Sprintf("run took %v", time.Since(start).Round(time.Second)))

	if o.memprofile != "" {
		if err := writeMemProfile(o.memprofile); err != nil {
			return err
		}
	}
	if o.json != "" {
		if err := writeJSON(o.json, res); err != nil {
			return err
		}
		if o.json == "-" {
			return ctx.Err()
		}
	}
	printHeader(os.Stdout, res)
	printTable(os.Stdout, res)
	return ctx.Err()
}

func isDriver(d string) bool {
	for _, x := range allDrivers {
		if x == d {
			return true
		}
	}
	return false
}

// serverDSN returns the DSN to benchmark against and, when it started one,
// the pgtest server.
func serverDSN(o *options) (dsn, transport string, srv *pgtest.Server, err error) {
	if o.dsn != "" {
		transport = "tcp"
		if isUnixDSN(o.dsn) {
			transport = "unix"
		}
		return o.dsn, transport, nil, nil
	}
	fmt.Fprintln(os.Stderr, "starting a throwaway server (pgtest)...")
	srv, err = pgtest.Start(pgtest.Options{
		// Room for the pool row's 16 connections per driver plus the
		// MagicStack suite's 10 per driver, and shared buffers that hold
		// the COPY table.
		Conf: []string{"max_connections = 300", "shared_buffers = 256MB", "log_connections = off", "log_disconnections = off"},
	})
	if err != nil {
		return "", "", nil, err
	}
	if o.unix {
		return srv.UnixDSN(), "unix", srv, nil
	}
	return srv.DSN(), "tcp", srv, nil
}

// isUnixDSN reports whether dsn names a socket directory as its host.
func isUnixDSN(dsn string) bool {
	return strings.Contains(dsn, "host=/") || strings.Contains(dsn, "host=%2F") || strings.Contains(dsn, "@%2F")
}

// writeJSON writes res to path, or to standard output for "-".
func writeJSON(path string, res *Result) error {
	out := os.Stdout
	if path != "-" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		defer f.Close()
		out = f
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// printSaved prints the table of a run written by -json.
func printSaved(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var res Result
	if err := json.Unmarshal(data, &res); err != nil {
		return fmt.Errorf("%s is not a bench -json file: %w", path, err)
	}
	printHeader(os.Stdout, &res)
	printTable(os.Stdout, &res)
	return nil
}

func writeMemProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	runtime.GC()
	return pprof.Lookup("allocs").WriteTo(f, 0)
}
