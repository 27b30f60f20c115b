package pg

import (
	"context"

	"github.com/wirepg/pg/pgproto"
	"github.com/wirepg/pg/sqlstate"
)

// Exec runs sql and returns its command tag.
//
// With no arguments it uses the simple query protocol, so sql may be a
// script of several statements separated by semicolons (run in one implicit
// transaction unless the script has its own BEGIN/COMMIT); the tag is the
// last statement's. With arguments it uses the extended protocol with binary
// parameters through the statement cache; sql is then one statement.
func (c *Conn) Exec(ctx context.Context, sql string, args ...any) (CommandTag, error) {
	if err := c.begin(ctx); err != nil {
		return CommandTag{}, err
	}
	kind := traceQuery
	if len(args) == 0 {
		kind = traceSimple
	}
	t := c.traceStart(ctx, kind, sql, args, 0)
	var tag CommandTag
	var err error
	if len(args) == 0 {
		tag, err = c.execSimple(sql)
	} else {
		tag, err = c.execExtended(sql, args)
	}
	err = c.endCall(err)
	c.traceEnd(&t, sql, args, tag, err)
	return tag, err
}

// begin claims the connection for a call and arms the context watch.
func (c *Conn) begin(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.acquire(); err != nil {
		return err
	}
	if err := c.startWatch(ctx); err != nil {
		c.release()
		return err
	}
	c.calls++
	c.healSchema()
	return nil
}

func (c *Conn) execSimple(sql string) (CommandTag, error) {
	if c.track.on {
		c.noteSimpleQuery(sql)
	}
	c.beginRequest()
	var err error
	if c.wbuf, err = (&pgproto.Query{String: sql}).Encode(c.wbuf); err != nil {
		return CommandTag{}, err
	}
	if err := c.flush(); err != nil {
		return CommandTag{}, err
	}
	if err := c.requestSent(); err != nil {
		return CommandTag{}, err
	}
	return c.readCommandResult(sql)
}

func (c *Conn) execExtended(sql string, args []any) (CommandTag, error) {
	sd, err := c.startExtended(sql, args)
	if err != nil {
		return CommandTag{}, err
	}
	return c.readCommandResult(sd.sql)
}

// readCommandResult reads one request's replies up to ReadyForQuery,
// discarding rows, and returns the last command tag and the first error.
// It serves the simple protocol (scripts) and the extended one alike.
func (c *Conn) readCommandResult(sql string) (CommandTag, error) {
	var tag CommandTag
	var first error
	for {
		typ, body, err := c.receive()
		if err != nil {
			return tag, err
		}
		switch typ {
		case pgproto.MsgCommandComplete:
			if tag, err = c.commandTag(body); err != nil {
				return tag, err
			}
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, sql)
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return tag, err
			}
			return tag, first
		case pgproto.MsgCopyInResponse:
			if err := c.sendCopyFail("COPY FROM STDIN needs a data source: use CopyToTable or CopyRecordsToTable"); err != nil {
				return tag, err
			}
		case pgproto.MsgRowDescription, pgproto.MsgDataRow, pgproto.MsgEmptyQueryResponse,
			pgproto.MsgPortalSuspended, pgproto.MsgCopyOutResponse, pgproto.MsgCopyData, pgproto.MsgCopyDone:
		default:
			return tag, c.protocolViolation(typ, "command")
		}
	}
}

// startExtended prepares (or finds in the cache) sql, sends
// Bind/Execute/Sync and reads BindComplete; the caller reads the rest.
//
// When the server says a cached statement is stale — it no longer exists
// (26000: after DISCARD ALL, or behind a pooler that gave the session
// another server connection) or its result type changed under it (0A000
// from RevalidateCachedQuery) — the entry is dropped and, outside a
// transaction, the call is retried once with a fresh description, the
// statement parsed again in the retry's own unit so that it runs whichever
// server connection a pooler picks. Inside a transaction the error is
// returned: the transaction is already aborted.
func (c *Conn) startExtended(sql string, args []any) (*stmtDesc, error) {
	if err := checkArgCount(len(args)); err != nil {
		return nil, err
	}
	if sd := c.cachedStmt(sql); sd != nil && len(sd.paramOIDs) != len(args) {
		return nil, &ArgumentCountError{Want: len(sd.paramOIDs), Got: len(args)}
	}
	for attempt := 0; ; attempt++ {
		sd, err := c.stmtFor(sql)
		if err != nil {
			return nil, err
		}
		err = c.bindOnce(sd, args, attempt > 0)
		if err == nil {
			return sd, nil
		}
		if !c.retryStale(sd, err) || attempt > 0 {
			return nil, err
		}
	}
}

// retryStale handles err from running sd, a statement the driver prepared
// and cached: when the server says sd is stale (isStaleStatement) it is
// dropped from the cache, and the call may run once more, with a fresh
// description and the statement parsed again in the retry's own unit, if
// no transaction block is open (inside one, the error aborted it).
func (c *Conn) retryStale(sd *stmtDesc, err error) bool {
	if sd.name == "" || !isStaleStatement(err) {
		return false
	}
	c.evictStmt(sd.sql)
	return c.txStatus == 'I'
}

func isStaleStatement(err error) bool {
	pe, ok := err.(*PgError)
	if !ok {
		return false
	}
	switch pe.Code {
	case sqlstate.InvalidSQLStatementName:
		return true
	case sqlstate.FeatureNotSupported:
		return pe.Routine == "RevalidateCachedQuery" || pe.Message == "cached plan must not change result type"
	}
	return false
}
