package pg

import (
	"context"
	"iter"

	"github.com/wirepg/pg/codec"
)

// The methods that complete the query-method matrix (matrix_test.go
// lists it): each querier offers what Conn offers where it makes sense,
// with the same name and signature.

// IterFetchSize is Iter asking the server for fetchSize rows at a time;
// see Conn.IterFetchSize.
func (tx *Tx) IterFetchSize(ctx context.Context, fetchSize int, sql string, args ...any) iter.Seq2[Record, error] {
	if err := tx.usable(); err != nil {
		return func(yield func(Record, error) bool) { yield(Record{}, err) }
	}
	return tx.c.IterFetchSize(ctx, fetchSize, sql, args...)
}

// PrepareNamed prepares a statement with a name chosen by the caller on
// the transaction's connection; see Conn.PrepareNamed. The statement
// lives as Tx.Prepare's does.
func (tx *Tx) PrepareNamed(ctx context.Context, name, sql string) (*Stmt, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	stmt, err := tx.c.PrepareNamed(ctx, name, sql)
	tx.note(err)
	if err == nil {
		tx.adopt(stmt)
	}
	return stmt, err
}

// Cursor opens a server-side cursor in the transaction the lease is in
// (begun with Exec("BEGIN")); see Conn.Cursor. Prefer Begin and
// Tx.Cursor. The cursor lives as long as the lease: after Release its
// methods return ErrPoolConnReleased.
func (pc *PoolConn) Cursor(ctx context.Context, sql string, args ...any) (*Cursor, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	cur, err := c.Cursor(ctx, sql, args...)
	if err != nil {
		return nil, callErr(c, err)
	}
	cur.lease = pc
	return cur, nil
}

// OnNotice adds a notice callback for this lease; see Conn.OnNotice.
// Release removes it with the other Go-side callbacks; on a released
// PoolConn it registers nothing.
func (pc *PoolConn) OnNotice(f func(*Notice)) (remove func()) {
	c, err := pc.conn()
	if err != nil {
		return func() {}
	}
	return c.OnNotice(f)
}

// AddQueryLogger adds a query logger for this lease; see
// Conn.AddQueryLogger. Release removes it; on a released PoolConn it
// registers nothing.
func (pc *PoolConn) AddQueryLogger(f func(LoggedQuery)) (remove func()) {
	c, err := pc.conn()
	if err != nil {
		return func() {}
	}
	return c.AddQueryLogger(f)
}

// SetTypeCodec sets a custom codec on the leased connection; see
// Conn.SetTypeCodec. Unlike callbacks it outlives the lease: the codec
// stays on that one connection for its life, and other connections of
// the pool do not have it. To have it everywhere, set it in
// PoolConfig.Init.
func (pc *PoolConn) SetTypeCodec(ctx context.Context, typeName, schema string, cd codec.Codec) error {
	c, err := pc.conn()
	if err != nil {
		return err
	}
	return c.SetTypeCodec(ctx, typeName, schema, cd)
}

// SendBatch acquires a connection, sends the batch on it (see
// Conn.SendBatch) and releases the connection when the results are
// closed, which must be done.
func (p *Pool) SendBatch(ctx context.Context, b *Batch) (*BatchResults, error) {
	pc, err := p.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	br, err := pc.SendBatch(ctx, b)
	if err != nil {
		pc.Release()
		return nil, err
	}
	br.afterClose = func() { pc.Release() }
	return br, nil
}

// AddListener runs LISTEN on channel for this lease and returns a
// function that removes this one callback; see Conn.AddListener. Like
// Listen's, the callback ends with the lease: Release unlistens and drops
// it, and remove then does nothing and returns nil (the connection may
// serve someone else by then). On a released PoolConn it returns
// ErrPoolConnReleased.
func (pc *PoolConn) AddListener(ctx context.Context, channel string, f func(Notification)) (remove func(context.Context) error, err error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	rm, err := c.AddListener(ctx, channel, f)
	if err != nil {
		return nil, callErr(c, err)
	}
	return func(ctx context.Context) error {
		if pc.h == nil {
			return nil // Release ended the listener
		}
		return callErr(c, rm(ctx))
	}, nil
}
