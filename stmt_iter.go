package pg

import (
	"context"
	"iter"
)

// Iter runs the statement with args and yields its rows one Record at a
// time, DefaultFetchSize rows per round trip; see Conn.Iter. On a Stmt of
// a PoolConn the lease is checked when the loop starts.
func (s *Stmt) Iter(ctx context.Context, args ...any) iter.Seq2[Record, error] {
	return s.IterFetchSize(ctx, DefaultFetchSize, args...)
}

// IterFetchSize is Iter asking the server for fetchSize rows at a time.
func (s *Stmt) IterFetchSize(ctx context.Context, fetchSize int, args ...any) iter.Seq2[Record, error] {
	return s.c.iterate(ctx, fetchSize, s.sd.sql, s, args)
}

// Cursor opens a server-side cursor over the statement with args; see
// Conn.Cursor. Like every cursor it needs a transaction (outside one it
// returns ErrCursorOutsideTx) and ends with it. On a Stmt of a PoolConn
// the cursor lives as long as the lease, as PoolConn.Cursor's does.
func (s *Stmt) Cursor(ctx context.Context, args ...any) (*Cursor, error) {
	if err := s.begin(ctx); err != nil {
		return nil, err
	}
	c := s.c
	t := c.traceStart(ctx, traceStmt, s.sd.sql, args, 0)
	cur, err := c.bindCursor(s.sd, args)
	err = c.endCall(err)
	c.traceEnd(&t, s.sd.sql, args, CommandTag{}, err)
	if err != nil {
		return nil, err
	}
	// The cursor ends as the statement does: with the lease, or with the
	// Pool.Begin transaction (which also ends the cursor on the server).
	cur.lease, cur.tx = s.lease, s.poolTx
	return cur, nil
}
