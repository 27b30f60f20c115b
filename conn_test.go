package pg_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
)

func TestConnectTCPAndUnix(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	for _, dsn := range []string{srv.DSN(), srv.UnixDSN()} {
		if dsn == "" {
			continue
		}
		c, err := pg.Connect(ctxT(t), dsn)
		require.NoError(t, err, dsn)
		assert.NotZero(t, c.ServerPID())
		assert.GreaterOrEqual(t, c.ServerVersion(), 90600)
		assert.Equal(t, "UTF8", c.ParameterStatus("client_encoding"))
		assert.Contains(t, c.ParameterStatus("DateStyle"), "ISO")
		assert.False(t, c.InTransaction())
		pid, err := pg.FetchVal[int32](ctxT(t), c, "SELECT pg_backend_pid()")
		require.NoError(t, err)
		assert.Equal(t, int32(c.ServerPID()), pid)
		require.NoError(t, c.Close(ctxT(t)))
		assert.True(t, c.IsClosed())
		require.NoError(t, c.Close(ctxT(t)), "second Close is a no-op")
		_, err = c.Exec(ctxT(t), "SELECT 1")
		assert.ErrorIs(t, err, pg.ErrConnClosed)
	}
}

func TestStartupSettings(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.ApplicationName = "pg-tests"
	cfg.RuntimeParams = map[string]string{"search_path": "pg_catalog", "work_mem": "8MB"}
	c := connectConfig(t, cfg)
	for setting, want := range map[string]string{
		"application_name": "pg-tests",
		"search_path":      "pg_catalog",
		"work_mem":         "8MB",
		"DateStyle":        "ISO, MDY",
		"client_encoding":  "UTF8",
	} {
		got, err := pg.FetchVal[string](ctxT(t), c, "SELECT current_setting($1)", setting)
		require.NoError(t, err)
		assert.Equal(t, want, got, setting)
	}
}

func TestPasswordAuthentication(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	for _, tc := range []struct{ user, pass string }{
		{pwUser, pwPass}, {md5User, md5Pass}, {scramUser, scramPass},
	} {
		t.Run(tc.user, func(t *testing.T) {
			c, err := pg.Connect(ctxT(t), srv.UserDSN(tc.user, tc.pass))
			require.NoError(t, err)
			who, err := pg.FetchVal[string](ctxT(t), c, "SELECT current_user")
			require.NoError(t, err)
			assert.Equal(t, tc.user, who)
			require.NoError(t, c.Close(ctxT(t)))

			_, err = pg.Connect(ctxT(t), srv.UserDSN(tc.user, "wrong"))
			var pgErr *pg.PgError
			require.ErrorAs(t, err, &pgErr)
			assert.Equal(t, sqlstate.InvalidPassword, pgErr.Code)
			assert.NotContains(t, err.Error(), "wrong")
		})
	}
}

func TestConnectRefusedNamesHost(t *testing.T) {
	t.Parallel()
	cfg := &pg.Config{Hosts: []pg.Host{{Host: "127.0.0.1", Port: 1}}, User: "postgres"}
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "127.0.0.1:1")
	var ce *pg.ConnectError
	require.ErrorAs(t, err, &ce)
	assert.Len(t, ce.Attempts, 1)
}

func TestConnectContextDeadline(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := pg.ConnectConfig(ctx, testConfig(t))
	require.ErrorIs(t, err, context.Canceled)
}

func TestExecSimpleScript(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tag, err := c.Exec(ctx, `CREATE TEMP TABLE script_t (a int, b text);
		INSERT INTO script_t VALUES (1, 'x'), (2, 'y');
		UPDATE script_t SET b = 'z'`)
	require.NoError(t, err)
	assert.Equal(t, "UPDATE 2", tag.String())
	assert.Equal(t, int64(2), tag.RowsAffected())
	assert.True(t, tag.Update())
	assert.Equal(t, "UPDATE", tag.Command())

	tag, err = c.Exec(ctx, "INSERT INTO script_t VALUES ($1, $2)", 3, "w")
	require.NoError(t, err)
	assert.Equal(t, "INSERT 0 1", tag.String())
	assert.True(t, tag.Insert())

	tag, err = c.Exec(ctx, "")
	require.NoError(t, err)
	assert.Equal(t, "", tag.String())

	// An error in the middle of a script stops it and is reported; the
	// connection stays usable.
	_, err = c.Exec(ctx, "SELECT 1; SELECT * FROM no_such_table; SELECT 2")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.UndefinedTable, pgErr.Code)
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM script_t")
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}

func TestPgErrorFieldsAndCaret(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "CREATE TEMP TABLE err_t (id int PRIMARY KEY CONSTRAINT positive CHECK (id > 0))")
	require.NoError(t, err)
	_, err = c.Exec(ctx, "INSERT INTO err_t VALUES ($1)", -1)
	var pgErr *pg.PgError
	require.ErrorAs(t, fmt.Errorf("wrapped: %w", err), &pgErr)
	assert.Equal(t, sqlstate.CheckViolation, pgErr.Code)
	assert.Equal(t, "positive", pgErr.Constraint)
	assert.Equal(t, "err_t", pgErr.Table)
	assert.NotEmpty(t, pgErr.Schema)
	assert.NotEmpty(t, pgErr.Detail)
	assert.Equal(t, "ERROR", pgErr.Severity)
	assert.Equal(t, "check_violation", pgErr.ConditionName())
	assert.Equal(t, "23", pgErr.Class())
	assert.NotEmpty(t, pgErr.File)
	assert.NotZero(t, pgErr.Line)
	assert.NotEmpty(t, pgErr.Routine)
	assert.Contains(t, err.Error(), "(SQLSTATE 23514)")
	assert.Contains(t, err.Error(), "DETAIL: ")

	_, err = c.Exec(ctx, "SELECT 1,\n  nosuchcolumn + 1")
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, int32(13), pgErr.Position)
	assert.Contains(t, err.Error(), "LINE 2:   nosuchcolumn + 1\n          ^")

	_, err = c.Exec(ctx, "SELECT 1 FROM err_t WHERE id = $1 AND nope", 1)
	require.ErrorAs(t, err, &pgErr)
	assert.Contains(t, err.Error(), "LINE 1: SELECT 1 FROM err_t WHERE id = $1 AND nope\n")

	// Still usable.
	one, err := pg.FetchVal[int32](ctx, c, "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, int32(1), one)
}

func TestQueryScanAndValues(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rows, err := c.Query(ctx, "SELECT i, i::text AS s, i * 1.5::float8 AS f, i % 2 = 0 AS even FROM generate_series(1, $1) i", 5)
	require.NoError(t, err)
	assert.Equal(t, []string{"i", "s", "f", "even"}, rows.Columns())
	var got []string
	for rows.Next() {
		var i int32
		var s string
		var f float64
		var even bool
		require.NoError(t, rows.Scan(&i, &s, &f, &even))
		got = append(got, fmt.Sprintf("%d/%s/%g/%v", i, s, f, even))
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, "SELECT 5", rows.CommandTag().String())
	assert.Equal(t, []string{"1/1/1.5/false", "2/2/3/true", "3/3/4.5/false", "4/4/6/true", "5/5/7.5/false"}, got)

	recs, err := c.Fetch(ctx, "SELECT 1::int2 AS a, 2::int8 AS b, 'x'::varchar AS c, NULL::text AS d, '\\x0102'::bytea AS e, 7::oid AS f, 2.5::float4 AS g")
	require.NoError(t, err)
	require.Len(t, recs, 1)
	r := recs[0]
	assert.Equal(t, []any{int16(1), int64(2), "x", nil, []byte{1, 2}, uint32(7), float32(2.5)}, r.Values())
	assert.Equal(t, int64(2), r.Get("b"))
	v, ok := r.Lookup("d")
	assert.True(t, ok)
	assert.Nil(t, v)
	_, ok = r.Lookup("zz")
	assert.False(t, ok)
	assert.Equal(t, 7, r.Len())
	assert.Contains(t, r.String(), `c="x"`)

	rec, err := c.FetchRow(ctx, "SELECT $1::text AS greeting", "hello")
	require.NoError(t, err)
	assert.Equal(t, "hello", rec.Get("greeting"))

	_, err = c.FetchRow(ctx, "SELECT 1 WHERE false")
	assert.ErrorIs(t, err, pg.ErrNoRows)
	var n int
	err = c.QueryRow(ctx, "SELECT 1 WHERE false").Scan(&n)
	assert.ErrorIs(t, err, pg.ErrNoRows)
	require.NoError(t, c.QueryRow(ctx, "SELECT 42").Scan(&n))
	assert.Equal(t, 42, n)
}

func TestArgumentErrors(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "SELECT $1::int4, $2::int4", 1)
	var cnt *pg.ArgumentCountError
	require.ErrorAs(t, err, &cnt)
	assert.Equal(t, 2, cnt.Want)
	assert.Equal(t, 1, cnt.Got)
	// Cached now; the count is checked before anything is sent.
	_, err = c.Exec(ctx, "SELECT $1::int4, $2::int4", 1, 2, 3)
	require.ErrorAs(t, err, &cnt)

	_, err = c.Exec(ctx, "SELECT $1::int2", 32768)
	var argErr *pg.ArgumentError
	require.ErrorAs(t, err, &argErr)
	assert.Equal(t, 1, argErr.Index)
	assert.Contains(t, err.Error(), "argument $1: value 32768 out of range for int2")

	_, err = c.Exec(ctx, "SELECT $1::int4", struct{}{})
	require.ErrorAs(t, err, &argErr)
	assert.Contains(t, err.Error(), "cannot encode Go type struct {} as int4")

	var small int8
	err = c.QueryRow(ctx, "SELECT 300").Scan(&small)
	var scanErr *pg.ScanError
	require.ErrorAs(t, err, &scanErr)

	var notNull int
	err = c.QueryRow(ctx, "SELECT NULL::int4").Scan(&notNull)
	require.ErrorAs(t, err, &scanErr)
	assert.Contains(t, err.Error(), "NULL")
	var ptr *int
	require.NoError(t, c.QueryRow(ctx, "SELECT NULL::int4").Scan(&ptr))
	assert.Nil(t, ptr)

	// Strings are accepted for any type as its text form.
	got, err := pg.FetchVal[int64](ctx, c, "SELECT $1::int8 + 1", "41")
	require.NoError(t, err)
	assert.Equal(t, int64(42), got)

	one, err := pg.FetchVal[int32](ctx, c, "SELECT 1")
	require.NoError(t, err)
	assert.Equal(t, int32(1), one)
}

func TestRowsCloseEarlyKeepsConnUsable(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	rows, err := c.Query(ctx, "SELECT i FROM generate_series(1, 100000) i")
	require.NoError(t, err)
	require.True(t, rows.Next())
	_, err = c.Exec(ctx, "SELECT 1")
	assert.ErrorIs(t, err, pg.ErrConnBusy, "an open Rows holds the connection")
	require.NoError(t, rows.Close())
	require.NoError(t, rows.Close())
	assert.False(t, rows.Next())
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM generate_series(1, 10)")
	require.NoError(t, err)
	assert.Equal(t, int64(10), n)
}

func TestConcurrentUseIsRefused(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	var wg sync.WaitGroup
	var busy, ok int
	var mu sync.Mutex
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 50 {
				_, err := c.Exec(ctx, "SELECT pg_sleep(0.001)")
				mu.Lock()
				switch {
				case err == nil:
					ok++
				case errors.Is(err, pg.ErrConnBusy):
					busy++
				default:
					t.Errorf("unexpected error: %v", err)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Positive(t, ok)
	assert.Equal(t, 400, ok+busy)
	_, err := c.Exec(ctx, "SELECT 1")
	require.NoError(t, err, "the stream is intact")
}

func TestContextCancelMidQuery(t *testing.T) {
	t.Parallel()
	c := connect(t)
	pid := c.ServerPID()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
	require.Error(t, err)
	assert.Less(t, time.Since(start), 20*time.Second)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.QueryCanceled, pgErr.Code)
	assert.False(t, c.IsClosed())

	// The same session serves the next query.
	got, err := pg.FetchVal[int32](ctxT(t), c, "SELECT pg_backend_pid()")
	require.NoError(t, err)
	assert.Equal(t, int32(pid), got)

	// Cancelling while streaming rows.
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	rows, err := c.Query(ctx2, "SELECT i, pg_sleep(0.01) FROM generate_series(1, 100000) i")
	require.NoError(t, err)
	n := 0
	for rows.Next() {
		n++
		if n == 3 {
			cancel2()
		}
	}
	assert.ErrorIs(t, rows.Err(), context.Canceled)
	assert.False(t, c.IsClosed())
	_, err = c.Exec(ctxT(t), "SELECT 1")
	require.NoError(t, err)

	// An already-cancelled context sends nothing.
	_, err = c.Exec(ctx2, "SELECT 1")
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCommandTimeout(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.CommandTimeout = 200 * time.Millisecond
	c := connectConfig(t, cfg)
	_, err := c.Exec(context.Background(), "SELECT pg_sleep(30)")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	_, err = c.Exec(context.Background(), "SELECT pg_sleep(0.01)")
	require.NoError(t, err)
}

func TestNotices(t *testing.T) {
	t.Parallel()
	c := connect(t)
	var got []string
	c.OnNotice(func(n *pg.Notice) { got = append(got, n.Severity+":"+n.Message) })
	_, err := c.Exec(ctxT(t), "DO $$ BEGIN RAISE NOTICE 'hello %', 42; RAISE WARNING 'careful'; END $$")
	require.NoError(t, err)
	assert.Equal(t, []string{"NOTICE:hello 42", "WARNING:careful"}, got)
}

func TestInTransactionTracksPlainExec(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	assert.True(t, c.InTransaction())
	_, err = c.Exec(ctx, "SELECT 1/0")
	require.Error(t, err)
	assert.True(t, c.InTransaction())
	assert.Equal(t, byte('E'), c.TxStatus())
	_, err = c.Exec(ctx, "ROLLBACK")
	require.NoError(t, err)
	assert.False(t, c.InTransaction())
}

func TestTerminateFromAnotherGoroutine(t *testing.T) {
	t.Parallel()
	c := connect(t)
	admin := connect(t)
	var reason error
	done := make(chan struct{})
	c.OnTerminate(func(err error) { reason = err; close(done) })
	go func() {
		waitRunning(t, admin, c.ServerPID(), "pg_sleep(30)")
		c.Terminate()
	}()
	_, err := c.Exec(ctxT(t), "SELECT pg_sleep(30)")
	require.Error(t, err)
	<-done
	assert.Error(t, reason)
	assert.True(t, c.IsClosed())
}

func TestLargeValues(t *testing.T) {
	t.Parallel()
	c := connect(t)
	big := strings.Repeat("é", 1<<20)
	got, err := pg.FetchVal[string](ctxT(t), c, "SELECT $1::text", big)
	require.NoError(t, err)
	assert.Equal(t, big, got)
	blob := make([]byte, 3<<20)
	for i := range blob {
		blob[i] = byte(i)
	}
	gotBlob, err := pg.FetchVal[[]byte](ctxT(t), c, "SELECT $1::bytea", blob)
	require.NoError(t, err)
	assert.Equal(t, blob, gotBlob)
}

func TestLongLivedContextAcrossCalls(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Many calls with one context reuse one registration ...
	for i := range 50 {
		v, err := pg.FetchVal[int32](ctx, c, "SELECT $1::int4", int32(i))
		require.NoError(t, err)
		require.Equal(t, int32(i), v)
	}
	// ... which still cancels a running call,
	admin := connect(t)
	go func() {
		waitRunning(t, admin, c.ServerPID(), "pg_sleep(30)")
		cancel()
	}()
	_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
	require.ErrorIs(t, err, context.Canceled)
	// and a registration left from a finished context never cancels a call
	// made with another one. The call waits for a lock the test holds, so
	// it is surely running when ctx2 ends; a cancel from ctx2's stale
	// registration would be sent at once (a local dial), and the lock is
	// held for a generous while after it, during which the call must not
	// fail. (That a wrong cancel does not happen can only be waited for.)
	const lockKey = 7_234_001
	_, err = admin.Exec(ctxT(t), "SELECT pg_advisory_lock($1)", lockKey)
	require.NoError(t, err)
	ctx2, cancel2 := context.WithCancel(context.Background())
	_, err = c.Exec(ctx2, "SELECT 1")
	require.NoError(t, err)
	ctx3, cancel3 := context.WithTimeout(context.Background(), time.Minute)
	defer cancel3()
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx3, "SELECT pg_advisory_xact_lock(7234001)")
		done <- err
	}()
	waitRunning(t, admin, c.ServerPID(), "pg_advisory_xact_lock")
	cancel2() // ctx2's registration was replaced by ctx3's
	select {
	case err := <-done:
		t.Fatalf("the call ended while the lock was held: %v", err)
	case <-time.After(time.Second):
	}
	_, err = admin.Exec(ctxT(t), "SELECT pg_advisory_unlock($1)", lockKey)
	require.NoError(t, err)
	require.NoError(t, <-done)
	_, err = c.Exec(context.Background(), "SELECT 1")
	require.NoError(t, err)
}
