package pg

import (
	"context"
	"errors"
	"fmt"
)

// The collectors over a *Rows: CollectRows, CollectOne and FetchVal for
// rows that do not come from a Querier plus SQL (Stmt.Query,
// BatchResults.Query, Cursor.Query). Each reads the rows to their end
// or closes them, whatever happens, and refuses RawBytes destinations,
// whose bytes would not outlive it.

// errNilRows is what a collector given no rows returns, rather than
// panic: the caller most likely dropped the error of the call that made
// them.
var errNilRows = errors.New("pg: the collector got nil rows; check the error of the call that returned them")

// ScanRows reads every row of rows as a T, as CollectRows does (structs by
// column name, Record, map[string]any, or a single column), and closes
// rows:
//
//	rows, err := stmt.Query(ctx, 42)
//	if err != nil { ... }
//	users, err := pg.ScanRows[User](rows)
func ScanRows[T any](rows *Rows) ([]T, error) {
	if rows == nil {
		return nil, errNilRows
	}
	defer rows.Close()
	rows.refuseRaw = true
	scan, err := rowScanner[T](rows)
	if err != nil {
		return nil, err
	}
	out := []T{}
	for rows.Next() {
		var zero T
		out = append(out, zero)
		if err := scan(rows, &out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// ScanOne reads the first row of rows as a T (see CollectRows) and closes
// rows, discarding the rest; ErrNoRows when there is none.
func ScanOne[T any](rows *Rows) (T, error) {
	var v T
	if rows == nil {
		return v, errNilRows
	}
	defer rows.Close()
	rows.refuseRaw = true
	scan, err := rowScanner[T](rows)
	if err != nil {
		return v, err
	}
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return v, err
		}
		return v, ErrNoRows
	}
	if err := scan(rows, &v); err != nil {
		return v, err
	}
	return v, rows.Close()
}

// ScanVal scans the first column of the first row of rows into a T, as
// FetchVal does, and closes rows; ErrNoRows when there is no row. It is
// the typed form of Stmt.FetchVal:
//
//	rows, err := stmt.Query(ctx, 42)
//	if err != nil { ... }
//	n, err := pg.ScanVal[int64](rows)
func ScanVal[T any](rows *Rows) (T, error) {
	return scanValColumn[T](rows, 0)
}

// FetchValColumn is FetchVal reading column (0-based) instead of the
// first, as asyncpg's fetchval(query, *args, column=n). A column the
// result does not have is a *ScanError saying how many it has.
func FetchValColumn[T any](ctx context.Context, q Querier, column int, sql string, args ...any) (T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		var zero T
		return zero, err
	}
	return scanValColumn[T](rows, column)
}

// scanValColumn scans one column of the first row into a T and closes
// rows.
func scanValColumn[T any](rows *Rows, column int) (T, error) {
	var v T
	if rows == nil {
		return v, errNilRows
	}
	defer rows.Close()
	rows.refuseRaw = true
	more := rows.Next()
	if !more {
		if err := rows.Close(); err != nil {
			return v, err // the server's error comes first
		}
	}
	n := len(rows.sd.fields)
	switch {
	case n == 0:
		return v, &ScanError{Column: 0, Err: errNoColumns}
	case column < 0 || column >= n:
		return v, &ScanError{Column: column, Err: fmt.Errorf("column %d is out of range: the result has %d column(s), numbered from 0", column, n)}
	case !more:
		return v, ErrNoRows
	}
	dest := make([]any, n)
	dest[column] = &v
	if err := rows.Scan(dest...); err != nil {
		return v, err
	}
	return v, rows.Close()
}
