package main

import (
	"context"

	"github.com/wirepg/pg"
)

// pg's pool rows through pg.Pool, one cell per PoolConfig.ResetMode: the
// default reset at every release (ResetAlways, as asyncpg), only after a
// lease that changed session state (ResetTracked), and none (ResetNever,
// as pgxpool and database/sql).

func init() {
	noReset := pg.DefaultPoolConfig()
	noReset.ResetMode = pg.ResetNever
	tracked := pg.DefaultPoolConfig()
	tracked.ResetMode = pg.ResetTracked
	for _, d := range []struct {
		name string
		pc   pg.PoolConfig
	}{{drvPG, pg.DefaultPoolConfig()}, {drvPGResetTracked, tracked}, {drvPGNoReset, noReset}} {
		register("pool", d.name, pgPoolFactory(d.pc, pgPoolPoint))
		for _, wl := range []string{"pool-acquire-1", "pool-acquire-64"} {
			register(wl, d.name, pgPoolFactory(d.pc, pgPoolAcquire))
		}
		for _, wl := range []string{"pool-select1-1", "pool-select1-64"} {
			register(wl, d.name, pgPoolFactory(d.pc, pgPoolSelect1))
		}
	}
	register("pool", drvPGNoCache, noCache(pgPoolFactory(noReset, pgPoolPoint)))
	register("pool-mux", drvPGNoReset, pgPoolFactory(noReset, pgPoolPoint))
	// The multiplexed connections carry every QueryRow; the ordinary ones
	// (none open up front) serve nothing here, so the server sees
	// muxConns connections.
	mux := pg.DefaultPoolConfig()
	mux.MinSize, mux.MaxSize, mux.MultiplexConns = 0, muxConns, muxConns
	register("pool-mux", drvPGMux, pgPoolFactorySized(mux, pgPoolPoint))
}

// pgPoolOp builds the operation of a pool workload on a shared pool.
type pgPoolOp func(env *Env, p *pg.Pool) func(ctx context.Context, w int) (int, error)

// pgPoolFactory shares one pg.Pool of poolConns connections among the
// workers, each running mk's operation.
func pgPoolFactory(pc pg.PoolConfig, mk pgPoolOp) Factory {
	pc.MinSize, pc.MaxSize = poolConns, poolConns
	return pgPoolFactorySized(pc, mk)
}

// pgPoolFactorySized is pgPoolFactory with pc's own sizes.
func pgPoolFactorySized(pc pg.PoolConfig, mk pgPoolOp) Factory {
	return func(ctx context.Context, env *Env) (Runner, error) {
		p, err := pg.CreatePool(ctx, env.DSN, pc)
		if err != nil {
			return nil, err
		}
		return runnerFunc{
			op:    mk(env, p),
			close: func() { _ = p.Close(context.Background()) },
		}, nil
	}
}

// pgPoolPoint: SELECT $1::int4 through the pool's own QueryRow.
func pgPoolPoint(env *Env, p *pg.Pool) func(ctx context.Context, w int) (int, error) {
	dst := perWorkerInt32(env.Workload.Workers)
	next := perWorkerCounter(env.Workload.Workers)
	return func(ctx context.Context, w int) (int, error) {
		return 1, p.QueryRow(ctx, sqlPoint, pointArg(next(w))).Scan(dst[w])
	}
}

// pgPoolAcquire: Acquire and Release, nothing run in between.
func pgPoolAcquire(_ *Env, p *pg.Pool) func(ctx context.Context, w int) (int, error) {
	return func(ctx context.Context, _ int) (int, error) {
		c, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		return 1, c.Release()
	}
}

// pgPoolSelect1: Acquire, SELECT 1 through the PoolConn, Release.
func pgPoolSelect1(env *Env, p *pg.Pool) func(ctx context.Context, w int) (int, error) {
	dst := perWorkerInt32(env.Workload.Workers)
	return func(ctx context.Context, w int) (int, error) {
		c, err := p.Acquire(ctx)
		if err != nil {
			return 0, err
		}
		err = c.QueryRow(ctx, sqlSelect1).Scan(dst[w])
		if rerr := c.Release(); err == nil {
			err = rerr
		}
		return 1, err
	}
}
