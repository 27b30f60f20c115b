package main

import (
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/wirepg/pg"
)

// rowScanner is the part of every driver's rows the read loops use.
type rowScanner interface {
	Next() bool
	Scan(dest ...any) error
}

// scanRows scans every row into dests, the same destinations each row,
// as applications reuse loop variables, and returns how many it read.
func scanRows(rows rowScanner, dests []any) (int, error) {
	n := 0
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// pgScanAll, pgxScanAll and sqlScanAll run scanRows and close the rows,
// returning the first error of the two.
func pgScanAll(rows *pg.Rows, dests []any) (int, error) {
	n, err := scanRows(rows, dests)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return n, err
}

func pgxScanAll(rows pgx.Rows, dests []any) (int, error) {
	n, err := scanRows(rows, dests)
	rows.Close()
	if err == nil {
		err = rows.Err()
	}
	return n, err
}

func sqlScanAll(rows *sql.Rows, dests []any) (int, error) {
	n, err := scanRows(rows, dests)
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rows.Err()
	}
	return n, err
}
