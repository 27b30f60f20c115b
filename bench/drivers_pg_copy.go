package main

import (
	"context"
	"fmt"

	"github.com/wirepg/pg"
)

// pg's binary COPY FROM STDIN through Conn.CopyRecordsToTable.

func init() {
	register("copy-in", drvPG, pgPerWorker(pgCopyIn))
	register("ms-copyfrom", drvPG, pgPerWorker(pgMSCopy))
}

func pgCopyIn(_ context.Context, env *Env, c *pg.Conn) (opFunc, error) {
	rows := env.Data.Rows(nCopyIn)
	return func(ctx context.Context) (int, error) {
		n, err := c.CopyRecordsToTable(ctx, copyTable, copyColumns, pg.CopyFromRows(rows))
		if err == nil && int(n) != len(rows) {
			err = fmt.Errorf("copied %d rows, want %d", n, len(rows))
		}
		return int(n), err
	}, nil
}

func pgMSCopy(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
	rows := msRows(nMSCopy)
	return func(ctx context.Context) (int, error) {
		n, err := c.CopyRecordsToTable(ctx, msCopyTable, msColumns, pg.CopyFromRows(rows))
		return int(n), err
	}, nil
}
