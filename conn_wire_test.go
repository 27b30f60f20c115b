package pg_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgproto"
	"github.com/wirepg/pg/sqlstate"
)

// writeRecorder wraps the driver's socket and keeps every Write it makes,
// so a test can see what went out and in how many system calls.
type writeRecorder struct {
	net.Conn
	mu     sync.Mutex
	writes [][]byte
}

func (w *writeRecorder) Write(b []byte) (int, error) {
	w.mu.Lock()
	w.writes = append(w.writes, append([]byte(nil), b...))
	w.mu.Unlock()
	return w.Conn.Write(b)
}

// take returns the writes since the last take.
func (w *writeRecorder) take() [][]byte {
	w.mu.Lock()
	defer w.mu.Unlock()
	ws := w.writes
	w.writes = nil
	return ws
}

// eachFrontendMessage calls f with the type byte and body of each
// frontend message in b.
func eachFrontendMessage(t *testing.T, b []byte, f func(typ byte, body []byte)) {
	t.Helper()
	for len(b) > 0 {
		require.GreaterOrEqual(t, len(b), 5, "truncated message")
		n := 1 + int(binary.BigEndian.Uint32(b[1:5]))
		require.GreaterOrEqual(t, len(b), n)
		f(b[0], b[5:n])
		b = b[n:]
	}
}

// frontendTypes lists the type bytes of the frontend messages in b.
func frontendTypes(t *testing.T, b []byte) string {
	t.Helper()
	var types []byte
	eachFrontendMessage(t, b, func(typ byte, _ []byte) { types = append(types, typ) })
	return string(types)
}

// simpleQueries returns the SQL of the simple-protocol Query messages in
// writes.
func simpleQueries(t *testing.T, writes [][]byte) []string {
	t.Helper()
	var qs []string
	eachFrontendMessage(t, bytes.Join(writes, nil), func(typ byte, body []byte) { // a message may span writes
		m, err := pgproto.ParseFrontend(typ, body)
		require.NoError(t, err)
		if q, ok := m.(*pgproto.Query); ok {
			qs = append(qs, q.String)
		}
	})
	return qs
}

// recordedConn connects with its writes recorded, from the first after
// the startup. Only the first dial is recorded: later ones are cancel
// requests.
func recordedConn(t *testing.T) (*pg.Conn, *writeRecorder) {
	t.Helper()
	return recordedConnConfig(t, testConfig(t))
}

func recordedConnConfig(t *testing.T, cfg *pg.Config) (*pg.Conn, *writeRecorder) {
	t.Helper()
	rec := recordFirstDial(cfg)
	c := connectConfig(t, cfg)
	rec.take()
	return c, rec
}

// recordFirstDial makes cfg record the writes of the first connection it
// dials (later dials are cancel requests, or connections a test does not
// watch).
func recordFirstDial(cfg *pg.Config) *writeRecorder {
	rec := &writeRecorder{}
	var once sync.Once
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		nc, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		recorded := false
		once.Do(func() { rec.Conn, recorded = nc, true })
		if !recorded {
			return nc, nil
		}
		return rec, nil
	}
	return rec
}

func TestCachedStatementRunsInOneWrite(t *testing.T) {
	t.Parallel()
	c, rec := recordedConn(t)
	ctx := ctxT(t)
	const q = "SELECT $1::int4 + 1"
	n, err := pg.FetchVal[int32](ctx, c, q, 1)
	require.NoError(t, err)
	assert.Equal(t, int32(2), n)
	first := rec.take()
	// The first run describes the statement before it can encode the
	// arguments in the parameter types the server chose.
	require.Len(t, first, 2)
	// Close first: the name is the SQL's, and a server connection shared
	// through a pooler may already hold it.
	assert.Equal(t, "CPDS", frontendTypes(t, first[0]), "Close, Parse, Describe, Sync")
	assert.Equal(t, "BES", frontendTypes(t, first[1]), "Bind, Execute, Sync")

	for i := range 3 {
		n, err = pg.FetchVal[int32](ctx, c, q, int32(i))
		require.NoError(t, err)
		assert.Equal(t, int32(i+1), n)
		ws := rec.take()
		require.Len(t, ws, 1, "a cached statement costs one write")
		assert.Equal(t, "BES", frontendTypes(t, ws[0]), "no Parse or Describe once cached")
	}
}

// With the statement cache off, the unit that binds the statement parses
// it again and describes the portal, so that it never depends on an
// earlier Sync: a pooler in transaction mode may send each Sync's unit to
// another server connection.
func TestUncachedStatementBindsInOneUnit(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	cfg.StatementCacheSize = 0
	c, rec := recordedConnConfig(t, cfg)
	ctx := ctxT(t)
	for i := range 2 {
		n, err := pg.FetchVal[int32](ctx, c, "SELECT $1::int4 + 1", int32(i))
		require.NoError(t, err)
		assert.Equal(t, int32(i+1), n)
		ws := rec.take()
		require.Len(t, ws, 2)
		assert.Equal(t, "PDS", frontendTypes(t, ws[0]), "Parse, Describe, Sync")
		assert.Equal(t, "PBDES", frontendTypes(t, ws[1]), "Parse, Bind, Describe portal, Execute, Sync")
	}
}

func TestCloseWaitsForTheBackendToExit(t *testing.T) {
	t.Parallel()
	admin := connect(t)
	c := connectConfig(t, testConfig(t))
	pid := c.ServerPID()
	_, err := c.Exec(ctxT(t), "SELECT pg_advisory_lock(4242)")
	require.NoError(t, err)
	// Temporary tables make the backend's exit slow (it drops them before
	// it leaves pg_stat_activity), so a Close that did not wait would
	// return while the backend is still listed.
	_, err = c.Exec(ctxT(t), "DO $$ BEGIN FOR i IN 1..400 LOOP EXECUTE format('CREATE TEMP TABLE close_t%s (a int, b text)', i); END LOOP; END $$")
	require.NoError(t, err)
	require.NoError(t, c.Close(ctxT(t)))
	// The backend leaves pg_stat_activity and releases its locks before it
	// closes its socket, which Close waited for: no polling needed.
	n, err := pg.FetchVal[int64](ctxT(t), admin, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1", int32(pid))
	require.NoError(t, err)
	assert.Zero(t, n, "backend still listed after Close returned")
	locked, err := pg.FetchVal[bool](ctxT(t), admin, "SELECT pg_try_advisory_lock(4242)")
	require.NoError(t, err)
	assert.True(t, locked, "the closed session's advisory lock is free")
	_, err = admin.Exec(ctxT(t), "SELECT pg_advisory_unlock_all()")
	require.NoError(t, err)
	require.NoError(t, c.Close(ctxT(t)), "closing twice")
}

func TestCloseIsBoundedByItsContext(t *testing.T) {
	t.Parallel()
	cfg, p := proxied(t)
	c := connectConfig(t, cfg)
	p.StallClient(true) // Terminate never reaches the server, which stays
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	require.NoError(t, c.Close(ctx))
	took := time.Since(start)
	assert.True(t, c.IsClosed())
	// Close waited for an EOF that could not come, until ctx ended, not
	// for its 5 s default.
	assert.GreaterOrEqual(t, took, 250*time.Millisecond)
	assert.Less(t, took, 4*time.Second)
}

func TestSecondCallDuringSlowQueryIsBusy(t *testing.T) {
	t.Parallel()
	c := connect(t)
	admin := connect(t)
	ctx := ctxT(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(ctx, "SELECT pg_sleep(1)")
		done <- err
	}()
	// Collide only once the server runs the slow call: probing earlier
	// could take the connection first and make the slow call the busy one.
	waitActive(t, admin, int32(c.ServerPID()))
	_, err := c.Exec(ctx, "SELECT 2")
	assert.ErrorIs(t, err, pg.ErrConnBusy)
	require.NoError(t, <-done)
	_, err = c.Exec(ctx, "SELECT 3")
	require.NoError(t, err, "the stream is intact")
}

func TestVanishedStatementInsideTransactionIsReturned(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	const q = "SELECT $1::int4 * 3"
	_, err := pg.FetchVal[int32](ctx, c, q, 1)
	require.NoError(t, err)
	_, err = c.Exec(ctx, "BEGIN")
	require.NoError(t, err)
	_, err = c.Exec(ctx, "DEALLOCATE ALL")
	require.NoError(t, err)
	_, err = pg.FetchVal[int32](ctx, c, q, 1)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.InvalidSQLStatementName, pgErr.Code)
	assert.True(t, c.InTransaction())
	_, err = c.Exec(ctx, "ROLLBACK")
	require.NoError(t, err)
	n, err := pg.FetchVal[int32](ctx, c, q, 2)
	require.NoError(t, err, "prepared afresh after the transaction")
	assert.Equal(t, int32(6), n)
}

func TestErrorTextShowsHint(t *testing.T) {
	t.Parallel()
	c := connect(t)
	_, err := c.Exec(ctxT(t), "SELECT no_such_function($1::int4)", 1)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	require.NotEmpty(t, pgErr.Hint)
	assert.Contains(t, err.Error(), "HINT: "+pgErr.Hint)
}
