package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"
	"github.com/lib/pq"
	_ "github.com/wirepg/pg/stdlib" // database/sql driver "pg"
)

// Drivers through database/sql: lib/pq, and pgx's and pg's adapters. The
// code is the same for all three; the statement is prepared once per
// connection (*sql.Stmt), as lib/pq users do, because lib/pq without it
// spends a second round trip on every query.

// sqlDriverNames maps our driver names to database/sql's.
var sqlDriverNames = map[string]string{
	drvLibPQ:     "postgres",
	drvPGXStdlib: "pgx",
	drvPGStdlib:  "pg",
}

func init() {
	for drv := range sqlDriverNames {
		register("point", drv, sqlPerWorker(drv, sqlPoint, sqlPointOp))
		register("rows-small", drv, sqlPerWorker(drv, sqlRows, sqlRowsOp))
		register("rows-large", drv, sqlPerWorker(drv, sqlRows, sqlRowsOp))
		register("wide", drv, sqlPerWorker(drv, sqlWide, sqlWideOp))
		register("stream", drv, sqlPerWorker(drv, sqlStream, sqlStreamOp))
		register("decode-1000", drv, sqlPerWorker(drv, sqlDecode, sqlDecodeOp))
		register("insert-each", drv, sqlPerWorker(drv, "", sqlTxEach(sqlInsert, func(env *Env) [][]any { return env.Data.Rows(nInsert) })))
		register("pool", drv, sqlPoolPoint(drv))
		for name, q := range msReadQueries {
			register(name, drv, sqlPerWorker(drv, q, sqlMSReadOp))
		}
		register("ms-batch", drv, sqlPerWorker(drv, "", sqlTxEach(sqlMSBatch, func(*Env) [][]any { return msRows(nMSBatch) })))
	}
	// COPY FROM STDIN through database/sql is lib/pq's own protocol
	// (a prepared COPY statement fed by Exec); the adapters have none.
	register("copy-in", drvLibPQ, sqlPerWorker(drvLibPQ, "", libpqCopy(copyTable, copyColumns, func(env *Env) [][]any { return env.Data.Rows(nCopyIn) })))
	register("ms-copyfrom", drvLibPQ, sqlPerWorker(drvLibPQ, "", libpqCopy(msCopyTable, msColumns, func(*Env) [][]any { return msRows(nMSCopy) })))
}

// sqlConn is one worker's dedicated connection and its prepared statement.
type sqlConn struct {
	conn *sql.Conn
	stmt *sql.Stmt // nil when the workload prepares its own
}

// sqlPerWorker opens a database/sql pool of one connection per worker,
// pins one to each worker (so each worker owns a connection, as with the
// native drivers) and prepares query on it when query is not empty.
func sqlPerWorker(drv, query string, mk func(env *Env, c *sqlConn) opFunc) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		workers := max(1, env.Workload.Workers)
		db, err := sql.Open(sqlDriverNames[drv], env.DSN)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(workers)
		db.SetMaxIdleConns(workers)
		var conns []*sqlConn
		closeAll := func() {
			for _, c := range conns {
				if c.stmt != nil {
					_ = c.stmt.Close()
				}
				_ = c.conn.Close()
			}
			_ = db.Close()
		}
		ops := make([]opFunc, 0, workers)
		for w := 0; w < workers; w++ {
			conn, err := db.Conn(ctx)
			if err != nil {
				closeAll()
				return nil, err
			}
			c := &sqlConn{conn: conn}
			conns = append(conns, c)
			if query != "" {
				if c.stmt, err = conn.PrepareContext(ctx, query); err != nil {
					closeAll()
					return nil, err
				}
			}
			ops = append(ops, mk(env, c))
		}
		return runnerFunc{
			op:    func(ctx context.Context, w int) (int, error) { return ops[w](ctx) },
			close: closeAll,
		}, nil
	}
}

func sqlPointOp(_ *Env, c *sqlConn) opFunc {
	var n int32
	i := 0
	return func(ctx context.Context) (int, error) {
		i++
		return 1, c.stmt.QueryRowContext(ctx, pointArg(i)).Scan(&n)
	}
}

func sqlRowsOp(env *Env, c *sqlConn) opFunc {
	var (
		id int32
		s  string
		f  float64
		t  time.Time
	)
	arg := rowsArg(env.Workload.Name)
	return func(ctx context.Context) (int, error) {
		rows, err := c.stmt.QueryContext(ctx, arg)
		if err != nil {
			return 0, err
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(&id, &s, &f, &t); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		rows.Close()
		return n, rows.Err()
	}
}

func sqlStreamOp(_ *Env, c *sqlConn) opFunc {
	var (
		id int32
		s  string
	)
	return func(ctx context.Context) (int, error) {
		rows, err := c.stmt.QueryContext(ctx, streamArgs...)
		if err != nil {
			return 0, err
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		rows.Close()
		return n, rows.Err()
	}
}

// sqlDecodeOp scans decode-1000's rows as decodeRow does, but the uuid
// into its text: database/sql has no [16]byte destination.
func sqlDecodeOp(_ *Env, c *sqlConn) opFunc {
	var (
		r  decodeRow
		id string
	)
	dests := r.dests()
	dests[6] = &id
	return func(ctx context.Context) (int, error) {
		rows, err := c.stmt.QueryContext(ctx, argDecodeRows)
		if err != nil {
			return 0, err
		}
		return sqlScanAll(rows, dests)
	}
}

// sqlWideRow is wideRow's database/sql shape: uuid as its text (lib/pq
// returns it so), the int4[] through pq.Array.
type sqlWideRow struct {
	i8  [wideReps]int64
	txt [wideReps]string
	num [wideReps]string
	ts  [wideReps]time.Time
	id  [wideReps]string
	js  [wideReps][]byte
	by  [wideReps][]byte
	b   [wideReps]bool
	f8  [wideReps]float64
	arr [wideReps][]int32
}

func (r *sqlWideRow) dests() []any {
	d := make([]any, 0, wideReps*len(wideTypes))
	for k := 0; k < wideReps; k++ {
		d = append(d, &r.i8[k], &r.txt[k], &r.num[k], &r.ts[k], &r.id[k], &r.js[k], &r.by[k], &r.b[k], &r.f8[k], pq.Array(&r.arr[k]))
	}
	return d
}

func sqlWideOp(_ *Env, c *sqlConn) opFunc {
	var r sqlWideRow
	dests := r.dests()
	return func(ctx context.Context) (int, error) {
		return 1, c.stmt.QueryRowContext(ctx).Scan(dests...)
	}
}

// sqlTxEach runs each row through a statement prepared in a transaction,
// one round trip per row: database/sql has no pipelining.
func sqlTxEach(query string, rowsOf func(*Env) [][]any) func(env *Env, c *sqlConn) opFunc {
	return func(env *Env, c *sqlConn) opFunc {
		rows := rowsOf(env)
		return func(ctx context.Context) (int, error) {
			tx, err := c.conn.BeginTx(ctx, nil)
			if err != nil {
				return 0, err
			}
			defer tx.Rollback()
			stmt, err := tx.PrepareContext(ctx, query)
			if err != nil {
				return 0, err
			}
			for _, r := range rows {
				if _, err := stmt.ExecContext(ctx, r...); err != nil {
					return 0, err
				}
			}
			if err := stmt.Close(); err != nil {
				return 0, err
			}
			return len(rows), tx.Commit()
		}
	}
}

// libpqCopy is lib/pq's COPY: a prepared COPY FROM STDIN statement in a
// transaction, one Exec per row (buffered, text format), an empty Exec to
// finish.
func libpqCopy(table string, cols []string, rowsOf func(*Env) [][]any) func(env *Env, c *sqlConn) opFunc {
	return func(env *Env, c *sqlConn) opFunc {
		rows := rowsOf(env)
		return func(ctx context.Context) (int, error) {
			tx, err := c.conn.BeginTx(ctx, nil)
			if err != nil {
				return 0, err
			}
			defer tx.Rollback()
			stmt, err := tx.PrepareContext(ctx, copyFromStdin(table, cols))
			if err != nil {
				return 0, err
			}
			for _, r := range rows {
				if _, err := stmt.ExecContext(ctx, r...); err != nil {
					return 0, err
				}
			}
			if _, err := stmt.ExecContext(ctx); err != nil {
				return 0, err
			}
			if err := stmt.Close(); err != nil {
				return 0, err
			}
			return len(rows), tx.Commit()
		}
	}
}

// copyFromStdin is the COPY statement lib/pq recognises when prepared.
// The table and column names are the benchmark's own constants.
func copyFromStdin(table string, cols []string) string {
	return "COPY " + table + " (" + strings.Join(cols, ", ") + ") FROM STDIN"
}

// sqlPoolPoint shares a database/sql pool of poolConns connections among
// the workers, with the statement prepared on the pool (database/sql
// prepares it on each connection as it goes).
func sqlPoolPoint(drv string) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		db, err := sql.Open(sqlDriverNames[drv], env.DSN)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(poolConns)
		db.SetMaxIdleConns(poolConns)
		stmt, err := db.PrepareContext(ctx, sqlPoint)
		if err != nil {
			_ = db.Close()
			return nil, err
		}
		dst := perWorkerInt32(env.Workload.Workers)
		next := perWorkerCounter(env.Workload.Workers)
		return runnerFunc{
			op: func(ctx context.Context, w int) (int, error) {
				return 1, stmt.QueryRowContext(ctx, pointArg(next(w))).Scan(dst[w])
			},
			close: func() { _ = stmt.Close(); _ = db.Close() },
		}, nil
	}
}

func sqlMSReadOp(env *Env, c *sqlConn) opFunc {
	var vals, ptrs []any
	args := msArgs[msReadQueries[env.Workload.Name]]
	return func(ctx context.Context) (int, error) {
		rows, err := c.stmt.QueryContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		if ptrs == nil {
			cols, err := rows.Columns()
			if err != nil {
				rows.Close()
				return 0, err
			}
			vals = make([]any, len(cols))
			ptrs = make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
		}
		n := 0
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				rows.Close()
				return n, fmt.Errorf("scan: %w", err)
			}
			n++
		}
		rows.Close()
		return n, rows.Err()
	}
}
