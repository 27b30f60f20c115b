package main

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/lib/pq"
	"github.com/wirepg/pg"
)

// The typed-Scan reads (typed.go) through every driver: the same loop of
// Next and Scan into the same destinations, reused over rows.

func init() {
	for name := range typedReads {
		register(name, drvPG, pgPerWorker(pgTypedRead))
		register(name, drvPGX, pgxPerWorker(pgxTypedRead))
		for drv := range sqlDriverNames {
			register(name, drv, sqlPerWorker(drv, typedReads[name].sql, sqlTypedRead))
		}
	}
}

func pgTypedRead(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
	q := typedReads[env.Workload.Name]
	var r typedRow
	dests := q.dests(&r, nil)
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		return pgScanAll(rows, dests)
	}, nil
}

func pgxTypedRead(env *Env, c *pgx.Conn) opFunc {
	q := typedReads[env.Workload.Name]
	var r typedRow
	dests := q.dests(&r, nil)
	return func(ctx context.Context) (int, error) {
		rows, err := c.Query(ctx, q.sql, q.args...)
		if err != nil {
			return 0, err
		}
		return pgxScanAll(rows, dests)
	}
}

// sqlTypedRead scans an int4[] through pq.Array, as lib/pq users must;
// pgx's and pg's adapters take it too (it is a sql.Scanner reading the
// text form).
func sqlTypedRead(env *Env, c *sqlConn) opFunc {
	q := typedReads[env.Workload.Name]
	var r typedRow
	dests := q.dests(&r, func(p *[]int32) any { return pq.Array(p) })
	return func(ctx context.Context) (int, error) {
		rows, err := c.stmt.QueryContext(ctx, q.args...)
		if err != nil {
			return 0, err
		}
		return sqlScanAll(rows, dests)
	}
}
