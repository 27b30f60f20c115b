package main

import (
	"context"
	"database/sql"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/wirepg/pg"
)

// rows-rawbytes: rows-large's 100,000 rows with the text column scanned
// into each driver's no-copy destination, valid until the next Next:
// pg.RawBytes, pgx's pgtype.DriverBytes and database/sql's sql.RawBytes.
// The other columns are scanned as in rows-large, so the difference from
// it is the string each row no longer allocates.

func init() {
	register("rows-rawbytes", drvPG, pgPerWorker(func(_ context.Context, _ *Env, c *pg.Conn) (opFunc, error) {
		var r rawRow
		var text pg.RawBytes
		dests := r.dests(&text)
		return func(ctx context.Context) (int, error) {
			rows, err := c.Query(ctx, sqlRows, argRowsLarge)
			if err != nil {
				return 0, err
			}
			return pgScanAll(rows, dests)
		}, nil
	}))
	register("rows-rawbytes", drvPGX, pgxPerWorker(func(_ *Env, c *pgx.Conn) opFunc {
		var r rawRow
		var text pgtype.DriverBytes
		dests := r.dests(&text)
		return func(ctx context.Context) (int, error) {
			rows, err := c.Query(ctx, sqlRows, argRowsLarge)
			if err != nil {
				return 0, err
			}
			return pgxScanAll(rows, dests)
		}
	}))
	for drv := range sqlDriverNames {
		register("rows-rawbytes", drv, sqlPerWorker(drv, sqlRows, func(_ *Env, c *sqlConn) opFunc {
			var r rawRow
			var text sql.RawBytes
			dests := r.dests(&text)
			return func(ctx context.Context) (int, error) {
				rows, err := c.stmt.QueryContext(ctx, argRowsLarge)
				if err != nil {
					return 0, err
				}
				return sqlScanAll(rows, dests)
			}
		}))
	}
}

// rawRow holds rows-rawbytes' typed columns; the text column goes to the
// driver's raw destination.
type rawRow struct {
	id int32
	f  float64
	t  time.Time
}

func (r *rawRow) dests(text any) []any { return []any{&r.id, text, &r.f, &r.t} }
