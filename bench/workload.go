package main

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Workload is one benchmark scenario. The drivers' code for it lives in
// the drivers_*.go files, registered under Name.
type Workload struct {
	Name string
	Desc string
	// Workers is how many goroutines run operations at once (1 for the
	// single-connection workloads).
	Workers int
	// PerRow reports throughput and per-operation costs per row rather
	// than per operation (a query, a transaction, a COPY).
	PerRow bool
	// Unit names what per-operation figures count: "query", "row", "tx".
	Unit string
	// Drivers are the drivers run by default, in report order; the first
	// pgx one is the baseline of the ratios.
	Drivers []string
	// Setup runs once on the admin connection before any driver (create
	// tables); Teardown after all of them.
	Setup, Teardown string
	// BeforeRound runs on the admin connection before every round and
	// warm-up, outside the measured time (TRUNCATE, so tables stay small).
	BeforeRound string
	// MagicStack marks the seven queries of MagicStack's pgbench suite,
	// whose geometric mean is reported too.
	MagicStack bool
	// MSTyped marks the typed-Scan variants of the MagicStack reads
	// (ms-typed-*), whose suite is summarised apart (see inTypedSuite).
	MSTyped bool
	// OptIn workloads run only when named: they take minutes.
	OptIn bool
	// Latency times every operation (two clock reads each) for the p50
	// and p99 columns.
	Latency bool
}

// Driver names. Each connects with application_name "bench-<name>".
const (
	drvPG        = "pg"
	drvPGX       = "pgx"
	drvPGXPool   = "pgxpool"
	drvLibPQ     = "libpq"
	drvPGXStdlib = "pgx-stdlib"
	drvPGStdlib  = "pg-stdlib"
	// drvPGNoReset is pg.Pool with ResetMode ResetNever: no session reset
	// at release, which is what pgxpool and database/sql do. The pg cell
	// keeps the default, ResetAlways (asyncpg's reset at every release).
	drvPGNoReset = "pg-noreset"
	// drvPGResetTracked is pg.Pool with ResetMode ResetTracked: the reset
	// runs only after a lease that visibly changed session state.
	drvPGResetTracked = "pg-reset-tracked"
	// drvPGNoCache is pg with statement_cache_size=0, the setting for a
	// pooler in transaction mode: every query describes its statement and
	// parses it again in the unit that binds it (two round trips).
	drvPGNoCache = "pg-nocache"
	// drvPGMux is pg.Pool with PoolConfig.MultiplexConns: a quarter of
	// the pool row's connections, each carrying many goroutines' queries
	// pipelined (pool-mux).
	drvPGMux = "pg-mux"
)

var allDrivers = []string{drvPG, drvPGX, drvPGXPool, drvLibPQ, drvPGXStdlib, drvPGStdlib, drvPGNoReset, drvPGNoCache, drvPGMux, drvPGResetTracked}

func appName(driver string) string { return "bench-" + driver }

// baseline returns the driver ratios are taken against in a row of cells.
func baseline(cells []*Cell) *Cell {
	for _, c := range cells {
		if c.Driver == drvPGX || c.Driver == drvPGXPool {
			return c
		}
	}
	return nil
}

func (wl *Workload) setup(ctx context.Context, admin *pgx.Conn) error {
	return execScript(ctx, admin, wl.Setup)
}

func (wl *Workload) teardown(ctx context.Context, admin *pgx.Conn) {
	_ = execScript(ctx, admin, wl.Teardown)
}

func (wl *Workload) beforeRound(ctx context.Context, admin *pgx.Conn) error {
	return execScript(ctx, admin, wl.BeforeRound)
}

// execScript runs a simple-protocol script (several statements allowed).
func execScript(ctx context.Context, admin *pgx.Conn, sql string) error {
	if strings.TrimSpace(sql) == "" {
		return nil
	}
	_, err := admin.PgConn().Exec(ctx, sql).ReadAll()
	return err
}

// selectWorkloads picks workloads by comma-separated names; "all" (or
// empty) is every workload but the opt-in ones, "magicstack" the seven
// ms-* ones and "ms-typed" the typed suite (the five ms-typed-* reads and
// the two writes).
func selectWorkloads(spec string) ([]*Workload, []string) {
	if spec == "" || spec == "all" {
		var out []*Workload
		for _, wl := range workloads {
			if !wl.OptIn {
				out = append(out, wl)
			}
		}
		return out, nil
	}
	var out []*Workload
	var unknown []string
	seen := map[string]bool{}
	add := func(wl *Workload) {
		if !seen[wl.Name] {
			seen[wl.Name] = true
			out = append(out, wl)
		}
	}
	for _, name := range strings.Split(spec, ",") {
		name = strings.TrimSpace(name)
		found := false
		for _, wl := range workloads {
			if wl.Name == name || (name == "magicstack" && wl.MagicStack) || (name == "ms-typed" && inTypedSuite(wl)) {
				add(wl)
				found = true
			}
		}
		if !found {
			unknown = append(unknown, name)
		}
	}
	return out, unknown
}
