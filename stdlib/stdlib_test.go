package stdlib_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
	"github.com/wirepg/pg/stdlib"
)

func TestMain(m *testing.M) { pgtest.Main(m, pgtest.Options{}) }

func openDB(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("pg", pgtest.Shared().DSN())
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func TestQueryAndScan(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	require.NoError(t, db.PingContext(ctx))
	rows, err := db.QueryContext(ctx, "SELECT i, i::text, i * 0.5::float8, i % 2 = 0, NULL::text FROM generate_series(1, $1) i", 3)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	assert.Len(t, cols, 5)
	types, err := rows.ColumnTypes()
	require.NoError(t, err)
	assert.Equal(t, "INT4", types[0].DatabaseTypeName())
	n := 0
	for rows.Next() {
		var i int
		var s string
		var f float64
		var even bool
		var null sql.NullString
		require.NoError(t, rows.Scan(&i, &s, &f, &even, &null))
		n++
		assert.Equal(t, n, i)
		assert.False(t, null.Valid)
	}
	require.NoError(t, rows.Err())
	assert.Equal(t, 3, n)

	var b []byte
	require.NoError(t, db.QueryRowContext(ctx, "SELECT $1::bytea", []byte{0, 1, 2}).Scan(&b))
	assert.Equal(t, []byte{0, 1, 2}, b)
	err = db.QueryRowContext(ctx, "SELECT 1 WHERE false").Scan(&n)
	assert.ErrorIs(t, err, sql.ErrNoRows)
}

func TestExecAndPrepared(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	conn, err := db.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "CREATE TEMP TABLE s_t (id int4, name text)")
	require.NoError(t, err)
	stmt, err := conn.PrepareContext(ctx, "INSERT INTO s_t VALUES ($1, $2)")
	require.NoError(t, err)
	for i := range 3 {
		res, err := stmt.ExecContext(ctx, i, "n")
		require.NoError(t, err)
		n, err := res.RowsAffected()
		require.NoError(t, err)
		assert.Equal(t, int64(1), n)
	}
	require.NoError(t, stmt.Close())
	var count int64
	require.NoError(t, conn.QueryRowContext(ctx, "SELECT count(*) FROM s_t").Scan(&count))
	assert.Equal(t, int64(3), count)

	_, err = conn.ExecContext(ctx, "INSERT INTO s_t VALUES ($1, $2)", 1)
	var cnt *pg.ArgumentCountError
	assert.ErrorAs(t, err, &cnt)
	_, err = conn.ExecContext(ctx, "INSERT INTO s_t VALUES ($1, $2)", sql.Named("id", 1), sql.Named("name", "x"))
	assert.ErrorContains(t, err, "positional")

	res, err := conn.ExecContext(ctx, "INSERT INTO s_t VALUES (9, 'x')")
	require.NoError(t, err)
	_, err = res.LastInsertId()
	assert.ErrorContains(t, err, "RETURNING")

	require.NoError(t, conn.Raw(func(dc any) error {
		pc, err := stdlib.Conn(dc)
		if err != nil {
			return err
		}
		_, err = pc.Exec(ctx, "SELECT 1")
		return err
	}))
}

func TestTransactions(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS tx_t (id int4 PRIMARY KEY)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = db.Exec("DROP TABLE tx_t") })

	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable, ReadOnly: true})
	require.NoError(t, err)
	var iso, ro string
	require.NoError(t, tx.QueryRowContext(ctx, "SELECT current_setting('transaction_isolation'), current_setting('transaction_read_only')").Scan(&iso, &ro))
	assert.Equal(t, "serializable", iso)
	assert.Equal(t, "on", ro)
	require.NoError(t, tx.Rollback())

	tx, err = db.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "INSERT INTO tx_t VALUES (1)")
	require.NoError(t, err)
	require.NoError(t, tx.Commit())

	tx, err = db.BeginTx(ctx, nil)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, "INSERT INTO tx_t VALUES (1)")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, sqlstate.UniqueViolation, pgErr.Code)
	err = tx.Commit()
	assert.ErrorContains(t, err, "rolled back", "a failed transaction does not commit silently")

	_, err = db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelLinearizable})
	assert.ErrorContains(t, err, "not supported")
}

func TestOpenDBWithConfig(t *testing.T) {
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	cfg.ApplicationName = "stdlib-test"
	db := stdlib.OpenDB(cfg)
	defer db.Close()
	var app string
	require.NoError(t, db.QueryRowContext(ctxT(t), "SELECT current_setting('application_name')").Scan(&app))
	assert.Equal(t, "stdlib-test", app)
}
