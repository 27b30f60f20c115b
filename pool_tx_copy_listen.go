package pg

import (
	"context"
	"io"
)

// The Pool and PoolConn wrappers of transactions, ExecMany, COPY and
// LISTEN.

// Begin acquires a connection and starts a transaction on it; the
// connection is released when the transaction ends (Commit, Rollback, or
// found dead). A Tx never ended keeps its connection out of the pool.
func (p *Pool) Begin(ctx context.Context, opts TxOptions) (*Tx, error) {
	for attempt := 1; ; attempt++ {
		h, err := p.acquireHolder(ctx)
		if err != nil {
			return nil, err
		}
		c := h.conn
		tx, err := c.Begin(ctx, opts)
		if err == nil {
			tx.releaseOnEnd(h.releaseOne)
			return tx, nil
		}
		err = callErr(c, err)
		p.release(h, false)
		if !retryable(err, attempt) {
			return nil, err
		}
	}
}

// ExecMany acquires a connection, runs Conn.ExecMany and releases it.
func (p *Pool) ExecMany(ctx context.Context, sql string, args [][]any) error {
	_, err := poolCall(p, ctx, true, func(c *Conn) (struct{}, error) { return struct{}{}, c.ExecMany(ctx, sql, args) })
	return err
}

// CopyRecordsToTable acquires a connection, runs Conn.CopyRecordsToTable
// and releases it.
func (p *Pool) CopyRecordsToTable(ctx context.Context, table string, columns []string, src CopySource) (int64, error) {
	return poolCall(p, ctx, false, func(c *Conn) (int64, error) { return c.CopyRecordsToTable(ctx, table, columns, src) })
}

// CopyToTable acquires a connection, runs Conn.CopyToTable and releases it.
func (p *Pool) CopyToTable(ctx context.Context, table string, r io.Reader, opts CopyOptions) (int64, error) {
	return poolCall(p, ctx, false, func(c *Conn) (int64, error) { return c.CopyToTable(ctx, table, r, opts) })
}

// CopyFromTable acquires a connection, runs Conn.CopyFromTable and
// releases it.
func (p *Pool) CopyFromTable(ctx context.Context, table string, w io.Writer, opts CopyOptions) (int64, error) {
	return poolCall(p, ctx, true, func(c *Conn) (int64, error) { return c.CopyFromTable(ctx, table, w, opts) })
}

// CopyFromQuery acquires a connection, runs Conn.CopyFromQuery and
// releases it.
func (p *Pool) CopyFromQuery(ctx context.Context, sql string, w io.Writer, opts CopyOptions, args ...any) (int64, error) {
	return poolCall(p, ctx, true, func(c *Conn) (int64, error) { return c.CopyFromQuery(ctx, sql, w, opts, args...) })
}

// Begin starts a transaction on the leased connection; see Conn.Begin.
// End it before Release: a transaction still open at Release is rolled
// back with a warning.
func (pc *PoolConn) Begin(ctx context.Context, opts TxOptions) (*Tx, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	tx, err := c.Begin(ctx, opts)
	if err != nil {
		return nil, callErr(c, err)
	}
	pc.tx, tx.lease = tx, pc
	return tx, nil
}

// ExecMany runs sql once per argument list; see Conn.ExecMany.
func (pc *PoolConn) ExecMany(ctx context.Context, sql string, args [][]any) error {
	c, err := pc.conn()
	if err != nil {
		return err
	}
	return callErr(c, c.ExecMany(ctx, sql, args))
}

// CopyRecordsToTable copies src into table; see Conn.CopyRecordsToTable.
func (pc *PoolConn) CopyRecordsToTable(ctx context.Context, table string, columns []string, src CopySource) (int64, error) {
	c, err := pc.conn()
	if err != nil {
		return 0, err
	}
	n, err := c.CopyRecordsToTable(ctx, table, columns, src)
	return n, callErr(c, err)
}

// CopyToTable copies r into table; see Conn.CopyToTable.
func (pc *PoolConn) CopyToTable(ctx context.Context, table string, r io.Reader, opts CopyOptions) (int64, error) {
	c, err := pc.conn()
	if err != nil {
		return 0, err
	}
	n, err := c.CopyToTable(ctx, table, r, opts)
	return n, callErr(c, err)
}

// CopyFromTable copies table to w; see Conn.CopyFromTable.
func (pc *PoolConn) CopyFromTable(ctx context.Context, table string, w io.Writer, opts CopyOptions) (int64, error) {
	c, err := pc.conn()
	if err != nil {
		return 0, err
	}
	n, err := c.CopyFromTable(ctx, table, w, opts)
	return n, callErr(c, err)
}

// CopyFromQuery copies the query's result to w; see Conn.CopyFromQuery.
func (pc *PoolConn) CopyFromQuery(ctx context.Context, sql string, w io.Writer, opts CopyOptions, args ...any) (int64, error) {
	c, err := pc.conn()
	if err != nil {
		return 0, err
	}
	n, err := c.CopyFromQuery(ctx, sql, w, opts, args...)
	return n, callErr(c, err)
}

// Listen runs LISTEN on channel for this lease; see Conn.Listen. Release
// unlistens and drops the callback, so it lasts only while the
// connection is held.
func (pc *PoolConn) Listen(ctx context.Context, channel string, f func(Notification)) error {
	c, err := pc.conn()
	if err != nil {
		return err
	}
	return callErr(c, c.Listen(ctx, channel, f))
}

// Unlisten runs UNLISTEN on channel; see Conn.Unlisten.
func (pc *PoolConn) Unlisten(ctx context.Context, channel string) error {
	c, err := pc.conn()
	if err != nil {
		return err
	}
	return callErr(c, c.Unlisten(ctx, channel))
}

// SendBatch sends the batch on the leased connection; see Conn.SendBatch.
// Close the results before Release. (Pool has no SendBatch: the
// connection would have to be released when the results are closed, and
// BatchResults has no hook for that yet; acquire a PoolConn instead.)
func (pc *PoolConn) SendBatch(ctx context.Context, b *Batch) (*BatchResults, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	br, err := c.SendBatch(ctx, b)
	return br, callErr(c, err)
}

// WaitForNotification waits for a notification on a channel this lease
// listens to; see Conn.WaitForNotification.
func (pc *PoolConn) WaitForNotification(ctx context.Context) (Notification, error) {
	c, err := pc.conn()
	if err != nil {
		return Notification{}, err
	}
	n, err := c.WaitForNotification(ctx) // reads the last Release's reset first
	if err != nil && c.failedReset() != nil {
		return Notification{}, &PoolResetError{ResetErr: c.failedReset()}
	}
	return n, err
}
