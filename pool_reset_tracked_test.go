package pg_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// recordedPool is a pool of one connection whose writes are recorded, so
// a test sees which resets the pool sent.
type recordedPool struct {
	*pg.Pool
	rec *writeRecorder
}

func newRecordedPool(t *testing.T, pc pg.PoolConfig) *recordedPool {
	t.Helper()
	cfg := testConfig(t)
	rec := recordFirstDial(cfg)
	pc.MinSize, pc.MaxSize = 1, 1
	pc.Logger = slog.New(slog.DiscardHandler)
	p, err := pg.CreatePoolConfig(ctxT(t), cfg, pc)
	require.NoError(t, err)
	t.Cleanup(p.Terminate)
	rec.take() // the startup, which is not a frontend message as the rest
	return &recordedPool{Pool: p, rec: rec}
}

// sent returns the simple queries written since the last call that
// contain marker ("RESET ALL" for the default reset).
func (p *recordedPool) sent(t *testing.T, marker string) []string {
	t.Helper()
	var out []string
	for _, q := range simpleQueries(t, p.rec.take()) {
		if strings.Contains(q, marker) {
			out = append(out, q)
		}
	}
	return out
}

// serverObject creates an object named prefix and a number of its own on
// the shared server (create and drop have %s for the name), dropped when
// the test ends.
func serverObject(t *testing.T, prefix, create, drop string) string {
	t.Helper()
	admin := connect(t)
	name := fmt.Sprintf("%s_%d", prefix, poolSeq.Add(1))
	_, err := admin.Exec(ctxT(t), fmt.Sprintf(create, name))
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(context.Background(), fmt.Sprintf(drop, name)) })
	return name
}

// resetMarker begins every form of the default reset, and nothing a test
// lease sends.
const resetMarker = "BEGIN ISOLATION LEVEL READ COMMITTED;"

// sessionProbe is one kind of session state: the SQL that reads it, as a
// string, in a session that the reset left clean.
type sessionProbe struct{ name, sql string }

var (
	probeWorkMem   = sessionProbe{"work_mem", "SELECT current_setting('work_mem')"}
	probeTimeZone  = sessionProbe{"TimeZone", "SELECT current_setting('TimeZone')"}
	probeRole      = sessionProbe{"role", "SELECT (current_user = session_user)::text"}
	probeListening = sessionProbe{"LISTEN", "SELECT count(*)::text FROM pg_listening_channels()"}
	probeCursors   = sessionProbe{"cursors", "SELECT count(*)::text FROM pg_cursors"}
	probeAdvisory  = sessionProbe{"advisory locks", "SELECT count(*)::text FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'advisory'"}
)

func probe(t *testing.T, q pg.Querier, pr sessionProbe) string {
	t.Helper()
	v, err := pg.FetchVal[string](ctxT(t), q, pr.sql)
	require.NoError(t, err, pr.sql)
	return v
}

// In ResetTracked mode a lease that changed session state, in any of the
// ways the connection can see, is reset at Release, and the next lease
// finds the state as a fresh session has it. Each case fails without the
// part of the tracking that sees its change: the session would keep it.
func TestPoolResetTrackedChanges(t *testing.T) {
	t.Parallel()
	// A function that changes a reported setting (TimeZone): the text of
	// SELECT fn() does not name set_config.
	fn := serverObject(t, "pool_tracked_tz",
		"CREATE FUNCTION %s() RETURNS text LANGUAGE sql AS $$ SELECT set_config('TimeZone', 'Asia/Tokyo', false) $$",
		"DROP FUNCTION %s()")

	type lease func(t *testing.T, pc *pg.PoolConn)
	exec := func(sqls ...string) lease {
		return func(t *testing.T, pc *pg.PoolConn) {
			for _, sql := range sqls {
				_, err := pc.Exec(ctxT(t), sql)
				require.NoError(t, err, sql)
			}
		}
	}
	cases := []struct {
		name  string
		lease lease
		probe sessionProbe
		// later runs in a second lease after the first was reset; it
		// must be reset too (PREPARE: the statement survives the reset).
		later lease
	}{
		{name: "SET", lease: exec("SET work_mem = '7MB'"), probe: probeWorkMem},
		{name: "SET ROLE", lease: exec("SET ROLE " + pwUser), probe: probeRole},
		{name: "SET SESSION AUTHORIZATION", lease: exec("SET SESSION AUTHORIZATION " + pwUser), probe: probeRole},
		{name: "set_config via SELECT", probe: probeWorkMem, lease: func(t *testing.T, pc *pg.PoolConn) {
			_, err := pg.FetchVal[string](ctxT(t), pc, "SELECT set_config('work_mem', $1, false)", "7MB")
			require.NoError(t, err)
		}},
		{name: "set_config upper case, simple protocol", lease: exec("SELECT pg_catalog.SET_CONFIG('work_mem', '7MB', false)"), probe: probeWorkMem},
		{name: "advisory lock via SELECT", probe: probeAdvisory, lease: func(t *testing.T, pc *pg.PoolConn) {
			_, err := pc.Exec(ctxT(t), "SELECT pg_advisory_lock($1)", int64(915101))
			require.NoError(t, err)
		}},
		{name: "try advisory lock shared", lease: exec("SELECT pg_try_advisory_lock_shared(915102)"), probe: probeAdvisory},
		{name: "LISTEN", lease: exec("LISTEN pool_tracked_chan"), probe: probeListening},
		{name: "Listen", probe: probeListening, lease: func(t *testing.T, pc *pg.PoolConn) {
			require.NoError(t, pc.Conn().Listen(ctxT(t), "pool_tracked_chan2", func(pg.Notification) {}))
		}},
		{name: "DECLARE WITH HOLD", lease: exec("BEGIN", "DECLARE pool_tracked_cur CURSOR WITH HOLD FOR SELECT 1", "COMMIT"), probe: probeCursors},
		{name: "PREPARE", lease: exec("PREPARE pool_tracked_p AS SELECT set_config('work_mem', '7MB', false)"), probe: probeWorkMem,
			later: exec("EXECUTE pool_tracked_p")},
		{name: "script hides a SET after a SELECT", lease: exec("SELECT 1; SET work_mem = '7MB'; SELECT 2"), probe: probeWorkMem},
		{name: "SET in a transaction", probe: probeWorkMem, lease: func(t *testing.T, pc *pg.PoolConn) {
			tx, err := pc.Begin(ctxT(t), pg.TxOptions{})
			require.NoError(t, err)
			_, err = tx.Exec(ctxT(t), "SET work_mem = '7MB'")
			require.NoError(t, err)
			require.NoError(t, tx.Commit(ctxT(t)))
		}},
		{name: "DO block", lease: exec("DO $$BEGIN EXECUTE 'SET work_mem = ''7MB'''; END$$"), probe: probeWorkMem},
		{name: "function sets a reported setting", lease: exec("SELECT " + fn + "()"), probe: probeTimeZone},
		{name: "released in a transaction after SET", lease: exec("BEGIN", "SET work_mem = '7MB'", "SELECT 1"), probe: probeWorkMem},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newRecordedPool(t, pg.PoolConfig{ResetMode: pg.ResetTracked})
			pc := acquire(t, p.Pool)
			want := probe(t, pc, tc.probe)
			require.NoError(t, pc.Release())
			p.sent(t, "")
			for i, l := range []lease{tc.lease, tc.later} {
				if l == nil {
					continue
				}
				pc = acquire(t, p.Pool)
				l(t, pc)
				require.NoError(t, pc.Release())
				assert.Len(t, p.sent(t, resetMarker), 1, "lease %d: the reset is sent at Release", i+1)
				pc = acquire(t, p.Pool)
				assert.Equal(t, want, probe(t, pc, tc.probe), "lease %d: the next lease finds a clean session", i+1)
				require.NoError(t, pc.Release())
				p.sent(t, "")
			}
			assert.Zero(t, p.Stats().ClosedResetFailed)
		})
	}
}

// A lease that ran only plain queries, DML and transactions leaves the
// session as it was: ResetTracked sends no reset for it (the default mode
// would).
func TestPoolResetTrackedSkipsCleanLeases(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	table := serverObject(t, "pool_tracked_t", "CREATE TABLE %s (id int PRIMARY KEY, v text)", "DROP TABLE %s")

	p := newRecordedPool(t, pg.PoolConfig{ResetMode: pg.ResetTracked})
	leases := map[string]func(pc *pg.PoolConn) error{
		"SELECT": func(pc *pg.PoolConn) error {
			_, err := pg.FetchVal[int32](ctx, pc, "SELECT $1::int4 + 1", 1)
			return err
		},
		"INSERT UPDATE DELETE": func(pc *pg.PoolConn) error {
			for _, q := range []string{
				"INSERT INTO " + table + " VALUES ($1, 'a')",
				"UPDATE " + table + " SET v = 'b' WHERE id = $1",
				"DELETE FROM " + table + " WHERE id = $1",
			} {
				if _, err := pc.Exec(ctx, q, 1); err != nil {
					return err
				}
			}
			return nil
		},
		"simple-protocol script": func(pc *pg.PoolConn) error {
			_, err := pc.Exec(ctx, "SELECT 1; INSERT INTO "+table+" VALUES (2, 'x'); DELETE FROM "+table)
			return err
		},
		"transaction with a transaction-level advisory lock": func(pc *pg.PoolConn) error {
			return pg.WithTx(ctx, pc, pg.TxOptions{Isolation: pg.Serializable}, func(tx *pg.Tx) error {
				if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", int64(915110)); err != nil {
					return err
				}
				_, err := tx.Exec(ctx, "INSERT INTO "+table+" VALUES (3, 'y')")
				return err
			})
		},
		"cursor in a transaction": func(pc *pg.PoolConn) error {
			tx, err := pc.Begin(ctx, pg.TxOptions{})
			if err != nil {
				return err
			}
			defer tx.Rollback(ctx)
			cur, err := tx.Cursor(ctx, "SELECT generate_series(1, 10)")
			if err != nil {
				return err
			}
			if _, err := cur.Fetch(ctx, 3); err != nil {
				return err
			}
			return tx.Commit(ctx)
		},
		"prepared statement": func(pc *pg.PoolConn) error {
			stmt, err := pc.Prepare(ctx, "SELECT $1::int4 * 2")
			if err != nil {
				return err
			}
			_, err = stmt.Exec(ctx, 4)
			return err
		},
		"batch and ExecMany": func(pc *pg.PoolConn) error {
			if err := pc.ExecMany(ctx, "INSERT INTO "+table+" VALUES ($1, $2)", [][]any{{10, "a"}, {11, "b"}}); err != nil {
				return err
			}
			b := &pg.Batch{}
			b.Queue("SELECT 1")
			b.Queue("DELETE FROM "+table+" WHERE id >= $1", 10)
			br, err := pc.SendBatch(ctx, b)
			if err != nil {
				return err
			}
			return br.Close()
		},
	}
	for name, run := range leases {
		pc := acquire(t, p.Pool)
		require.NoError(t, run(pc), name)
		require.NoError(t, pc.Release())
		assert.Empty(t, p.sent(t, resetMarker), "%s: no reset", name)
	}
	// After a reset that changes reported settings (RESET ALL reports
	// TimeZone back), the next lease is clean: the reset's own replies,
	// read in front of its first request, are not the lease's changes.
	pc := acquire(t, p.Pool)
	_, err := pc.Exec(ctx, "SET TimeZone = 'Asia/Tokyo'")
	require.NoError(t, err)
	require.NoError(t, pc.Release())
	require.Len(t, p.sent(t, resetMarker), 1)
	for range 2 {
		pc = acquire(t, p.Pool)
		_, err = pc.Exec(ctx, "SELECT 1")
		require.NoError(t, err)
		require.NoError(t, pc.Release())
		assert.Empty(t, p.sent(t, resetMarker), "the lease after a reset")
	}
	assert.Zero(t, p.Stats().ClosedResetFailed)
}

// A lease left in a transaction in ResetTracked mode that changed nothing
// is rolled back, without the reset; ResetNever rolls back and resets
// nothing.
func TestPoolResetTrackedAndNeverRollBack(t *testing.T) {
	t.Parallel()
	for _, mode := range []pg.ResetMode{pg.ResetTracked, pg.ResetNever} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			p := newRecordedPool(t, pg.PoolConfig{ResetMode: mode})
			pc := acquire(t, p.Pool)
			_, err := pc.Exec(ctxT(t), "BEGIN")
			require.NoError(t, err)
			_, err = pc.Exec(ctxT(t), "SELECT 1")
			require.NoError(t, err)
			p.sent(t, "")
			require.NoError(t, pc.Release())
			assert.Equal(t, []string{"ROLLBACK"}, p.sent(t, ""))
			pc = acquire(t, p.Pool)
			defer pc.Release()
			assert.False(t, pc.Conn().InTransaction())
			v, err := pg.FetchVal[int32](ctxT(t), pc, "SELECT 1")
			require.NoError(t, err)
			assert.Equal(t, int32(1), v)
		})
	}
}

// ResetNever leaves what a lease changed for the next one, as pgxpool
// does; the Go-side callbacks still end with the lease.
func TestPoolResetNever(t *testing.T) {
	t.Parallel()
	p := newRecordedPool(t, pg.PoolConfig{ResetMode: pg.ResetNever})
	ctx := ctxT(t)
	pc := acquire(t, p.Pool)
	_, err := pc.Exec(ctx, "SET work_mem = '7MB'")
	require.NoError(t, err)
	p.sent(t, "")
	require.NoError(t, pc.Release())
	assert.Empty(t, p.sent(t, ""))
	pc = acquire(t, p.Pool)
	defer pc.Release()
	assert.Equal(t, "7MB", probe(t, pc, probeWorkMem))
}

// Settings an Init hook makes last until the first Release in
// ResetTracked mode too, even when the first lease runs nothing.
func TestPoolResetTrackedAfterInit(t *testing.T) {
	t.Parallel()
	p := newRecordedPool(t, pg.PoolConfig{ResetMode: pg.ResetTracked,
		Init: func(ctx context.Context, c *pg.Conn) error {
			_, err := c.Exec(ctx, "SET work_mem = '7MB'")
			return err
		}})
	pc := acquire(t, p.Pool)
	require.NoError(t, pc.Release())
	assert.Len(t, p.sent(t, resetMarker), 1)
	pc = acquire(t, p.Pool)
	defer pc.Release()
	assert.NotEqual(t, "7MB", probe(t, pc, probeWorkMem))
}

func TestPoolResetModeInvalid(t *testing.T) {
	t.Parallel()
	_, err := pg.CreatePoolConfig(ctxT(t), testConfig(t), pg.PoolConfig{ResetMode: pg.ResetMode(7)})
	require.ErrorContains(t, err, "ResetMode")
	assert.Equal(t, "ResetMode(7)", pg.ResetMode(7).String())
}

// ResetTracked sends only the statements that undo what the lease
// changed, inside the reset's transaction; a change it cannot name gets
// the whole reset.
func TestPoolResetTrackedPartial(t *testing.T) {
	t.Parallel()
	const (
		begin = "BEGIN ISOLATION LEVEL READ COMMITTED; "
		full  = begin + "RESET ROLE; RESET ALL; SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; COMMIT"
	)
	cases := []struct {
		name  string
		lease []string
		reset string
	}{
		{"LISTEN", []string{"LISTEN pool_partial_chan"}, begin + "UNLISTEN *; COMMIT"},
		{"SET", []string{"SET work_mem = '7MB'"}, begin + "RESET ROLE; RESET ALL; COMMIT"},
		{"SET SESSION AUTHORIZATION", []string{"SET SESSION AUTHORIZATION " + pwUser},
			begin + "RESET SESSION AUTHORIZATION; RESET ROLE; RESET ALL; COMMIT"},
		{"advisory lock", []string{"SELECT pg_advisory_lock(915120)"}, begin + "SELECT pg_advisory_unlock_all(); COMMIT"},
		{"cursor WITH HOLD", []string{"BEGIN", "DECLARE pool_partial_cur CURSOR WITH HOLD FOR SELECT 1", "COMMIT"}, begin + "CLOSE ALL; COMMIT"},
		{"LISTEN and advisory lock", []string{"LISTEN pool_partial_chan", "SELECT pg_try_advisory_lock(915121)"},
			begin + "SELECT pg_advisory_unlock_all(); UNLISTEN *; COMMIT"},
		{"LISTEN in a transaction left open", []string{"BEGIN", "LISTEN pool_partial_chan"}, "ROLLBACK; " + begin + "UNLISTEN *; COMMIT"},
		{"DO block", []string{"DO $$BEGIN END$$"}, full},
		{"CREATE TEMP TABLE", []string{"CREATE TEMP TABLE pool_partial_tmp (x int)"}, full},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newRecordedPool(t, pg.PoolConfig{ResetMode: pg.ResetTracked})
			pc := acquire(t, p.Pool)
			for _, sql := range tc.lease {
				_, err := pc.Exec(ctxT(t), sql)
				require.NoError(t, err, sql)
			}
			p.sent(t, "")
			require.NoError(t, pc.Release())
			assert.Equal(t, []string{tc.reset}, p.sent(t, ""))
			pc = acquire(t, p.Pool)
			defer pc.Release()
			assert.Equal(t, "true", probe(t, pc, probeRole))
			assert.Equal(t, "0", probe(t, pc, probeListening))
			assert.Equal(t, "0", probe(t, pc, probeAdvisory))
			assert.NotEqual(t, "7MB", probe(t, pc, probeWorkMem))
			assert.Zero(t, p.Stats().ClosedResetFailed)
		})
	}
}
