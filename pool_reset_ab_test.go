package pg

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirepg/pg/pgtest"
)

// BenchmarkSessionResetAB compares ways of resetting a pooled session,
// interleaved round by round (the machine is noisy): 64 goroutines on a
// pool of 16 run Acquire + SELECT 1 + Release for a fixed time per round.
// It prints each variant's throughput and the server CPU per operation,
// read from /proc/<backend pid>/schedstat (so the server must be local).
// b.N is ignored: run it with -benchtime 1x.
//
//	go test -run '^$' -bench SessionResetAB -benchtime 1x .
//
// Variants (PG_RESET_AB_VARIANTS, comma-separated; default
// full,default,no-reset): default is the pool's reset as it is; full
// always sends RESET SESSION AUTHORIZATION (the reset before sessionReset
// could leave it out); no-reset has a Reset hook that does nothing, the
// floor; tracked and never are ResetTracked and ResetNever (a SELECT 1
// lease changes nothing, so tracked sends no reset either). The parts map below names reset scripts run instead of the
// default one, to see what each statement costs. PG_RESET_AB_ROUNDS and
// PG_RESET_AB_SECONDS change the 6 rounds of 2 s.
func BenchmarkSessionResetAB(b *testing.B) {
	rounds := envInt("PG_RESET_AB_ROUNDS", 6)
	secs := envInt("PG_RESET_AB_SECONDS", 2)
	ctx := context.Background()
	type variant struct {
		name  string
		pool  *Pool
		pids  *[]int
		ops   []float64 // per second, per round
		cpuNs []float64 // server ns per op, per round
	}
	newVariant := func(name string, pc PoolConfig, full bool, script string) *variant {
		v := &variant{name: name, pids: new([]int)}
		var mu sync.Mutex
		pc.MinSize, pc.MaxSize, pc.MaxQueries = 16, 16, -1
		pc.Init = func(ctx context.Context, c *Conn) error {
			if full { // always RESET SESSION AUTHORIZATION, as before
				c.poolReset.loginAuth = ""
			}
			if strings.Contains(script, "EXECUTE pg_reset_unlock") {
				if _, err := c.Exec(ctx, "PREPARE pg_reset_unlock AS SELECT pg_advisory_unlock_all()"); err != nil {
					return err
				}
			}
			mu.Lock()
			*v.pids = append(*v.pids, int(c.ServerPID()))
			mu.Unlock()
			return nil
		}
		p, err := CreatePool(ctx, pgtest.Shared().DSN(), pc)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(p.Terminate)
		if script != "" {
			p.mu.Lock()
			for h := range p.all {
				h.resetSQL = script
			}
			p.mu.Unlock()
		}
		v.pool = p
		return v
	}
	noReset := PoolConfig{Reset: func(context.Context, *Conn) error { return nil }}
	// Parts of the reset alone, on the simple protocol, to see what costs.
	parts := map[string]string{
		"empty":       ";",
		"beg-com":     "BEGIN; COMMIT",
		"no-advis":    "BEGIN ISOLATION LEVEL READ COMMITTED; RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; CLOSE ALL; UNLISTEN *; COMMIT",
		"advis":       "SELECT pg_advisory_unlock_all()",
		"no-role":     "BEGIN ISOLATION LEVEL READ COMMITTED; RESET ALL; SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; COMMIT",
		"bc-resetall": "BEGIN; RESET ALL; COMMIT",
		"bc-sa":       "BEGIN; RESET SESSION AUTHORIZATION; COMMIT",
		"bc-role":     "BEGIN; RESET ROLE; COMMIT",
		"bc-close":    "BEGIN; CLOSE ALL; COMMIT",
		"bc-unlisten": "BEGIN; UNLISTEN *; COMMIT",
		"bc-advis":    "BEGIN; SELECT pg_advisory_unlock_all(); COMMIT",
		"bc-discard":  "BEGIN; DISCARD TEMP; COMMIT",
		// ResetTracked's partial forms after a SET and after a LISTEN.
		"after-set":    "BEGIN ISOLATION LEVEL READ COMMITTED; RESET ROLE; RESET ALL; COMMIT",
		"after-listen": "BEGIN ISOLATION LEVEL READ COMMITTED; UNLISTEN *; COMMIT",
		// SQL-level PREPARE once (in Init), EXECUTE at each reset: about
		// 5% less server CPU per operation, but rejected: a user's
		// DEALLOCATE ALL or DISCARD ALL, or a transaction-mode pooler
		// between us and the server, would make the reset fail.
		"exec-prep": "BEGIN ISOLATION LEVEL READ COMMITTED; RESET ROLE; RESET ALL; EXECUTE pg_reset_unlock; CLOSE ALL; UNLISTEN *; COMMIT",
		"no-sa":     "BEGIN ISOLATION LEVEL READ COMMITTED; RESET ROLE; RESET ALL; SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; COMMIT",
	}
	want := strings.Split(os.Getenv("PG_RESET_AB_VARIANTS"), ",")
	if want[0] == "" {
		want = []string{"full", "default", "no-reset"}
	}
	var vs []*variant
	for _, w := range want {
		switch w {
		case "default":
			vs = append(vs, newVariant(w, PoolConfig{}, false, ""))
		case "full":
			vs = append(vs, newVariant(w, PoolConfig{}, true, ""))
		case "no-reset":
			vs = append(vs, newVariant(w, noReset, false, ""))
		case "tracked":
			vs = append(vs, newVariant(w, PoolConfig{ResetMode: ResetTracked}, false, ""))
		case "never":
			vs = append(vs, newVariant(w, PoolConfig{ResetMode: ResetNever}, false, ""))
		default:
			sql, ok := parts[w]
			if !ok {
				b.Fatalf("PG_RESET_AB_VARIANTS: no variant %q", w)
			}
			vs = append(vs, newVariant(w, PoolConfig{}, true, sql))
		}
	}
	for r := 0; r < rounds; r++ {
		for _, v := range vs {
			poolRound(b, v.pool, 200*time.Millisecond) // warm up: statements prepared, caches hot
			before, ok := schedNs(*v.pids)
			if !ok {
				b.Skip("backend CPU unreadable: the server is not a local process")
			}
			start := time.Now()
			n := poolRound(b, v.pool, time.Duration(secs)*time.Second)
			el := time.Since(start)
			after, _ := schedNs(*v.pids)
			v.ops = append(v.ops, float64(n)/el.Seconds())
			v.cpuNs = append(v.cpuNs, float64(after-before)/float64(n))
		}
	}
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "\n%-9s ops/s median %6.0f %v\n%-9s server ns/op median %6.0f %v",
			v.name, median(v.ops), roundAll(v.ops), "", median(v.cpuNs), roundAll(v.cpuNs))
		b.ReportMetric(median(v.ops), v.name+"-ops/s")
		b.ReportMetric(median(v.cpuNs), v.name+"-server-ns/op")
	}
	fmt.Println(sb.String())
}

// poolRound runs 64 goroutines of Acquire + SELECT 1 + Release for d and
// returns how many operations completed.
func poolRound(b *testing.B, p *Pool, d time.Duration) int64 {
	ctx := context.Background()
	var n atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				pc, err := p.Acquire(ctx)
				if err != nil {
					b.Error(err)
					return
				}
				var one int32
				if err := pc.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
					b.Error(err)
				}
				_ = pc.Release()
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return n.Load()
}

// schedNs sums the run time of the processes pids, in nanoseconds, from
// /proc/<pid>/schedstat.
func schedNs(pids []int) (int64, bool) {
	var sum int64
	for _, pid := range pids {
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/schedstat")
		if err != nil {
			return 0, false
		}
		f := strings.Fields(string(raw))
		if len(f) == 0 {
			return 0, false
		}
		ns, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, false
		}
		sum += ns
	}
	return sum, len(pids) > 0
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func roundAll(xs []float64) []int {
	out := make([]int, len(xs))
	for i, x := range xs {
		out[i] = int(x + 0.5)
	}
	return out
}
