package pg

import (
	"context"
	"fmt"
	"iter"

	"github.com/wirepg/pg/pgproto"
)

// DefaultFetchSize is how many rows Iter asks the server for at a time.
const DefaultFetchSize = 1000

// Iter runs sql with args and yields its rows one Record at a time, for
// use with range:
//
//	for rec, err := range conn.Iter(ctx, "SELECT * FROM big") {
//		if err != nil { return err }
//		...
//	}
//
// The rows come from an unnamed portal executed DefaultFetchSize rows at a
// time (Execute with a row limit, then Flush), so memory stays bounded
// whatever the result size, inside or outside a transaction; outside one
// the whole scan is a single implicit transaction that ends with the loop.
// The connection is busy until the loop ends; breaking out early (or a
// panic in the loop body) discards the rest. An error is yielded once, as
// the last element, with a zero Record. A cancelled ctx is noticed between
// batches. The whole loop is one call: Config.CommandTimeout, when ctx has
// no deadline, bounds all of it, the loop body's time included.
func (c *Conn) Iter(ctx context.Context, sql string, args ...any) iter.Seq2[Record, error] {
	return c.IterFetchSize(ctx, DefaultFetchSize, sql, args...)
}

// IterFetchSize is Iter asking the server for fetchSize rows at a time.
func (c *Conn) IterFetchSize(ctx context.Context, fetchSize int, sql string, args ...any) iter.Seq2[Record, error] {
	return c.iterate(ctx, fetchSize, sql, nil, args)
}

// iterate is the loop of Iter over sql through the statement cache, or
// over stmt's statement when stmt is set.
func (c *Conn) iterate(ctx context.Context, fetchSize int, sql string, stmt *Stmt, args []any) iter.Seq2[Record, error] {
	return func(yield func(Record, error) bool) {
		if fetchSize <= 0 {
			yield(Record{}, fmt.Errorf("pg: the fetch size must be positive, got %d", fetchSize))
			return
		}
		kind := traceQuery
		it := portalIter{c: c, ctx: ctx, sql: sql, fetch: uint32(min(fetchSize, 1<<31-1))}
		var err error
		if stmt != nil {
			kind, it.stmt = traceStmt, stmt.sd
			err = stmt.begin(ctx)
		} else {
			err = c.begin(ctx)
		}
		if err != nil {
			yield(Record{}, err)
			return
		}
		t := c.traceStart(ctx, kind, sql, args, 0)
		defer func() {
			if !it.ended {
				// The loop body broke out or panicked mid-stream.
				err := it.finish(nil)
				c.traceEnd(&t, sql, args, it.tag, err)
			}
		}()
		err = it.run(args, yield)
		if it.staleBeforeRows(err) {
			// As startExtended: once, with a fresh description, parsed
			// again in the retry's own unit.
			it.inline, it.tag = true, CommandTag{}
			err = it.run(args, yield)
		}
		if it.stopped {
			return // the deferred finish cleans up
		}
		err = it.finish(err)
		c.traceEnd(&t, sql, args, it.tag, err)
		if err != nil {
			yield(Record{}, err)
		}
	}
}

// portalIter is the state of one Iter loop.
type portalIter struct {
	c       *Conn
	ctx     context.Context
	sql     string
	fetch   uint32
	sd      *stmtDesc
	stmt    *stmtDesc // a Stmt's statement, used instead of the cache's
	tag     CommandTag
	syncOwe bool // Bind went out and its Sync has not
	inline  bool // parse the statement in the binding unit (the retry)
	yielded bool // a row reached the loop body
	stopped bool // the loop body returned false
	ended   bool // the call has been finished
}

// run streams the rows to yield until the result ends, an error, or the
// loop body stops.
func (it *portalIter) run(args []any, yield func(Record, error) bool) error {
	c := it.c
	if err := checkArgCount(len(args)); err != nil {
		return err
	}
	sd := it.stmt
	if sd == nil {
		var err error
		if sd, err = c.stmtFor(it.sql); err != nil {
			return err
		}
	}
	it.sd = sd
	c.beginRequest()
	if err := c.appendBindUnit(sd, "", args, it.inline); err != nil {
		return err
	}
	it.appendExecute()
	if err := c.flush(); err != nil {
		return err
	}
	it.syncOwe = true
	if err := c.requestSent(); err != nil {
		return err
	}
	var first error
	for {
		typ, body, err := c.receive()
		if err != nil {
			it.syncOwe = false // the connection is gone
			return err
		}
		switch typ {
		case pgproto.MsgBindComplete:
		case pgproto.MsgDataRow:
			if err := c.dataRow.Decode(body); err != nil {
				return c.fail("read", err)
			}
			rec, err := decodeRecord(sd, c.dataRow.Values)
			if err != nil {
				return c.noteDecodeError(err)
			}
			it.yielded = true
			if !yield(rec, nil) {
				it.stopped = true
				return nil
			}
		case pgproto.MsgPortalSuspended:
			if err := it.ctx.Err(); err != nil {
				return err
			}
			c.wbuf = c.wbuf[:0]
			it.appendExecute()
			if err := c.flush(); err != nil {
				return err
			}
		case pgproto.MsgCommandComplete:
			if it.tag, err = c.commandTag(body); err != nil {
				return err
			}
			if err := it.sync(); err != nil {
				return err
			}
		case pgproto.MsgEmptyQueryResponse:
			if err := it.sync(); err != nil {
				return err
			}
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, it.sql)
				if isStaleStatement(first) && it.stmt == nil {
					c.evictStmt(it.sql)
				}
			}
			if err := it.sync(); err != nil {
				return err
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return err
			}
			return first
		default:
			return c.protocolViolation(typ, "iterate")
		}
	}
}

// staleBeforeRows says whether err is a cached statement gone stale on
// the server, reported before any row, with the exchange finished outside
// a transaction: nothing ran, so the loop may run again.
func (it *portalIter) staleBeforeRows(err error) bool {
	if it.inline || it.yielded || it.syncOwe || it.sd == nil {
		return false
	}
	if it.stmt != nil {
		return it.c.retryInline(it.sd, err) // a Stmt's: parsed again, not evicted
	}
	return it.c.retryStale(it.sd, err)
}

func (it *portalIter) appendExecute() {
	c := it.c
	c.wbuf, _ = (&pgproto.Execute{MaxRows: it.fetch}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Flush{}).Encode(c.wbuf)
}

// sync sends the Sync that ends the portal's implicit transaction, once.
func (it *portalIter) sync() error {
	if !it.syncOwe {
		return nil
	}
	it.syncOwe = false
	c := it.c
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf[:0])
	return c.flush()
}

// finish ends the call: when a Sync is still owed (an early stop or an
// error before the end), it sends it and reads up to ReadyForQuery, so
// the connection is usable again.
func (it *portalIter) finish(err error) error {
	it.ended = true
	c := it.c
	if it.syncOwe && !c.IsClosed() {
		if serr := it.sync(); serr == nil {
			if derr := c.drain(it.sql); err == nil {
				if isBroken(derr) {
					err = derr
				}
			}
		} else if err == nil {
			err = serr
		}
	}
	return c.endCall(err)
}
