package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"runtime"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Bench is one run's shared state: the server, the admin connection that
// sets tables up and finds backends, and the input data.
type Bench struct {
	dsn   string
	admin *pgx.Conn
	data  *Data
	notes []string
}

// newBench connects the admin connection. pgx is used for it because it is
// the reference the others are measured against, and so a bug in pg under
// test cannot break the harness itself.
func newBench(ctx context.Context, dsn string) (*Bench, error) {
	admin, err := pgx.Connect(ctx, withAppName(dsn, "bench-admin"))
	if err != nil {
		return nil, fmt.Errorf("connect to the benchmark server: %w", err)
	}
	return &Bench{dsn: dsn, admin: admin, data: &Data{}}, nil
}

func (b *Bench) close() { _ = b.admin.Close(context.Background()) }

// dsnFor returns the DSN a driver connects with: the run's DSN with
// application_name set, which is how backendPIDs finds its backends.
func (b *Bench) dsnFor(driver string) string { return withAppName(b.dsn, appName(driver)) }

// withAppName sets application_name in a URI or key=value DSN. Every
// driver here understands both forms.
func withAppName(dsn, name string) string { return withDSNParam(dsn, "application_name", name) }

// withDSNParam sets key to value (no quoting needed) in a URI or
// key=value DSN.
func withDSNParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err == nil {
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
			return u.String()
		}
	}
	return strings.TrimSpace(dsn) + " " + key + "=" + value
}

// Machine names where the figures come from.
type Machine struct {
	Host      string `json:"host"`
	CPU       string `json:"cpu"`
	CPUs      int    `json:"cpus"`
	GOOS      string `json:"goos"`
	GOARCH    string `json:"goarch"`
	GoVersion string `json:"go_version"`
	Kernel    string `json:"kernel"`
	Server    string `json:"server_version"`
	// LoadStart and LoadEnd are /proc/loadavg's first three fields at the
	// start and end of the run: other work on the machine shows up as
	// spread in throughput, much less in CPU per operation.
	LoadStart string `json:"loadavg_start,omitempty"`
	LoadEnd   string `json:"loadavg_end,omitempty"`
}

// loadAvg returns the 1, 5 and 15 minute load averages, or "".
func loadAvg() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func (b *Bench) machine(ctx context.Context) Machine {
	m := Machine{CPUs: runtime.NumCPU(), GOOS: runtime.GOOS, GOARCH: runtime.GOARCH, GoVersion: runtime.Version()}
	m.Host, _ = os.Hostname()
	m.LoadStart = loadAvg()
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(data))
	}
	_ = b.admin.QueryRow(ctx, "SHOW server_version").Scan(&m.Server)
	return m
}

// progress reports a finished round on standard error: each driver's
// throughput in that round, or its status.
func (b *Bench) progress(wl *Workload, round, rounds int, cells []*Cell) {
	var parts []string
	for _, c := range cells {
		switch {
		case c.Status != "":
			if round == 0 {
				parts = append(parts, c.Driver+" "+firstLine(c.Status))
			}
		case len(c.Rounds) > 0:
			r := c.Rounds[len(c.Rounds)-1]
			units := r.Ops
			if wl.PerRow {
				units = r.Rows
			}
			parts = append(parts, fmt.Sprintf("%s %s/s", c.Driver, rate(float64(units)/r.Elapsed.Seconds())))
		}
	}
	fmt.Fprintf(os.Stderr, "  %s round %d/%d: %s\n", wl.Name, round+1, rounds, strings.Join(parts, ", "))
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return s
}
