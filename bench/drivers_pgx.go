package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pgx v5 in its default mode (QueryExecModeCacheStatement: each query is
// prepared once per connection and then runs as Bind/Execute), the
// baseline every ratio is taken against.

func init() {
	register("point", drvPGX, pgxPerWorker(pgxPoint))
	register("rows-small", drvPGX, pgxPerWorker(pgxRows))
	register("rows-large", drvPGX, pgxPerWorker(pgxRows))
	register("wide", drvPGX, pgxPerWorker(pgxWide))
	register("insert-each", drvPGX, pgxPerWorker(pgxInsertEach))
	register("stream", drvPGX, pgxPerWorker(pgxStream))
	register("insert-batch", drvPGX, pgxPerWorker(pgxInsertBatch))
	register("copy-in", drvPGX, pgxPerWorker(pgxCopyIn))
	register("pool", drvPGXPool, pgxPoolFactory(pgxPoolPoint))
	register("pool-mux", drvPGXPool, pgxPoolFactory(pgxPoolPoint))
	register("pool-acquire-1", drvPGXPool, pgxPoolFactory(pgxPoolAcquire))
	register("pool-acquire-64", drvPGXPool, pgxPoolFactory(pgxPoolAcquire))
	register("pool-select1-1", drvPGXPool, pgxPoolFactory(pgxPoolSelect1))
	register("pool-select1-64", drvPGXPool, pgxPoolFactory(pgxPoolSelect1))
	register("decode-1000", drvPGX, pgxPerWorker(pgxDecode))
	for name := range msReadQueries {
		register(name, drvPGX, pgxPerWorker(pgxMSRead))
	}
	register("ms-copyfrom", drvPGX, pgxPerWorker(pgxMSCopy))
	register("ms-batch", drvPGX, pgxPerWorker(pgxMSBatch))
}

// opFunc is one worker's operation on its own connection.
type opFunc func(ctx context.Context) (int, error)

// pgxPerWorker opens one connection per worker and builds each worker's
// operation with mk.
func pgxPerWorker(mk func(env *Env, c *pgx.Conn) opFunc) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		conns := make([]*pgx.Conn, 0, env.Workload.Workers)
		closeAll := func() {
			for _, c := range conns {
				_ = c.Close(context.Background())
			}
		}
		ops := make([]opFunc, 0, env.Workload.Workers)
		for w := 0; w < max(1, env.Workload.Workers); w++ {
			c, err := pgx.Connect(ctx, env.DSN)
			if err != nil {
				closeAll()
				return nil, err
			}
			conns = append(conns, c)
			ops = append(ops, mk(env, c))
		}
		return runnerFunc{
			op:    func(ctx context.Context, w int) (int, error) { return ops[w](ctx) },
			close: closeAll,
		}, nil
	}
}

func pgxPoint(_ *Env, c *pgx.Conn) opFunc {
	var n int32
	i := 0
	return func(ctx context.Context) (int, error) {
		i++
		return 1, c.QueryRow(ctx, sqlPoint, pointArg(i)).Scan(&n)
	}
}

func pgxRows(env *Env, c *pgx.Conn) opFunc {
	var (
		id int32
		s  string
		f  float64
		t  time.Time
	)
	arg := rowsArg(env.Workload.Name)
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, sqlRows, arg)
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

func pgxStream(_ *Env, c *pgx.Conn) opFunc {
	var (
		id int32
		s  string
	)
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, sqlStream, streamArgs...)
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

func pgxWide(_ *Env, c *pgx.Conn) opFunc {
	var r wideRow
	dests := r.dests()
	return func(ctx context.Context) (int, error) {
		return 1, c.QueryRow(ctx, sqlWide).Scan(dests...)
	}
}

func pgxInsertEach(env *Env, c *pgx.Conn) opFunc {
	rows := env.Data.Rows(nInsert)
	return func(ctx context.Context) (int, error) {
		tx, err := c.Begin(ctx)
		if err != nil {
			return 0, err
		}
		defer tx.Rollback(ctx)
		for _, r := range rows {
			if _, err := tx.Exec(ctx, sqlInsert, r...); err != nil {
				return 0, err
			}
		}
		return len(rows), tx.Commit(ctx)
	}
}

func pgxInsertBatch(env *Env, c *pgx.Conn) opFunc {
	rows := env.Data.Rows(nInsert)
	return func(ctx context.Context) (int, error) {
		b := &pgx.Batch{}
		for _, r := range rows {
			b.Queue(sqlInsert, r...)
		}
		return len(rows), c.SendBatch(ctx, b).Close()
	}
}

func pgxCopyIn(env *Env, c *pgx.Conn) opFunc {
	rows := env.Data.Rows(nCopyIn)
	return func(ctx context.Context) (int, error) {
		n, err := c.CopyFrom(ctx, pgx.Identifier{copyTable}, copyColumns, pgx.CopyFromRows(rows))
		if err == nil && n != int64(len(rows)) {
			err = fmt.Errorf("copied %d rows, want %d", n, len(rows))
		}
		return int(n), err
	}
}

// pgxPoolFactory shares one pgxpool of poolConns connections among the
// workers, each running mk's operation.
func pgxPoolFactory(mk func(env *Env, p *pgxpool.Pool) func(ctx context.Context, w int) (int, error)) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		cfg, err := pgxpool.ParseConfig(env.DSN)
		if err != nil {
			return nil, err
		}
		cfg.MaxConns, cfg.MinConns = poolConns, poolConns
		p, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return runnerFunc{op: mk(env, p), close: p.Close}, nil
	}
}

// pgxPoolPoint: SELECT $1::int4 through the pool's own QueryRow.
func pgxPoolPoint(env *Env, p *pgxpool.Pool) func(ctx context.Context, w int) (int, error) {
	dst := perWorkerInt32(env.Workload.Workers)
	next := perWorkerCounter(env.Workload.Workers)
	return func(ctx context.Context, w int) (int, error) {
		return 1, p.QueryRow(ctx, sqlPoint, pointArg(next(w))).Scan(dst[w])
	}
}

// pgxPoolAcquire: Acquire and Release, nothing run in between.
func pgxPoolAcquire(_ *Env, p *pgxpool.Pool) func(ctx context.Context, w int) (int, error) {
	return func(ctx context.Context, _ int) (int, error) {
		c, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		c.Release()
		return 1, nil
	}
}

// pgxPoolSelect1: Acquire, SELECT 1 through the acquired *pgxpool.Conn,
// Release.
func pgxPoolSelect1(env *Env, p *pgxpool.Pool) func(ctx context.Context, w int) (int, error) {
	dst := perWorkerInt32(env.Workload.Workers)
	return func(ctx context.Context, w int) (int, error) {
		c, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		err = c.QueryRow(ctx, sqlSelect1).Scan(dst[w])
		c.Release()
		return 1, err
	}
}

func pgxDecode(_ *Env, c *pgx.Conn) opFunc {
	var r decodeRow
	dests := r.dests()
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, sqlDecode, argDecodeRows)
		if err != nil {
			return 0, err
		}
		return pgxScanAll(rows, dests)
	}
}

func pgxMSRead(env *Env, c *pgx.Conn) opFunc {
	sql := msReadQueries[env.Workload.Name]
	args := msArgs[sql]
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, sql, args...)
		if err != nil {
			return 0, err
		}
		n := 0
		for rows.Next() {
			if _, err := rows.Values(); err != nil {
				rows.Close()
				return n, err
			}
			n++
		}
		rows.Close()
		return n, rows.Err()
	}
}

func pgxMSCopy(_ *Env, c *pgx.Conn) opFunc {
	rows := msRows(nMSCopy)
	return func(ctx context.Context) (int, error) {
		n, err := c.CopyFrom(ctx, pgx.Identifier{msCopyTable}, msColumns, pgx.CopyFromRows(rows))
		return int(n), err
	}
}

func pgxMSBatch(_ *Env, c *pgx.Conn) opFunc {
	return func(ctx context.Context) (int, error) {
		b := &pgx.Batch{}
		for i := 0; i < nMSBatch; i++ {
			b.Queue(sqlMSBatch, msRow...)
		}
		return nMSBatch, c.SendBatch(ctx, b).Close()
	}
}
