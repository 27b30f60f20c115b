package pg

import (
	"context"
	"errors"
)

// The Pool's query methods acquire a connection, run one call and release
// it (Query: when its Rows is closed). On a multiplexed pool
// (PoolConfig.MultiplexConns) they run on a multiplexed connection
// instead, when the statement allows (see Pool). A call that provably did not run —
// refused because the connection's previous reset failed
// (PoolResetError), or failed before any of its request was written
// (SafeToRetry) — is retried once on another connection.

// Exec acquires a connection, runs Conn.Exec and releases it.
func (p *Pool) Exec(ctx context.Context, sql string, args ...any) (CommandTag, error) {
	if m := p.muxFor(sql, len(args) == 0); m != nil {
		return muxCall(m, func(c *Conn) (CommandTag, error) { return c.Exec(ctx, sql, args...) })
	}
	return poolCall(p, ctx, true, func(c *Conn) (CommandTag, error) { return c.Exec(ctx, sql, args...) })
}

// Fetch acquires a connection, runs Conn.Fetch and releases it.
func (p *Pool) Fetch(ctx context.Context, sql string, args ...any) ([]Record, error) {
	if m := p.muxFor(sql, false); m != nil {
		return muxCall(m, func(c *Conn) ([]Record, error) { return c.Fetch(ctx, sql, args...) })
	}
	return poolCall(p, ctx, true, func(c *Conn) ([]Record, error) { return c.Fetch(ctx, sql, args...) })
}

// FetchRow acquires a connection, runs Conn.FetchRow and releases it.
func (p *Pool) FetchRow(ctx context.Context, sql string, args ...any) (Record, error) {
	if m := p.muxFor(sql, false); m != nil {
		return muxCall(m, func(c *Conn) (Record, error) { return c.FetchRow(ctx, sql, args...) })
	}
	return poolCall(p, ctx, true, func(c *Conn) (Record, error) { return c.FetchRow(ctx, sql, args...) })
}

// Query acquires a connection and runs Conn.Query; the connection is
// released when the Rows is closed or read to the end. A Rows never closed
// keeps its connection out of the pool.
func (p *Pool) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	if m := p.muxFor(sql, false); m != nil {
		return m.query(ctx, sql, args)
	}
	for attempt := 1; ; attempt++ {
		h, err := p.acquireHolder(ctx)
		if err != nil {
			return nil, err
		}
		c := h.conn
		rows, err := c.Query(ctx, sql, args...)
		if err == nil {
			rows.releaseOnClose(h.releaseOne)
			return rows, nil
		}
		err = callErr(c, err)
		p.release(h, false)
		if !retryable(err, attempt) {
			return nil, err
		}
	}
}

// QueryRow acquires a connection and runs the query; Scan reads the first
// row and releases the connection.
func (p *Pool) QueryRow(ctx context.Context, sql string, args ...any) *Row {
	rows, err := p.Query(ctx, sql, args...)
	return &Row{rows: rows, err: err}
}

// poolCall runs one call on a leased connection. retry is false for calls
// that consume a caller's data source, which a second try would find
// partly read.
func poolCall[T any](p *Pool, ctx context.Context, retry bool, f func(c *Conn) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		h, err := p.acquireHolder(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		c := h.conn
		v, err := f(c)
		err = callErr(c, err) // before release: c may then serve someone else
		p.release(h, false)
		if !retry || !retryable(err, attempt) {
			return v, err
		}
	}
}

// retryable: a call refused by a failed reset, or one whose connection
// broke before any of its request was written (SafeToRetry), gets one
// more try on another connection.
func retryable(err error, attempt int) bool {
	var re *PoolResetError
	return attempt == 1 && (errors.As(err, &re) || SafeToRetry(err))
}
