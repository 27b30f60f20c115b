package pg

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/wirepg/pg/internal/sqlquote"
	"github.com/wirepg/pg/pgproto"
)

// ErrCursorOutsideTx is returned when a cursor is opened on a connection
// that is not inside a transaction: a server-side cursor (portal) lives
// only until the end of its transaction.
var ErrCursorOutsideTx = errors.New("pg: a cursor needs a transaction: open it with tx.Cursor inside conn.Begin (for a one-pass scan outside a transaction, use conn.Iter)")

// ErrCursorClosed is returned by a Cursor used after Close or after its
// transaction ended.
var ErrCursorClosed = errors.New("pg: the cursor is closed")

// Cursor is a server-side cursor: a named portal bound to a query, from
// which rows are fetched in pieces, as asyncpg's Cursor. It exists until
// Close or the end of its transaction. Like its connection it is not safe
// for concurrent use.
type Cursor struct {
	c      *Conn
	lease  *PoolConn // the lease it was opened under, nil on a plain Conn
	tx     *Tx
	sd     *stmtDesc
	portal string
	closed bool
}

// Cursor opens a server-side cursor for sql with args in the transaction.
func (tx *Tx) Cursor(ctx context.Context, sql string, args ...any) (*Cursor, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	cur, err := tx.c.openCursor(ctx, sql, args)
	if err != nil {
		tx.note(err)
		return nil, err
	}
	cur.tx = tx
	return cur, nil
}

// Cursor opens a server-side cursor on a connection inside a transaction
// begun some other way (Exec("BEGIN")); outside one it returns
// ErrCursorOutsideTx.
func (c *Conn) Cursor(ctx context.Context, sql string, args ...any) (*Cursor, error) {
	return c.openCursor(ctx, sql, args)
}

// openCursor binds a named portal: Bind + Sync, which inside a
// transaction block leaves the portal open.
func (c *Conn) openCursor(ctx context.Context, sql string, args []any) (*Cursor, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	t := c.traceStart(ctx, traceQuery, sql, args, 0)
	cur, err := c.cachedCursor(sql, args)
	err = c.endCall(err)
	c.traceEnd(&t, sql, args, CommandTag{}, err)
	return cur, err
}

// cachedCursor opens a cursor over sql's statement from the cache.
func (c *Conn) cachedCursor(sql string, args []any) (*Cursor, error) {
	if err := cursorCheck(c, args); err != nil {
		return nil, err
	}
	sd, err := c.stmtFor(sql)
	if err != nil {
		return nil, err
	}
	cur, err := c.bindCursor(sd, args)
	if isStaleStatement(err) {
		c.evictStmt(sql)
	}
	return cur, err
}

// cursorCheck says why a cursor cannot be opened now, if it cannot.
func cursorCheck(c *Conn, args []any) error {
	if c.txStatus != 'T' && c.txStatus != 'E' || c.pendingSyncs > 0 {
		return ErrCursorOutsideTx
	}
	return checkArgCount(len(args))
}

// bindCursor binds sd with args to a new named portal.
func (c *Conn) bindCursor(sd *stmtDesc, args []any) (*Cursor, error) {
	if err := cursorCheck(c, args); err != nil {
		return nil, err
	}
	sql := sd.sql
	c.stmtSeq++
	portal := "pg_c" + strconv.FormatUint(c.stmtSeq, 36)
	c.beginRequest()
	if err := c.appendBindUnit(sd, portal, args, false); err != nil {
		return nil, err
	}
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return nil, err
	}
	if err := c.requestSent(); err != nil {
		return nil, err
	}
	typ, body, err := c.receive()
	if err != nil {
		return nil, err
	}
	switch typ {
	case pgproto.MsgBindComplete:
		if err := c.drain(sql); err != nil {
			return nil, err
		}
		return &Cursor{c: c, sd: sd, portal: portal}, nil
	case pgproto.MsgErrorResponse:
		pgErr := c.pgError(body, sql)
		if err := c.afterServerError(pgErr, sql); err != pgErr {
			return nil, err
		}
		return nil, pgErr
	default:
		return nil, c.protocolViolation(typ, "bind")
	}
}

// begin claims the connection for a call on the cursor.
func (cur *Cursor) begin(ctx context.Context) error {
	if err := cur.usable(); err != nil {
		return err
	}
	return cur.c.begin(ctx)
}

// usable says why the cursor cannot be used, if it cannot.
func (cur *Cursor) usable() error {
	if cur.lease != nil && cur.lease.h == nil {
		// Checked first: the connection may serve someone else now.
		return fmt.Errorf("pg: the cursor's pooled connection was released: %w", ErrPoolConnReleased)
	}
	if cur.closed || (cur.tx != nil && cur.tx.closed) {
		cur.closed = true
		return ErrCursorClosed
	}
	return nil
}

// Fetch returns the next n rows (fewer at the end, none after it).
func (cur *Cursor) Fetch(ctx context.Context, n int) ([]Record, error) {
	rows, err := cur.Query(ctx, n)
	if err != nil {
		return nil, err
	}
	recs, err := collectRecords(rows)
	cur.note(err)
	return recs, err
}

// note tells the cursor's Tx of a failure, for its Commit to report.
func (cur *Cursor) note(err error) {
	if cur.tx != nil {
		cur.tx.note(err)
	}
}

// Query streams the next n rows, like Fetch without holding them all.
func (cur *Cursor) Query(ctx context.Context, n int) (*Rows, error) {
	if n <= 0 {
		return nil, fmt.Errorf("pg: Cursor.Fetch needs a positive row count, got %d", n)
	}
	if err := cur.begin(ctx); err != nil {
		return nil, err
	}
	c := cur.c
	c.beginRequest()
	c.appendExecuteSync(cur.portal, uint32(min(n, 1<<31-1)))
	if err := c.flush(); err != nil {
		return nil, c.endCall(err)
	}
	if err := c.requestSent(); err != nil {
		return nil, c.endCall(err)
	}
	return &Rows{c: c, sd: cur.sd}, nil
}

// FetchRow returns the next row; ErrNoRows at the end.
func (cur *Cursor) FetchRow(ctx context.Context) (Record, error) {
	rows, err := cur.Query(ctx, 1)
	if err != nil {
		return Record{}, err
	}
	rec, err := firstRecord(rows)
	cur.note(err)
	return rec, err
}

// Forward skips the next n rows (MOVE FORWARD) and returns how many it
// skipped: fewer than n at the end. Forward(0) skips nothing and returns
// 0 without a round trip (the server's MOVE FORWARD 0 re-positions on the
// current row and counts it). A negative n is an error: the cursor only
// moves forward.
func (cur *Cursor) Forward(ctx context.Context, n int) (int64, error) {
	if n < 0 {
		return 0, fmt.Errorf("pg: Cursor.Forward needs a row count >= 0, got %d: a cursor only moves forward", n)
	}
	if err := cur.usable(); err != nil {
		return 0, err
	}
	// MOVE's count is an int4 in the grammar: a larger n moves in steps.
	var skipped int64
	for rest := int64(n); rest > 0; {
		step := min(rest, math.MaxInt32)
		tag, err := cur.c.Exec(ctx, "MOVE FORWARD "+strconv.FormatInt(step, 10)+" IN "+sqlquote.Identifier(cur.portal))
		if err != nil {
			cur.note(err)
			return skipped, err
		}
		moved := tag.RowsAffected()
		skipped += moved
		if moved < step {
			break
		}
		rest -= step
	}
	return skipped, nil
}

// Close closes the cursor on the server. Closing it again, or after its
// transaction ended (which closed it on the server), returns nil.
func (cur *Cursor) Close(ctx context.Context) error {
	if cur.closed || (cur.tx != nil && cur.tx.closed) || cur.c.IsClosed() || (cur.lease != nil && cur.lease.h == nil) {
		// A released lease's reset closed it (CLOSE ALL).
		cur.closed = true
		return nil
	}
	if err := cur.c.begin(ctx); err != nil {
		return err
	}
	c := cur.c
	c.beginRequest()
	c.wbuf, _ = (&pgproto.Close{ObjectType: 'P', Name: cur.portal}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	err := c.flush()
	if err == nil {
		err = c.requestSent()
	}
	if err == nil {
		err = c.drain("")
	}
	if err == nil {
		cur.closed = true
	}
	return c.endCall(err)
}
