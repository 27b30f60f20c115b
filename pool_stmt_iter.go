package pg

import (
	"context"
	"iter"
)

// The Pool and PoolConn wrappers of prepared statements and Iter.

// Prepare prepares sql on the leased connection; see Conn.Prepare. The
// Stmt lives as long as the lease: Release deallocates it on the server
// (with the reset, no extra round trip) and its methods then return
// ErrPoolConnReleased, so it can never run on a connection that serves
// someone else. Its calls count toward MaxQueries.
func (pc *PoolConn) Prepare(ctx context.Context, sql string) (*Stmt, error) {
	return pc.prepare(ctx, "", sql)
}

// PrepareNamed is Prepare with a server-side name chosen by the caller;
// see Conn.PrepareNamed. Release frees the name for the next lease.
func (pc *PoolConn) PrepareNamed(ctx context.Context, name, sql string) (*Stmt, error) {
	return pc.prepare(ctx, name, sql)
}

func (pc *PoolConn) prepare(ctx context.Context, name, sql string) (*Stmt, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	var s *Stmt
	if name == "" {
		s, err = c.Prepare(ctx, sql)
	} else {
		s, err = c.PrepareNamed(ctx, name, sql)
	}
	if err != nil {
		return nil, callErr(c, err)
	}
	pc.adoptStmt(s)
	return s, nil
}

// adoptStmt makes s live as long as the lease: Release deallocates it.
func (pc *PoolConn) adoptStmt(s *Stmt) {
	for pc.stmts != nil && pc.stmts.closed {
		// Prepare-Close loops in one lease keep the list short.
		pc.stmts = pc.stmts.leaseNext
	}
	s.lease, s.leaseNext, pc.stmts = pc, pc.stmts, s
}

// adopt applies the lease rules to a statement prepared through tx: on a
// PoolConn's transaction it lives as long as the lease; on Pool.Begin's,
// whose end hands the connection back, as long as the transaction, and
// is deallocated then (the Close travels with the next request, the
// reset). On a plain Conn it outlives the transaction.
func (tx *Tx) adopt(s *Stmt) {
	top := tx
	for top.parent != nil {
		top = top.parent
	}
	switch {
	case top.lease != nil:
		top.lease.adoptStmt(s)
	case top.onEnd != nil:
		s.poolTx = top
		release := top.onEnd
		top.onEnd = func() {
			if !s.closed {
				s.closed = true
				s.c.queueClose(s.sd.name)
			}
			release()
		}
	}
}

// closeStmts queues a Close for every statement the lease prepared and
// did not close, to travel in front of the reset.
func (pc *PoolConn) closeStmts(c *Conn) {
	for s := pc.stmts; s != nil; s = s.leaseNext {
		if !s.closed {
			s.closed = true
			c.queueClose(s.sd.name)
		}
	}
	pc.stmts = nil
}

// Iter streams the rows of sql on the leased connection; see Conn.Iter.
// The lease is checked when the loop starts.
func (pc *PoolConn) Iter(ctx context.Context, sql string, args ...any) iter.Seq2[Record, error] {
	return pc.IterFetchSize(ctx, DefaultFetchSize, sql, args...)
}

// IterFetchSize is Iter asking the server for fetchSize rows at a time.
func (pc *PoolConn) IterFetchSize(ctx context.Context, fetchSize int, sql string, args ...any) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		c, err := pc.conn()
		if err != nil {
			yield(Record{}, err)
			return
		}
		for rec, err := range c.IterFetchSize(ctx, fetchSize, sql, args...) {
			if !yield(rec, callErr(c, err)) {
				return
			}
		}
	}
}

// Iter acquires a connection when the loop starts, streams the rows of
// sql on it (see Conn.Iter) and releases it when the loop ends, however
// it ends.
func (p *Pool) Iter(ctx context.Context, sql string, args ...any) iter.Seq2[Record, error] {
	return p.IterFetchSize(ctx, DefaultFetchSize, sql, args...)
}

// IterFetchSize is Iter asking the server for fetchSize rows at a time.
func (p *Pool) IterFetchSize(ctx context.Context, fetchSize int, sql string, args ...any) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		pc, err := p.Acquire(ctx)
		if err != nil {
			yield(Record{}, err)
			return
		}
		defer pc.Release()
		pc.IterFetchSize(ctx, fetchSize, sql, args...)(yield)
	}
}
