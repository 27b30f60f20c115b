package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/wirepg/pg"
)

// pg: the driver under test. Its pool, COPY and batch workloads are in
// drivers_pg_pool.go, drivers_pg_copy.go and drivers_pg_batch.go.

func init() {
	register("point", drvPG, pgPerWorker(pgPoint))
	register("rows-small", drvPG, pgPerWorker(pgRows))
	register("rows-large", drvPG, pgPerWorker(pgRows))
	register("wide", drvPG, pgPerWorker(pgWide))
	register("insert-each", drvPG, pgPerWorker(pgInsertEach))
	register("stream", drvPG, pgPerWorker(pgStream))
	register("decode-1000", drvPG, pgPerWorker(pgDecode))
	for name := range msReadQueries {
		register(name, drvPG, pgPerWorker(pgMSRead))
	}
	register("point", drvPGNoCache, noCache(pgPerWorker(pgPoint)))
	register("rows-small", drvPGNoCache, noCache(pgPerWorker(pgRows)))
	register("wide", drvPGNoCache, noCache(pgPerWorker(pgWide)))
}

// noCache runs f's connections with the statement cache off.
func noCache(f Factory) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		e := *env
		e.DSN = withDSNParam(e.DSN, "statement_cache_size", "0")
		return f(ctx, &e)
	}
}

// pgOp builds one worker's operation on its own connection; it may run
// queries to prepare (the wide workload probes its destinations).
type pgOp func(ctx context.Context, env *Env, c *pg.Conn) (opFunc, error)

// pgPerWorker opens one connection per worker and builds each worker's
// operation with mk.
func pgPerWorker(mk pgOp) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		var conns []*pg.Conn
		closeAll := func() {
			for _, c := range conns {
				_ = c.Close(context.Background())
			}
		}
		var ops []opFunc
		for w := 0; w < max(1, env.Workload.Workers); w++ {
			c, err := pg.Connect(ctx, env.DSN)
			if err != nil {
				closeAll()
				return nil, err
			}
			conns = append(conns, c)
			op, err := mk(ctx, env, c)
			if err != nil {
				closeAll()
				return nil, err
			}
			ops = append(ops, op)
		}
		return runnerFunc{
			op:    func(ctx context.Context, w int) (int, error) { return ops[w](ctx) },
			close: closeAll,
		}, nil
	}
}

func pgPoint(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
	var n int32
	i := 0
	return func(ctx context.Context) (int, error) {
		i++
		return 1, c.QueryRow(ctx, sqlPoint, pointArg(i)).Scan(&n)
	}, nil
}

func pgRows(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
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
		return n, rows.Close()
	}, nil
}

func pgStream(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
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
		return n, rows.Close()
	}, nil
}

func pgDecode(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
	var r decodeRow
	dests := r.dests()
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, sqlDecode, argDecodeRows)
		if err != nil {
			return 0, err
		}
		return pgScanAll(rows, dests)
	}, nil
}

// pgWide scans into the same Go types as pgx, except where pg cannot yet
// (a type it reads as text, or a destination its codec lacks): such a
// column is found by trying once and scanned into *any instead, and the
// fallback is reported on standard error.
func pgWide(ctx context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
	var r wideRow
	dests := r.dests()
	var fallback []string
	for tries := 0; ; tries++ {
		err := c.QueryRow(ctx, sqlWide).Scan(dests...)
		if err == nil {
			break
		}
		var se *pg.ScanError
		if !errors.As(err, &se) || tries == len(dests) {
			return nil, err
		}
		dests[se.Column] = new(any)
		fallback = append(fallback, fmt.Sprintf("c%02d (%s): %v", se.Column, wideTypes[se.Column%len(wideTypes)], se.Err))
	}
	if len(fallback) > 0 && wideNoteOnce() {
		fmt.Fprintf(os.Stderr, "note: pg wide: %d columns scanned into *any instead:\n", len(fallback))
		for _, f := range fallback {
			fmt.Fprintf(os.Stderr, "  %s\n", f)
		}
	}
	return func(ctx context.Context) (int, error) {
		return 1, c.QueryRow(ctx, sqlWide).Scan(dests...)
	}, nil
}

var wideNoted bool

// wideNoteOnce reports whether the wide fallback note is still to be
// printed (factories run one at a time, on the main goroutine).
func wideNoteOnce() bool {
	if wideNoted {
		return false
	}
	wideNoted = true
	return true
}

// pgInsertEach runs the inserts in a pg.Tx, one extended-protocol round
// trip each, as pgx's does in a pgx.Tx.
func pgInsertEach(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
	rows := env.Data.Rows(nInsert)
	return func(ctx context.Context) (int, error) {
		tx, err := c.Begin(ctx, pg.TxOptions{})
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
	}, nil
}

func pgMSRead(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
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
		return n, rows.Close()
	}, nil
}
