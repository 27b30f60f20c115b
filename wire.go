package pg

import (
	"errors"
	"fmt"

	"github.com/wirepg/pg/pgproto"
)

// flush writes the write buffer. A write failure breaks the connection.
func (c *Conn) flush() error {
	n, err := c.netConn.Write(c.wbuf)
	if n > 0 {
		c.sentInCall = true
	}
	if err != nil {
		unsent := !c.sentInCall
		err = c.fail("write", err)
		if ce, ok := err.(*ConnError); ok && unsent {
			ce.unsent = true
		}
		return err
	}
	return nil
}

// beginRequest starts a new request in the write buffer, led by any Close
// messages for statements evicted from the cache since the last request.
func (c *Conn) beginRequest() {
	c.wbuf = append(c.wbuf[:0], c.pendingSend...)
	c.staged.parses = 0
	clear(c.staged.checks)
	c.staged.checks = c.staged.checks[:0]
}

// requestSent notes that the pending messages went out with the request
// and reads the replies of those that end in ReadyForQuery (a deferred
// session reset), which arrive before the request's own. A failed deferred
// reset does not fail the request — the request was already sent and runs
// — but is kept in resetErr so the pool discards the connection at release.
func (c *Conn) requestSent() error {
	c.pendingSend = c.pendingSend[:0]
	for c.pendingSyncs > 0 {
		c.pendingSyncs--
		if err := c.drainDeferred(); err != nil {
			if isBroken(err) {
				return err
			}
			if c.resetErr == nil {
				c.resetErr = err
			}
		}
	}
	c.armInline()
	return nil
}

// receive reads the next message that belongs to the current exchange.
// Asynchronous messages (readMessage routes them) and the replies to
// messages the driver added to the request itself (piggybacked Close,
// inline Parse and Describe) never reach the caller. body is valid until
// the next receive.
func (c *Conn) receive() (byte, []byte, error) {
	for {
		typ, body, err := c.readMessage()
		if err != nil {
			return 0, nil, c.fail("read", err)
		}
		switch typ {
		case pgproto.MsgCloseComplete:
		case pgproto.MsgParseComplete:
			if c.active.parses == 0 {
				return typ, body, nil
			}
			c.active.parses--
		case pgproto.MsgRowDescription, pgproto.MsgNoData:
			if len(c.active.checks) == 0 {
				return typ, body, nil
			}
			if err := c.checkPortal(typ, body); err != nil {
				return 0, nil, err
			}
		default:
			return typ, body, nil
		}
	}
}

// fail closes the connection after an I/O or protocol failure and returns
// the error to report. When a cancelled context caused the failure (its
// deadline forced the read to stop), the context's error is what the caller
// sees.
func (c *Conn) fail(op string, err error) error {
	var cerr *ConnError
	if errors.As(err, &cerr) {
		return err
	}
	if c.brokenBy != nil {
		// Already broken: a read or write after the close (a caller that
		// kept reading after a decode error) reports what broke it, not
		// "use of closed network connection".
		return c.brokenBy
	}
	if c.fatalErr != nil {
		err = c.fatalErr
	}
	if ctxErr := c.watch.contextErr(); ctxErr != nil {
		err = fmt.Errorf("%w (connection closed: %w)", ctxErr, err)
	}
	e := &ConnError{Op: op, Err: err}
	c.brokenBy = e
	c.shutdown(e)
	return e
}

// protocolViolation reports an unexpected message and breaks the connection:
// after it the stream position is unknown.
func (c *Conn) protocolViolation(typ byte, during string) error {
	return c.fail("read", &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected message %q during %s", typ, during)})
}

// pgError decodes an ErrorResponse body.
func (c *Conn) pgError(body []byte, query string) error {
	var er pgproto.ErrorResponse
	if err := er.Decode(body); err != nil {
		return c.fail("read", err)
	}
	e := pgErrorFrom(&er)
	e.Query = query
	if e.Severity == "FATAL" || e.Severity == "PANIC" {
		// The server ends the session after a FATAL error (e.g. 57P01 from
		// pg_terminate_backend); the read that sees the close reports it.
		c.fatalErr = e
	}
	return e
}

func pgErrorFrom(er *pgproto.ErrorResponse) *PgError {
	return &PgError{
		Severity:         er.Severity,
		SeverityUnlocal:  er.SeverityUnlocalized,
		Code:             er.Code,
		Message:          er.Message,
		Detail:           er.Detail,
		Hint:             er.Hint,
		Position:         er.Position,
		InternalPosition: er.InternalPosition,
		InternalQuery:    er.InternalQuery,
		Where:            er.Where,
		Schema:           er.SchemaName,
		Table:            er.TableName,
		Column:           er.ColumnName,
		DataType:         er.DataTypeName,
		Constraint:       er.ConstraintName,
		File:             er.File,
		Line:             er.Line,
		Routine:          er.Routine,
	}
}

// readyForQuery records the transaction status from a ReadyForQuery body.
func (c *Conn) readyForQuery(body []byte) error {
	var z pgproto.ReadyForQuery
	if err := z.Decode(body); err != nil {
		return c.fail("read", err)
	}
	c.txStatus = z.TxStatus
	c.clearInline()
	return nil
}

// drain reads until ReadyForQuery, keeping the first server error.
func (c *Conn) drain(query string) error {
	_, err := c.readCommandResult(query)
	return err
}

// afterServerError reads on to ReadyForQuery after an ErrorResponse that
// ended a request early and returns pgErr, the server's error, unless the
// reading broke the connection: that failure is then the one to report.
func (c *Conn) afterServerError(pgErr error, query string) error {
	if err := c.drain(query); isBroken(err) {
		return err
	}
	return pgErr
}

// isBroken says whether err is the connection's own failure (*ConnError,
// after which the Conn is closed), not a server's or the caller's error on
// a healthy connection.
func isBroken(err error) bool {
	_, ok := err.(*ConnError)
	return ok
}

func (c *Conn) sendCopyFail(msg string) error {
	var err error
	c.wbuf, err = (&pgproto.CopyFail{Message: msg}).Encode(c.wbuf[:0])
	if err != nil {
		return err
	}
	return c.flush()
}
