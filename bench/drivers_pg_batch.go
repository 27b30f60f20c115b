package main

import (
	"context"

	"github.com/wirepg/pg"
)

// pg's pipelined inserts through Conn.ExecMany.

func init() {
	register("insert-batch", drvPG, pgPerWorker(pgInsertBatch))
	register("ms-batch", drvPG, pgPerWorker(pgMSBatch))
}

func pgInsertBatch(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
	rows := env.Data.Rows(nInsert)
	return func(ctx context.Context) (int, error) {
		return len(rows), c.ExecMany(ctx, sqlInsert, rows)
	}, nil
}

func pgMSBatch(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
	rows := msRows(nMSBatch)
	return func(ctx context.Context) (int, error) {
		return nMSBatch, c.ExecMany(ctx, sqlMSBatch, rows)
	}, nil
}
