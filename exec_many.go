package pg

import (
	"context"
	"fmt"

	"github.com/wirepg/pg/pgproto"
)

// Pipelining limits for ExecMany: a chunk of Bind/Execute messages goes
// out when it reaches either bound, and the replies to one chunk are read
// after the next one has been written. The server's replies to two
// chunks (about 21 bytes a row, more with RETURNING) must fit in the
// socket buffers, or both sides would wait on each other.
const (
	execManyChunkBytes = 64 << 10
	execManyChunkRows  = 1024
)

// BatchError reports which item of ExecMany (Index: the row of args) or
// SendBatch (Index: the queued statement) failed, 0-based, and why.
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("pg: batch item %d failed: %v", e.Index, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

// ExecMany runs sql once for each row of args, like asyncpg's
// executemany: the statement is prepared once, and every Bind/Execute is
// pipelined with a single Sync at the end, so the whole batch costs about
// one round trip and runs as one unit. Outside an explicit transaction it
// is atomic: when any row fails, none of the batch is committed. Inside
// one, a failure aborts the transaction as any failed statement does.
//
// A row the server rejects is reported as a *BatchError with its index.
// A row whose arguments cannot be encoded is reported the same way; when
// earlier rows were already sent, the driver fails the batch on the
// server on purpose, so it still commits nothing. Rows returned by the
// statement (RETURNING) are discarded.
func (c *Conn) ExecMany(ctx context.Context, sql string, args [][]any) error {
	if len(args) == 0 {
		return nil
	}
	if err := c.begin(ctx); err != nil {
		return err
	}
	t := c.traceStart(ctx, traceExecMany, sql, nil, len(args))
	tag, err := c.execMany(sql, args)
	err = c.endCall(err)
	c.traceEnd(&t, sql, nil, tag, err)
	return err
}

func (c *Conn) execMany(sql string, args [][]any) (CommandTag, error) {
	for i, row := range args {
		if err := checkArgCount(len(row)); err != nil {
			return CommandTag{}, &BatchError{Index: i, Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		sd, err := c.stmtFor(sql)
		if err != nil {
			return CommandTag{}, err
		}
		for i, row := range args {
			if len(row) != len(sd.paramOIDs) {
				return CommandTag{}, &BatchError{Index: i, Err: &ArgumentCountError{Want: len(sd.paramOIDs), Got: len(row)}}
			}
		}
		p := execManyPipe{c: c, sd: sd, inline: attempt > 0}
		n, err := p.run(args)
		if be, ok := err.(*BatchError); ok && be.Index == 0 && c.retryStale(sd, be.Err) && attempt == 0 {
			continue
		}
		return newCommandTag(fmt.Appendf(nil, "EXECMANY %d", n)), err
	}
}

// execManyPipe is one ExecMany in flight.
type execManyPipe struct {
	c         *Conn
	sd        *stmtDesc
	inline    bool  // parse the statement in the same unit (always for the unnamed one)
	sent      bool  // the first chunk went out (with any pending messages)
	synced    bool  // the Sync went out (with the last chunk)
	unread    []int // rows per chunk written whose replies are unread
	completed int   // rows whose CommandComplete has been read
	failed    error // the first server error
}

// run sends the rows in chunks and reads the replies, one chunk behind.
// It returns the number of rows completed and the error.
func (p *execManyPipe) run(args [][]any) (int, error) {
	c := p.c
	c.beginRequest()
	if p.inline || p.sd.name == "" {
		// One Parse serves every Bind up to the one Sync.
		if err := c.appendParse(p.sd); err != nil {
			return 0, &BatchError{Index: 0, Err: err}
		}
	}
	chunk := 0
	for i, row := range args {
		if err := c.appendBind(p.sd, "", row); err != nil {
			return p.abort(i, err)
		}
		c.wbuf, _ = (&pgproto.Execute{}).Encode(c.wbuf)
		chunk++
		last := i == len(args)-1
		if !last && chunk < execManyChunkRows && len(c.wbuf) < execManyChunkBytes {
			continue
		}
		if last {
			c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
			p.synced = true
		} else {
			c.wbuf, _ = (&pgproto.Flush{}).Encode(c.wbuf)
		}
		if err := p.write(); err != nil {
			return p.completed, err
		}
		p.unread = append(p.unread, chunk)
		chunk = 0
		c.wbuf = c.wbuf[:0]
		if last {
			break
		}
		if err := p.readChunks(1); err != nil {
			return p.completed, err
		}
		if p.failed != nil {
			// The server skips everything up to Sync: stop sending.
			return p.end()
		}
	}
	if err := p.readChunks(0); err != nil {
		return p.completed, err
	}
	return p.end()
}

func (p *execManyPipe) write() error {
	c := p.c
	if err := c.flush(); err != nil {
		return err
	}
	if !p.sent {
		p.sent = true
		return c.requestSent()
	}
	return nil
}

// readChunks reads the replies of the oldest chunks until keep chunks are
// left unread, or a server error.
func (p *execManyPipe) readChunks(keep int) error {
	c := p.c
	for len(p.unread) > keep && p.failed == nil {
		want := p.completed + p.unread[0]
		for p.completed < want && p.failed == nil {
			typ, body, err := c.receive()
			if err != nil {
				return err
			}
			switch typ {
			case pgproto.MsgBindComplete, pgproto.MsgDataRow:
			case pgproto.MsgCommandComplete, pgproto.MsgEmptyQueryResponse:
				p.completed++
			case pgproto.MsgErrorResponse:
				p.failed = c.pgError(body, p.sd.sql)
			default:
				return c.protocolViolation(typ, "ExecMany")
			}
		}
		p.unread = p.unread[1:]
	}
	return nil
}

// end sends Sync if it has not gone out yet, reads up to ReadyForQuery
// and reports the outcome.
func (p *execManyPipe) end() (int, error) {
	c := p.c
	if p.failed != nil {
		if !p.synced {
			c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf[:0])
			if err := c.flush(); err != nil {
				return p.completed, err
			}
		}
		if err := p.drain(); err != nil {
			if isBroken(err) {
				return p.completed, err
			}
		}
		return p.completed, &BatchError{Index: p.completed, Err: p.failed}
	}
	// All rows completed; ReadyForQuery follows.
	if err := p.drain(); err != nil {
		if isBroken(err) {
			return p.completed, err
		}
		return p.completed, &BatchError{Index: p.completed, Err: err}
	}
	return p.completed, nil
}

// drain reads the replies still due up to ReadyForQuery and returns the
// first server error among them.
func (p *execManyPipe) drain() error {
	c := p.c
	var first error
	for {
		typ, body, err := c.receive()
		if err != nil {
			return err
		}
		switch typ {
		case pgproto.MsgBindComplete, pgproto.MsgDataRow, pgproto.MsgCommandComplete, pgproto.MsgEmptyQueryResponse:
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, p.sd.sql)
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return err
			}
			return first
		default:
			return c.protocolViolation(typ, "ExecMany")
		}
	}
}

// abort handles row i's arguments failing to encode.
func (p *execManyPipe) abort(i int, cause error) (int, error) {
	c := p.c
	berr := &BatchError{Index: i, Err: cause}
	if !p.sent {
		// Nothing went out: drop the request (pending messages stay
		// pending for the next one).
		c.wbuf = c.wbuf[:0]
		return 0, berr
	}
	// Rows already sent run in the batch's transaction; make it fail on
	// purpose (a Bind of a statement that does not exist), so Sync rolls
	// them back instead of committing part of the batch.
	c.wbuf, _ = (&pgproto.Bind{PreparedStatement: "pg_execmany_aborted"}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return p.completed, err
	}
	if err := p.drain(); err != nil {
		if isBroken(err) {
			return p.completed, err
		}
	}
	return p.completed, berr
}
