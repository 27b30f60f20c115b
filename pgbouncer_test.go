package pg_test

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// startPgBouncer starts PgBouncer in front of srv for one test. A missing
// pgbouncer binary fails the test (CI installs it), it does not skip.
func startPgBouncer(t *testing.T, srv *pgtest.Server, opts pgtest.PgBouncerOptions) *pgtest.PgBouncer {
	t.Helper()
	b, err := srv.StartPgBouncer(opts)
	require.NoError(t, err)
	t.Cleanup(func() {
		if t.Failed() {
			if log, err := b.LogContents(); err == nil {
				lines := strings.Split(strings.TrimSpace(log), "\n")
				t.Logf("pgbouncer log (last lines of %d):\n%s", len(lines), strings.Join(lines[max(0, len(lines)-15):], "\n"))
			}
		}
		assert.NoError(t, b.Stop())
	})
	return b
}

// bouncerTally counts the outcome of queries run through PgBouncer.
type bouncerTally struct {
	mu      sync.Mutex
	queries int
	wrong   int
	errs    map[string]int // by kind: SQLSTATE and message with quoted names folded
	samples []string       // a few wrong results, for the log
}

// quotedRE matches a quoted name in an error message ("pg_s1c").
var quotedRE = regexp.MustCompile(`"[^"]*"`)

func (b *bouncerTally) add(sql string, want, got int64, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.queries++
	switch {
	case err != nil:
		var pgErr *pg.PgError
		kind := fmt.Sprintf("%T: %v", err, err)
		if errors.As(err, &pgErr) {
			kind = pgErr.Code + " " + pgErr.Message
		}
		if errors.Is(err, context.DeadlineExceeded) {
			kind = "timeout: " + kind
		}
		kind = quotedRE.ReplaceAllString(kind, `"…"`)
		if len(kind) > 160 {
			kind = kind[:160] + "..."
		}
		b.errs[kind]++
	case got != want:
		b.wrong++
		if len(b.samples) < 3 {
			b.samples = append(b.samples, fmt.Sprintf("%q returned %d, want %d", sql, got, want))
		}
	}
}

func (b *bouncerTally) errors() int {
	n := 0
	for _, c := range b.errs {
		n += c
	}
	return n
}

func (b *bouncerTally) report(t *testing.T, name string) {
	t.Helper()
	t.Logf("%s: %d queries, %d wrong results, %d errors", name, b.queries, b.wrong, b.errors())
	kinds := make([]string, 0, len(b.errs))
	for k := range b.errs {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return b.errs[kinds[i]] > b.errs[kinds[j]] })
	for _, k := range kinds {
		t.Logf("  %5d  %s", b.errs[k], k)
	}
	for _, s := range b.samples {
		t.Logf("  wrong: %s", s)
	}
}

// runDistinctStatements is the bug report's load: 16 goroutines share a
// pool of 16 connections, each running 200 queries cycling over its own SQL
// texts, so that the statement cache of every connection gives different
// statements the same names (pg_s1, pg_s2 ...). Every text returns its
// arguments plus a constant unique to it, so a Bind that reaches another
// connection's statement of the same signature returns a wrong value. With
// mixed, every other text takes two parameters.
func runDistinctStatements(t *testing.T, dsn string, mixed bool) *bouncerTally {
	const (
		goroutines = 16
		perG       = 200
		texts      = 5
	)
	ctx := ctxT(t)
	pool, err := pg.CreatePool(ctx, dsn, pg.PoolConfig{MinSize: goroutines, MaxSize: goroutines})
	require.NoError(t, err)
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := pool.Close(cctx); err != nil {
			t.Logf("pool.Close: %v", err)
			pool.Terminate()
		}
	}()

	tally := &bouncerTally{errs: map[string]int{}}
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range perG {
				q := i % texts
				k := int64(1000*(g+1) + q)
				sql := fmt.Sprintf("SELECT $1::int4 + %d", k)
				args := []any{int32(i)}
				want := int64(i) + k
				if mixed && q%2 == 1 {
					sql = fmt.Sprintf("SELECT $1::int4 + $2::int4 + %d", k)
					args = append(args, int32(7))
					want += 7
				}
				qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
				var got int64
				var v int32
				err := pool.QueryRow(qctx, sql, args...).Scan(&v)
				cancel()
				got = int64(v)
				tally.add(sql, want, got, err)
			}
		})
	}
	wg.Wait()
	st := pool.Stats()
	t.Logf("pool: created %d connections, closed %d broken, %d at failed reset",
		st.CreatedConns, st.ClosedBroken, st.ClosedResetFailed)
	return tally
}

// TestPgBouncerDistinctStatements reproduces the report "PgBouncer 1.18 in
// transaction mode, default_pool_size 4, a pg.Pool of 16 connections with
// default settings, 16 goroutines each running their own `SELECT $1::int4 +
// K` 200 times: 661 of 3,200 queries returned a wrong value with no error;
// 2,044 failed with prepared statement "pg_s6" already exists (42P05),
// ... does not exist (26000) or bind message supplies 2 parameters, but
// prepared statement requires 1. With statement_cache_size=0 every query
// fails with unnamed prepared statement does not exist (26000)."
//
// Through any pooler mode and with either cache setting, no query may
// return a wrong value. With the cache off, and in session mode, no query
// may fail. Through transaction mode with the cache on, errors are allowed
// (the driver cannot make named statements survive a pooler that moves
// sessions between transactions) but are logged.
func TestPgBouncerDistinctStatements(t *testing.T) {
	srv := pgtest.Shared()
	for _, tc := range []struct {
		mode     string
		poolSize int // session mode holds a server connection per client
	}{
		{"transaction", 4},
		{"session", 20},
	} {
		for _, cache := range []string{"on", "off"} {
			for _, mixed := range []bool{false, true} {
				name := fmt.Sprintf("%s/cache=%s/mixed=%v", tc.mode, cache, mixed)
				t.Run(name, func(t *testing.T) {
					b := startPgBouncer(t, srv, pgtest.PgBouncerOptions{PoolMode: tc.mode, DefaultPoolSize: tc.poolSize})
					dsn := b.DSN()
					if cache == "off" {
						dsn += "&statement_cache_size=0"
					}
					tally := runDistinctStatements(t, dsn, mixed)
					tally.report(t, name)
					assert.Zero(t, tally.wrong, "wrong results without an error")
					if cache == "off" || tc.mode == "session" {
						assert.Zero(t, tally.errors(), "errors")
					}
				})
			}
		}
	}
}

// TestPgBouncerDefaultResetTransactionMode looks at what the pool's default
// session reset does through PgBouncer in transaction mode, where the
// reset, being its own transaction, runs on whichever server connection
// PgBouncer picks, not necessarily the one the lease used. The server logs
// every statement with its backend's PID, so the test can tell.
func TestPgBouncerDefaultResetTransactionMode(t *testing.T) {
	srv, err := pgtest.Start(pgtest.Options{Conf: []string{"log_statement = 'all'"}})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Stop() })
	b := startPgBouncer(t, srv, pgtest.PgBouncerOptions{PoolMode: "transaction", DefaultPoolSize: 2})

	ctx := ctxT(t)
	pool, err := pg.CreatePool(ctx, b.DSN(), pg.PoolConfig{MinSize: 2, MaxSize: 2})
	require.NoError(t, err)
	defer pool.Terminate()

	// One lease at a time: PgBouncer hands out its most recently used
	// server connection, so lease and reset share a backend.
	var errs []error
	note := func(what string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", what, err))
		}
	}
	for i := range 5 {
		pc, err := pool.Acquire(ctx)
		require.NoError(t, err)
		var pid int32
		note("lease query", pc.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid))
		_, err = pc.Exec(ctx, fmt.Sprintf("SET work_mem = '%dMB'", 5+i)) // what the reset undoes
		note("SET", err)
		note("Release", pc.Release())
	}
	var wm string
	note("SHOW after sequential leases", pool.QueryRow(ctx, "SHOW work_mem").Scan(&wm))
	t.Logf("sequential leases: SHOW work_mem afterwards %q", wm)
	logStatements(t, srv, 0)

	// Two leases interleaved: A's SET lands on backend X; B's transaction
	// then gets X (the most recently used) and sees A's setting; A's reset
	// runs on the other backend, Y, the only one free. What each saw goes
	// into a table through the simple protocol, so that no statement name
	// is involved (see TestPgBouncerDistinctStatements).
	_, err = srv.SQL("CREATE TABLE seen (who text, pid int, work_mem text)")
	require.NoError(t, err)
	const record = "INSERT INTO seen VALUES ('%s', pg_backend_pid(), current_setting('work_mem'))"
	log0 := logLen(t, srv)
	pcA, err := pool.Acquire(ctx)
	require.NoError(t, err)
	pcB, err := pool.Acquire(ctx)
	require.NoError(t, err)
	_, err = pcA.Exec(ctx, "SET work_mem = '77MB'")
	note("A SET", err)
	_, err = pcA.Exec(ctx, fmt.Sprintf(record, "A after its SET"))
	note("A record", err)
	tx, err := pcB.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, fmt.Sprintf(record, "B in its transaction"))
	note("B record", err)
	note("A Release", pcA.Release())
	_, err = pool.Exec(ctx, fmt.Sprintf(record, "A-connection after its reset")) // LIFO: A's connection
	note("pool record", err)
	note("B Commit", tx.Commit(ctx))
	note("B Release", pcB.Release())
	_, err = b.SQL(fmt.Sprintf(record, "psql through PgBouncer at the end"))
	note("psql record", err)
	seen, err := srv.SQL("SELECT who, pid, work_mem FROM seen")
	require.NoError(t, err)
	t.Logf("interleaved leases, who|backend|work_mem:\n  %s", strings.ReplaceAll(seen, "\n", "\n  "))
	logStatements(t, srv, log0)

	st := pool.Stats()
	t.Logf("pool: created %d, closed broken %d, closed at failed reset %d; errors: %v",
		st.CreatedConns, st.ClosedBroken, st.ClosedResetFailed, errs)
	assert.Empty(t, errs)
}

func logLen(t *testing.T, srv *pgtest.Server) int {
	log, err := srv.LogContents()
	require.NoError(t, err)
	return len(log)
}

// logStatements logs, from byte from of the server log on, the statements
// the reset test ran, each with its backend's PID; "reset" stands for the
// pool's default reset.
func logStatements(t *testing.T, srv *pgtest.Server, from int) {
	t.Helper()
	log, err := srv.LogContents()
	require.NoError(t, err)
	stmtRE := regexp.MustCompile(`\[(\d+)\] .*(?:statement|execute [^:]*): (.*)`)
	var trail []string
	for _, line := range strings.Split(log[from:], "\n") {
		m := stmtRE.FindStringSubmatch(line)
		switch {
		case m == nil:
		case strings.HasPrefix(m[2], "BEGIN ISOLATION LEVEL READ COMMITTED;"):
			trail = append(trail, m[1]+" reset")
		case strings.HasPrefix(m[2], "INSERT INTO seen"):
			trail = append(trail, m[1]+" "+m[2][strings.Index(m[2], "'"):strings.Index(m[2], "',")+1])
		case strings.Contains(m[2], "work_mem"), strings.Contains(m[2], "pg_backend_pid"),
			m[2] == "BEGIN", m[2] == "COMMIT", strings.HasPrefix(m[2], "ROLLBACK"):
			trail = append(trail, m[1]+" "+m[2])
		}
	}
	t.Logf("server statements by backend PID:\n  %s", strings.Join(trail, "\n  "))
}

// everyPath runs one query through one of the driver's paths that binds a
// statement, returning the value the query computed. Each path's SQL is
// its own and returns its argument plus k, so a Bind that reaches another
// statement shows as a wrong value.
type everyPath struct {
	name string
	run  func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error)
}

// longSQL pads a query past max_cacheable_statement_size (15 KiB by
// default), so it runs as the unnamed statement even with the cache on.
func longSQL(sql string) string {
	return sql + " /* " + strings.Repeat("x", 16<<10) + " */"
}

var everyPaths = []everyPath{
	{"QueryRow", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var v int64
		err := p.QueryRow(ctx, fmt.Sprintf("SELECT $1::int8 + %d", k), arg).Scan(&v)
		return v, err
	}},
	{"uncacheable", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var v int64
		err := p.QueryRow(ctx, longSQL(fmt.Sprintf("SELECT $1::int8 + %d", k)), arg).Scan(&v)
		return v, err
	}},
	{"Iter", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var sum int64
		for rec, err := range p.IterFetchSize(ctx, 2, fmt.Sprintf("SELECT $1::int8 + %d FROM generate_series(1, 3)", k), arg) {
			if err != nil {
				return 0, err
			}
			sum += rec.Value(0).(int64)
		}
		return sum / 3, nil
	}},
	{"Prepare", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		pc, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		defer pc.Release()
		s, err := pc.Prepare(ctx, fmt.Sprintf("SELECT $1::int8 + %d", k))
		if err != nil {
			return 0, err
		}
		var v int64
		err = s.QueryRow(ctx, arg).Scan(&v)
		return v, err
	}},
	{"SendBatch", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		pc, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		defer pc.Release()
		var b pg.Batch
		b.Queue(fmt.Sprintf("SELECT $1::int8 + %d", k), arg)
		b.Queue(fmt.Sprintf("SELECT $1::int8 + %d + 1", k), arg)
		br, err := pc.SendBatch(ctx, &b)
		if err != nil {
			return 0, err
		}
		var v1, v2 int64
		err = br.QueryRow().Scan(&v1)
		if err == nil {
			err = br.QueryRow().Scan(&v2)
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		if err == nil && v2 != v1+1 {
			return 0, fmt.Errorf("the batch's second statement gave %d after %d", v2, v1)
		}
		return v1, err
	}},
	{"Tx", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var v int64
		err := pg.WithTx(ctx, p, pg.TxOptions{}, func(tx *pg.Tx) error {
			return tx.QueryRow(ctx, fmt.Sprintf("SELECT $1::int8 + %d", k), arg).Scan(&v)
		})
		return v, err
	}},
	{"Cursor", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var v int64
		err := pg.WithTx(ctx, p, pg.TxOptions{}, func(tx *pg.Tx) error {
			cur, err := tx.Cursor(ctx, fmt.Sprintf("SELECT $1::int8 + %d", k), arg)
			if err != nil {
				return err
			}
			rec, err := cur.FetchRow(ctx)
			if err != nil {
				return err
			}
			v = rec.Value(0).(int64)
			return nil
		})
		return v, err
	}},
	{"ExecMany", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		// The rows go to a temporary table of the transaction, read back
		// in it: a pooler keeps a transaction on one server connection.
		var v int64
		err := pg.WithTx(ctx, p, pg.TxOptions{}, func(tx *pg.Tx) error {
			if _, err := tx.Exec(ctx, "CREATE TEMP TABLE em (v int8) ON COMMIT DROP"); err != nil {
				return err
			}
			if err := tx.ExecMany(ctx, fmt.Sprintf("INSERT INTO em VALUES ($1::int8 + %d)", k), [][]any{{arg}, {arg}}); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "SELECT sum(v) / 2 FROM em").Scan(&v)
		})
		return v, err
	}},
	{"CopyRecordsToTable", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var v int64
		err := pg.WithTx(ctx, p, pg.TxOptions{}, func(tx *pg.Tx) error {
			if _, err := tx.Exec(ctx, "CREATE TEMP TABLE cp (v int8) ON COMMIT DROP"); err != nil {
				return err
			}
			if _, err := tx.CopyRecordsToTable(ctx, "cp", nil, pg.CopyFromRows([][]any{{int64(arg) + k}})); err != nil {
				return err
			}
			return tx.QueryRow(ctx, "SELECT v FROM cp").Scan(&v)
		})
		return v, err
	}},
	{"CopyFromQuery", func(ctx context.Context, p *pg.Pool, k int64, arg int32) (int64, error) {
		var out strings.Builder
		if _, err := p.CopyFromQuery(ctx, fmt.Sprintf("SELECT $1::int8 + %d", k), &out, pg.CopyOptions{}, arg); err != nil {
			return 0, err
		}
		var v int64
		_, err := fmt.Sscan(out.String(), &v)
		return v, err
	}},
}

// TestPgBouncerEveryPath runs every path that binds a statement through
// PgBouncer in transaction mode, many goroutines at once: never a wrong
// value, and with the statement cache off never an error either.
func TestPgBouncerEveryPath(t *testing.T) {
	srv := pgtest.Shared()
	b := startPgBouncer(t, srv, pgtest.PgBouncerOptions{PoolMode: "transaction", DefaultPoolSize: 3})
	for _, cache := range []string{"on", "off"} {
		t.Run("cache="+cache, func(t *testing.T) {
			dsn := b.DSN()
			if cache == "off" {
				dsn += "&statement_cache_size=0"
			}
			ctx := ctxT(t)
			pool, err := pg.CreatePool(ctx, dsn, pg.PoolConfig{MinSize: 8, MaxSize: 8,
				Reset: func(context.Context, *pg.Conn) error { return nil }})
			require.NoError(t, err)
			defer pool.Terminate()
			tallies := make([]*bouncerTally, len(everyPaths))
			for i := range tallies {
				tallies[i] = &bouncerTally{errs: map[string]int{}}
			}
			var wg sync.WaitGroup
			for g := range 8 {
				wg.Go(func() {
					for i := range 60 {
						pi := (g + i) % len(everyPaths)
						k := int64(1000*(g+1) + i%4)
						qctx, cancel := context.WithTimeout(ctx, 20*time.Second)
						got, err := everyPaths[pi].run(qctx, pool, k, int32(i))
						cancel()
						tallies[pi].add(everyPaths[pi].name, int64(i)+k, got, err)
					}
				})
			}
			wg.Wait()
			for i, tl := range tallies {
				tl.report(t, everyPaths[i].name)
				assert.Zero(t, tl.wrong, "%s: wrong results without an error", everyPaths[i].name)
				if cache == "off" {
					assert.Zero(t, tl.errors(), "%s: errors with the cache off", everyPaths[i].name)
				}
			}
		})
	}
}
