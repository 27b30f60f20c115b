package pg

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/wirepg/pg/pgproto"
)

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

	keep      bool     // FetchMany: decode and keep the rows
	recs      []Record // the rows kept
	decodeErr error    // the first row that could not be decoded
	firstTag  string   // the first execution's tag
	counted   bool     // firstTag ends in a row count
	affected  int64    // the row counts of the tags, added up
}

// run sends the rows in chunks and reads the replies, one chunk behind.
func (p *execManyPipe) run(args [][]any) error {
	c := p.c
	c.beginRequest()
	if p.inline || p.sd.name == "" {
		// One Parse serves every Bind up to the one Sync.
		if err := c.appendParse(p.sd); err != nil {
			return &BatchError{Index: 0, Err: err}
		}
	}
	chunk := 0
	for i, row := range args {
		if err := c.appendBind(p.sd, "", row); err != nil {
			return p.abort(i, err)
		}
		if i == 0 && p.keep && (p.inline || p.sd.name == "") {
			// The rows are decoded with sd's description: check that the
			// statement parsed again still has it (appendBindUnit).
			c.wbuf, _ = (&pgproto.Describe{ObjectType: 'P'}).Encode(c.wbuf)
			c.staged.checks = append(c.staged.checks, p.sd)
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
			return err
		}
		p.unread = append(p.unread, chunk)
		chunk = 0
		c.wbuf = c.wbuf[:0]
		if last {
			break
		}
		if err := p.readChunks(1); err != nil {
			return err
		}
		if p.failed != nil {
			// The server skips everything up to Sync: stop sending.
			return p.end()
		}
	}
	if err := p.readChunks(0); err != nil {
		return err
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
			case pgproto.MsgBindComplete:
			case pgproto.MsgDataRow:
				if err := p.dataRow(body); err != nil {
					return err
				}
			case pgproto.MsgCommandComplete:
				if err := p.commandComplete(body); err != nil {
					return err
				}
				p.completed++
			case pgproto.MsgEmptyQueryResponse:
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

// dataRow keeps a row of the execution in progress, for FetchMany. A row
// that cannot be decoded is remembered and the pipeline read on, so the
// connection ends the call in step with the server.
func (p *execManyPipe) dataRow(body []byte) error {
	if !p.keep || p.decodeErr != nil {
		return nil
	}
	c := p.c
	if err := c.dataRow.Decode(body); err != nil {
		return c.fail("read", err)
	}
	rec, err := decodeRecord(p.sd, c.dataRow.Values)
	if err != nil {
		p.decodeErr = &BatchError{Index: p.completed, Err: c.noteDecodeError(err)}
		p.recs = nil
		return nil
	}
	p.recs = append(p.recs, rec)
	return nil
}

// commandComplete adds an execution's row count to the batch's.
func (p *execManyPipe) commandComplete(body []byte) error {
	var cc pgproto.CommandComplete
	if err := cc.Decode(body); err != nil {
		return p.c.fail("read", err)
	}
	tag := cc.CommandTag
	i := bytes.LastIndexByte(tag, ' ')
	n, err := strconv.ParseInt(string(tag[i+1:]), 10, 64)
	if p.completed == 0 {
		p.firstTag = string(tag)
		p.counted = i >= 0 && err == nil
	}
	if p.counted && i >= 0 && err == nil {
		p.affected += n
	}
	return nil
}

// tag is the batch's command tag: the first execution's, with the row
// counts added up; zero when no execution completed.
func (p *execManyPipe) tag() CommandTag {
	if p.completed == 0 || !p.counted {
		return newCommandTag([]byte(p.firstTag))
	}
	i := strings.LastIndexByte(p.firstTag, ' ')
	return newCommandTag(strconv.AppendInt([]byte(p.firstTag[:i+1]), p.affected, 10))
}

// end sends Sync if it has not gone out yet, reads up to ReadyForQuery
// and reports the outcome.
func (p *execManyPipe) end() error {
	c := p.c
	if p.failed != nil {
		if !p.synced {
			c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf[:0])
			if err := c.flush(); err != nil {
				return err
			}
		}
		if err := p.drain(); err != nil {
			if isBroken(err) {
				return err
			}
		}
		return &BatchError{Index: p.completed, Err: p.failed}
	}
	// All rows completed; ReadyForQuery follows.
	if err := p.drain(); err != nil {
		if isBroken(err) {
			return err
		}
		return &BatchError{Index: p.completed, Err: err}
	}
	return nil
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
func (p *execManyPipe) abort(i int, cause error) error {
	c := p.c
	berr := &BatchError{Index: i, Err: cause}
	if !p.sent {
		// Nothing went out: drop the request (pending messages stay
		// pending for the next one).
		c.wbuf = c.wbuf[:0]
		return berr
	}
	// Rows already sent run in the batch's transaction; make it fail on
	// purpose (a Bind of a statement that does not exist), so Sync rolls
	// them back instead of committing part of the batch.
	c.wbuf, _ = (&pgproto.Bind{PreparedStatement: "pg_execmany_aborted"}).Encode(c.wbuf)
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return err
	}
	if err := p.drain(); err != nil {
		if isBroken(err) {
			return err
		}
	}
	return berr
}
