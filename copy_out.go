package pg

import (
	"context"
	"fmt"
	"io"

	"github.com/wirepg/pg/pgproto"
)

// copyOutTo runs a COPY ... TO STDOUT statement and writes each CopyData
// payload to w as it arrives. args are only for the query log.
func (c *Conn) copyOutTo(ctx context.Context, sql string, args []any, w io.Writer) (int64, error) {
	if w == nil {
		return 0, fmt.Errorf("pg: COPY TO needs a writer")
	}
	if err := c.begin(ctx); err != nil {
		return 0, err
	}
	t := c.traceStart(ctx, traceCopy, sql, args, 0)
	tag, err := c.copyOut(ctx, sql, w)
	err = c.endCall(copyError(err, 0))
	c.traceEnd(&t, sql, args, tag, err)
	return tag.RowsAffected(), err
}

func (c *Conn) copyOut(ctx context.Context, sql string, w io.Writer) (CommandTag, error) {
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
	var tag CommandTag
	var first, writeErr error
	started := false
	for {
		typ, body, err := c.receive()
		if err != nil {
			return tag, err
		}
		switch typ {
		case pgproto.MsgCopyOutResponse:
			started = true
		case pgproto.MsgCopyData:
			if writeErr != nil {
				continue // discarding what was sent before the cancel took
			}
			if _, err := w.Write(body); err != nil {
				writeErr = fmt.Errorf("writing the COPY data failed: %w", err)
				c.cancelCopyOut(ctx)
			}
		case pgproto.MsgCopyDone:
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
			if writeErr != nil {
				return CommandTag{}, writeErr
			}
			if first == nil && !started {
				return tag, fmt.Errorf("pg: %q is not a COPY ... TO STDOUT statement", sql)
			}
			return tag, first
		case pgproto.MsgCopyInResponse:
			if err := c.sendCopyFail("COPY FROM STDIN is not allowed here: use CopyToTable or CopyRecordsToTable"); err != nil {
				return tag, err
			}
		case pgproto.MsgRowDescription, pgproto.MsgDataRow, pgproto.MsgEmptyQueryResponse:
		default:
			return tag, c.protocolViolation(typ, "COPY TO STDOUT")
		}
	}
}

// cancelCopyOut stops a COPY TO whose output cannot be written any more:
// the protocol has no way for the client to end COPY OUT, so a
// CancelRequest asks the server to. It returns once the server has
// received the request; the rest of the stream is then read and
// discarded (all of it, if the cancel could not be sent). The backend is
// busy sending until the COPY ends, and ignores a cancel while it waits
// for a command, so the cancel cannot hit a later statement.
func (c *Conn) cancelCopyOut(ctx context.Context) {
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.cancelGrace())
	defer cancel()
	_ = c.sendCancelRequest(cctx)
}
