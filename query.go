package pg

import "context"

// Query runs sql with args through the extended protocol (binary
// parameters and results, statement cache) and streams its rows. Close the
// Rows (or read them to the end) before using the connection again.
func (c *Conn) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	t := c.traceStart(ctx, traceQuery, sql, args, 0)
	sd, err := c.startExtended(sql, args)
	if err != nil {
		err = c.endCall(err)
		c.traceEnd(&t, sql, args, CommandTag{}, err)
		return nil, err
	}
	c.rowsTrace = t
	return &Rows{c: c, sd: sd, args: args}, nil
}

// Fetch runs the query and returns every row as a Record.
func (c *Conn) Fetch(ctx context.Context, sql string, args ...any) ([]Record, error) {
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		return nil, err
	}
	return collectRecords(rows)
}

func collectRecords(rows *Rows) ([]Record, error) {
	defer rows.Close()
	var out []Record
	for rows.Next() {
		rec, err := rows.Record()
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	return out, nil
}

// FetchRow runs the query and returns its first row; ErrNoRows when there
// is none. Later rows are discarded.
func (c *Conn) FetchRow(ctx context.Context, sql string, args ...any) (Record, error) {
	rows, err := c.Query(ctx, sql, args...)
	if err != nil {
		return Record{}, err
	}
	return firstRecord(rows)
}

func firstRecord(rows *Rows) (Record, error) {
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return Record{}, err
		}
		return Record{}, ErrNoRows
	}
	rec, err := rows.Record()
	if err != nil {
		return Record{}, err
	}
	return rec, rows.Close()
}

// Row is the result of QueryRow: its error is reported by Scan.
type Row struct {
	rows *Rows
	err  error
}

// QueryRow runs the query; Scan reads its first row.
func (c *Conn) QueryRow(ctx context.Context, sql string, args ...any) *Row {
	rows, err := c.Query(ctx, sql, args...)
	return &Row{rows: rows, err: err}
}

// Scan copies the first row into dest and discards the rest; ErrNoRows when
// the query returned no row.
func (r *Row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return scanFirst(r.rows, dest)
}

func scanFirst(rows *Rows, dest []any) error {
	defer rows.Close()
	rows.refuseRaw = true
	if !rows.Next() {
		if err := rows.Close(); err != nil {
			return err
		}
		return ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// Querier is anything that runs a query and streams rows: *Conn, *Pool,
// *PoolConn and *Tx.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (*Rows, error)
}

// FetchVal runs the query and scans the first column of its first row into
// a T; ErrNoRows when there is no row. FetchValColumn reads another
// column, ScanVal the rows of a Stmt, Cursor or batch.
func FetchVal[T any](ctx context.Context, q Querier, sql string, args ...any) (T, error) {
	return FetchValColumn[T](ctx, q, 0, sql, args...)
}
