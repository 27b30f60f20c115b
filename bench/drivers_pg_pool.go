package main

import (
	"context"

	"github.com/wirepg/pg"
)

// pg's pool row through pg.Pool: with the default reset at release (as
// asyncpg), and without any (as pgxpool and database/sql).

func init() {
	register("pool", drvPG, pgPoolPoint(pg.PoolConfig{}))
	register("pool", drvPGNoReset, pgPoolPoint(pg.PoolConfig{
		Reset: func(context.Context, *pg.Conn) error { return nil },
	}))
}

// pgPoolPoint shares one pg.Pool of poolConns connections among the
// workers.
func pgPoolPoint(pc pg.PoolConfig) func(ctx context.Context, env *Env) (Runner, error) {
	pc.MinSize, pc.MaxSize = poolConns, poolConns
	return func(ctx context.Context, env *Env) (Runner, error) { return pgPool(ctx, env, pc) }
}

func pgPool(ctx context.Context, env *Env, pc pg.PoolConfig) (Runner, error) {
	p, err := pg.CreatePool(ctx, env.DSN, pc)
	if err != nil {
		return nil, err
	}
	dst := perWorkerInt32(env.Workload.Workers)
	next := perWorkerCounter(env.Workload.Workers)
	return runnerFunc{
		op: func(ctx context.Context, w int) (int, error) {
			return 1, p.QueryRow(ctx, sqlPoint, pointArg(next(w))).Scan(dst[w])
		},
		close: func() { _ = p.Close(context.Background()) },
	}, nil
}
