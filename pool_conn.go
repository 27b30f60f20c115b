package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/wirepg/pg/sqlstate"
)

// PoolConn is a connection leased from a Pool by Acquire. It has the
// Conn's query methods; Release gives it back. Like a Conn it serves one
// goroutine at a time. After Release every method returns
// ErrPoolConnReleased and never touches the connection, which may by
// then serve someone else; a Tx begun through it and a Stmt prepared
// through it (or through that Tx) are closed too. A Stmt made with Conn().Prepare is not
// guarded that way: do not use it after Release.
type PoolConn struct {
	p       *Pool
	h       *poolHolder // nil once released
	escaped bool        // Conn was called: anything may have run
	tx      *Tx         // the last transaction begun through Begin
	// stmts lists the statements prepared through Prepare (linked through
	// Stmt.leaseNext, which keeps a PoolConn in the 48-byte size class),
	// deallocated at Release.
	stmts *Stmt
}

// PoolResetError is returned by a call on a pooled connection whose
// session reset, sent when it was last released, failed. The reset left
// the session in a failed transaction, so the call did not run. Release
// the PoolConn (the pool then closes the connection) and retry with a new
// one; the Pool's own query methods retry by themselves.
type PoolResetError struct {
	ResetErr error // why the reset failed
	Err      error // the call's own error (25P02), nil if it was refused
}

// Error says what failed and what to do.
func (e *PoolResetError) Error() string {
	return fmt.Sprintf("pg: the session reset of this pooled connection failed (%v), so the call did not run; release the connection and acquire another", e.ResetErr)
}

// Unwrap returns both errors.
func (e *PoolResetError) Unwrap() []error {
	if e.Err == nil {
		return []error{e.ResetErr}
	}
	return []error{e.ResetErr, e.Err}
}

// conn returns the leased connection for one query.
func (pc *PoolConn) conn() (*Conn, error) {
	if pc.h == nil {
		return nil, ErrPoolConnReleased
	}
	c := pc.h.conn
	if c.failedReset() != nil {
		// A previous call read the failed reset; whatever ended the
		// failed transaction since, the session is not clean.
		return nil, &PoolResetError{ResetErr: c.failedReset()}
	}
	return c, nil
}

// callErr turns the error of a call that ran into a failed reset's
// transaction into a PoolResetError.
func callErr(c *Conn, err error) error {
	if err != nil && c.failedReset() != nil && isInFailedTx(err) {
		return &PoolResetError{ResetErr: c.failedReset(), Err: err}
	}
	return err
}

// isInFailedTx reports a server error 25P02 (statement refused in a
// failed transaction): the statement did not run.
func isInFailedTx(err error) bool {
	var pe *PgError
	return errors.As(err, &pe) && pe.Code == sqlstate.InFailedSQLTransaction
}

// Exec runs sql on the leased connection; see Conn.Exec.
func (pc *PoolConn) Exec(ctx context.Context, sql string, args ...any) (CommandTag, error) {
	c, err := pc.conn()
	if err != nil {
		return CommandTag{}, err
	}
	tag, err := c.Exec(ctx, sql, args...)
	return tag, callErr(c, err)
}

// Query runs sql on the leased connection and streams its rows; see
// Conn.Query. Close the Rows before Release.
func (pc *PoolConn) Query(ctx context.Context, sql string, args ...any) (*Rows, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	rows, err := c.Query(ctx, sql, args...)
	return rows, callErr(c, err)
}

// Fetch runs the query and returns every row; see Conn.Fetch.
func (pc *PoolConn) Fetch(ctx context.Context, sql string, args ...any) ([]Record, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	recs, err := c.Fetch(ctx, sql, args...)
	return recs, callErr(c, err)
}

// FetchRow runs the query and returns its first row; see Conn.FetchRow.
func (pc *PoolConn) FetchRow(ctx context.Context, sql string, args ...any) (Record, error) {
	c, err := pc.conn()
	if err != nil {
		return Record{}, err
	}
	rec, err := c.FetchRow(ctx, sql, args...)
	return rec, callErr(c, err)
}

// QueryRow runs the query; Scan reads its first row. See Conn.QueryRow.
func (pc *PoolConn) QueryRow(ctx context.Context, sql string, args ...any) *Row {
	c, err := pc.conn()
	if err != nil {
		return &Row{err: err}
	}
	rows, err := c.Query(ctx, sql, args...)
	return &Row{rows: rows, err: callErr(c, err)}
}

// Conn returns the leased connection itself, for what PoolConn does not
// wrap. It must not be used after Release, nor closed. Calls made on it
// count toward MaxQueries as the PoolConn's own do, and the session is
// reset at Release even if nothing ran. Nil after Release.
func (pc *PoolConn) Conn() *Conn {
	if pc.h == nil {
		return nil
	}
	pc.escaped = true
	c := pc.h.conn
	// A reset handed over with the connection travels with the next
	// request; the caller may do something else first (wait for a
	// notification), so send it now. A failed write closes the
	// connection: its calls then fail and Release discards it.
	_ = c.flushPending()
	return c
}

// Release returns the connection to the pool: see Pool for the reset it
// gets. A connection that is closed, broken, due for replacement or whose
// reset fails is closed instead, and its slot reconnects on demand.
// Releasing twice returns ErrPoolConnReleased and does nothing.
func (pc *PoolConn) Release() error {
	h := pc.h
	if h == nil {
		return ErrPoolConnReleased
	}
	pc.h = nil
	if pc.tx != nil {
		// A Tx left open must not reach the connection once someone
		// else holds it: its methods now return ErrTxClosed.
		pc.tx.endTree()
		pc.tx = nil
	}
	if pc.stmts != nil {
		pc.closeStmts(h.conn)
	}
	pc.p.release(h, pc.escaped)
	return nil
}
