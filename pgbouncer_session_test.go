package pg_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// TestPgBouncerSessionMode runs the core suite's paths — queries,
// transactions with savepoints and cursors, every COPY direction, LISTEN
// and NOTIFY — through PgBouncer in session mode with the statement cache
// on (the default settings), concurrently on a pool, as a representative of
// the whole suite rather than the suite twice. It also shows that a
// DISCARD ALL (what PgBouncer runs when a client leaves) only costs a
// transparent re-prepare.
func TestPgBouncerSessionMode(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	b := startPgBouncer(t, srv, pgtest.PgBouncerOptions{PoolMode: "session", DefaultPoolSize: 12})
	ctx := ctxT(t)
	pool, err := pg.CreatePool(ctx, b.DSN(), pg.PoolConfig{MinSize: 6, MaxSize: 6})
	require.NoError(t, err)
	defer pool.Close(ctx)

	paths := map[string]func(t *testing.T, pc *pg.PoolConn, k int){
		"query": func(t *testing.T, pc *pg.PoolConn, k int) {
			for i := range 20 { // the same SQL again: cached statements
				var v int64
				require.NoError(t, pc.QueryRow(ctx, "SELECT $1::int8 * 2 + $2", int64(i), int64(k)).Scan(&v))
				assert.Equal(t, int64(2*i+k), v)
			}
			recs, err := pc.Fetch(ctx, "SELECT g, md5(g::text) FROM generate_series(1, $1) g", int32(1000))
			require.NoError(t, err)
			require.Len(t, recs, 1000)
			assert.Equal(t, int32(1000), recs[999].Value(0))
			// A server error leaves the session usable.
			_, err = pc.Exec(ctx, "SELECT 1/0")
			var pgErr *pg.PgError
			require.ErrorAs(t, err, &pgErr)
			assert.Equal(t, "22012", pgErr.Code)
			n, err := pg.FetchVal[int32](ctx, pc, "SELECT $1::int4", int32(k))
			require.NoError(t, err)
			assert.Equal(t, int32(k), n)
		},
		"transaction": func(t *testing.T, pc *pg.PoolConn, k int) {
			table := fmt.Sprintf("bouncer_tx_%d", k)
			_, err := pc.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE %s (v int4)", table))
			require.NoError(t, err)
			tx, err := pc.Begin(ctx, pg.TxOptions{})
			require.NoError(t, err)
			_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1)", int32(1))
			require.NoError(t, err)
			sp, err := tx.Begin(ctx)
			require.NoError(t, err)
			_, err = sp.Exec(ctx, "INSERT INTO "+table+" VALUES ($1)", int32(2))
			require.NoError(t, err)
			require.NoError(t, sp.Rollback(ctx))
			cur, err := tx.Cursor(ctx, "SELECT g FROM generate_series(1, $1) g", int32(25))
			require.NoError(t, err)
			got := 0
			for {
				recs, err := cur.Fetch(ctx, 10)
				require.NoError(t, err)
				if len(recs) == 0 {
					break
				}
				got += len(recs)
			}
			assert.Equal(t, 25, got)
			require.NoError(t, tx.Commit(ctx))
			tx, err = pc.Begin(ctx, pg.TxOptions{})
			require.NoError(t, err)
			_, err = tx.Exec(ctx, "INSERT INTO "+table+" VALUES ($1)", int32(3))
			require.NoError(t, err)
			require.NoError(t, tx.Rollback(ctx))
			sum, err := pg.FetchVal[int64](ctx, pc, "SELECT coalesce(sum(v), 0) FROM "+table)
			require.NoError(t, err)
			assert.Equal(t, int64(1), sum, "only the committed row outside the savepoint")
			_, err = pc.Exec(ctx, "DROP TABLE "+table)
			require.NoError(t, err)
		},
		"copy": func(t *testing.T, pc *pg.PoolConn, k int) {
			table := fmt.Sprintf("bouncer_copy_%d", k)
			_, err := pc.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE %s (id int4, name text)", table))
			require.NoError(t, err)
			var rows [][]any
			for i := range 500 {
				rows = append(rows, []any{int32(i), fmt.Sprintf("row %d", i)})
			}
			n, err := pc.CopyRecordsToTable(ctx, table, []string{"id", "name"}, pg.CopyFromRows(rows))
			require.NoError(t, err)
			assert.Equal(t, int64(500), n)
			n, err = pc.CopyToTable(ctx, table, strings.NewReader("1000,csv one\n1001,csv two\n"), pg.CopyOptions{Format: "csv"})
			require.NoError(t, err)
			assert.Equal(t, int64(2), n)
			var out bytes.Buffer
			n, err = pc.CopyFromTable(ctx, table, &out, pg.CopyOptions{Format: "csv"})
			require.NoError(t, err)
			assert.Equal(t, int64(502), n)
			assert.Contains(t, out.String(), "1001,csv two\n")
			out.Reset()
			n, err = pc.CopyFromQuery(ctx, "SELECT name FROM "+table+" WHERE id = $1", &out, pg.CopyOptions{}, int32(42))
			require.NoError(t, err)
			assert.Equal(t, int64(1), n)
			assert.Equal(t, "row 42\n", out.String())
			_, err = pc.Exec(ctx, "DROP TABLE "+table)
			require.NoError(t, err)
		},
		"listen": func(t *testing.T, pc *pg.PoolConn, k int) {
			channel := fmt.Sprintf("bouncer_chan_%d", k)
			require.NoError(t, pc.Listen(ctx, channel, nil))
			// NOTIFY from another client of PgBouncer (a psql session).
			_, err := b.SQL(fmt.Sprintf("NOTIFY %s, 'hello %d'", channel, k))
			require.NoError(t, err)
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			n, err := pc.WaitForNotification(wctx)
			require.NoError(t, err)
			assert.Equal(t, channel, n.Channel)
			assert.Equal(t, fmt.Sprintf("hello %d", k), n.Payload)
			require.NoError(t, pc.Unlisten(ctx, channel))
		},
	}

	// Every path on every connection at once, three rounds.
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Go(func() {
			for round := range 3 {
				for name, run := range paths {
					t.Run(fmt.Sprintf("%s/%d/%d", name, g, round), func(t *testing.T) {
						pc, err := pool.Acquire(ctx)
						require.NoError(t, err)
						defer pc.Release()
						run(t, pc, 100*g+round)
					})
				}
			}
		})
	}
	wg.Wait()

	// PgBouncer runs DISCARD ALL on a server connection when its client
	// leaves; a statement the server then lacks is prepared again.
	c, err := pg.Connect(ctx, b.DSN())
	require.NoError(t, err)
	defer c.Close(ctx)
	const sql = "SELECT $1::int4 + 7"
	n, err := pg.FetchVal[int32](ctx, c, sql, int32(1))
	require.NoError(t, err)
	require.Equal(t, int32(8), n)
	_, err = c.Exec(ctx, "DISCARD ALL")
	require.NoError(t, err)
	n, err = pg.FetchVal[int32](ctx, c, sql, int32(2))
	require.NoError(t, err)
	assert.Equal(t, int32(9), n)
	st := pool.Stats()
	t.Logf("pool: created %d connections, closed %d broken", st.CreatedConns, st.ClosedBroken)
	assert.Zero(t, st.ClosedBroken)
}
