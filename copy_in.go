package pg

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/wirepg/pg/pgproto"
)

// copyChunk is how much COPY data the driver gathers before it writes: one
// CopyData message and one write per chunk, with memory bounded by it.
const copyChunk = 64 << 10

// serverMsg is one message read by copyIn's reader goroutine.
type serverMsg struct {
	typ  byte
	body []byte
	err  error
}

// copyInStream is one COPY FROM STDIN in progress. The caller's data is
// framed into CopyData messages of about copyChunk bytes in c.wbuf.
//
// While the data goes out, one goroutine at a time waits for the server's
// next message, so an error the server raises mid-stream (a bad value in
// row 500,001) stops the sending at once instead of after the whole
// source has been read. Only that goroutine touches the Reader while it
// runs; the message is handled here, on the caller's goroutine, and
// anything that is not an error (a notice, a parameter change) starts
// another wait.
type copyInStream struct {
	c       *Conn
	ctx     context.Context
	msgs    chan serverMsg
	waiting bool       // a reader goroutine is running
	start   int        // offset of the open CopyData message's length word in c.wbuf; 0 when none
	srvErr  error      // the server's error, once it has failed the COPY
	early   *serverMsg // a message received mid-stream that ends the COPY
}

// startCopyIn sends the COPY statement and waits for CopyInResponse. On a
// server error it reads up to ReadyForQuery and returns the error.
func (c *Conn) startCopyIn(ctx context.Context, sql string) (*copyInStream, error) {
	c.beginRequest()
	var err error
	if c.wbuf, err = (&pgproto.Query{String: sql}).Encode(c.wbuf); err != nil {
		return nil, err
	}
	if err := c.flush(); err != nil {
		return nil, err
	}
	if err := c.requestSent(); err != nil {
		return nil, err
	}
	for {
		typ, body, err := c.receive()
		if err != nil {
			return nil, err
		}
		switch typ {
		case pgproto.MsgCopyInResponse:
			s := &copyInStream{c: c, ctx: ctx, msgs: make(chan serverMsg, 1)}
			c.wbuf = c.wbuf[:0]
			s.wait()
			return s, nil
		case pgproto.MsgErrorResponse:
			return nil, c.afterServerError(c.pgError(body, sql), sql)
		case pgproto.MsgCommandComplete, pgproto.MsgRowDescription, pgproto.MsgDataRow, pgproto.MsgEmptyQueryResponse:
			// Not a COPY FROM STDIN after all: read the rest and say so.
			if err := c.drain(sql); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("pg: %q is not a COPY ... FROM STDIN statement", sql)
		case pgproto.MsgCopyOutResponse:
			_ = c.drain(sql)
			return nil, fmt.Errorf("pg: %q is a COPY TO statement; use CopyFromTable or CopyFromQuery", sql)
		default:
			return nil, c.protocolViolation(typ, "COPY start")
		}
	}
}

// wait starts a goroutine that reads the server's next message.
func (s *copyInStream) wait() {
	s.waiting = true
	r := s.c.r
	go func() {
		typ, body, err := r.ReadMessage()
		s.msgs <- serverMsg{typ: typ, body: body, err: err}
	}()
}

// poll handles what the server sent so far without blocking. It returns
// false once the server has ended the COPY (s.srvErr or s.early is set, or
// the connection failed).
func (s *copyInStream) poll() error {
	for s.waiting {
		select {
		case m := <-s.msgs:
			s.waiting = false
			if err := s.handle(m); err != nil {
				return err
			}
		default:
			return nil
		}
	}
	return nil
}

// handle processes a message received while data is still going out.
func (s *copyInStream) handle(m serverMsg) error {
	c := s.c
	if m.err != nil {
		return c.fail("read", m.err)
	}
	async, err := c.routeAsync(m.typ, m.body)
	switch {
	case err != nil:
		return c.fail("read", err)
	case async:
		s.wait()
	case m.typ == pgproto.MsgErrorResponse:
		s.srvErr = c.pgError(m.body, "") // the server failed the COPY; ReadyForQuery follows
	default:
		s.early = &m
	}
	return nil
}

// stopped reports whether the server has ended the COPY on its own.
func (s *copyInStream) stopped() bool { return s.srvErr != nil || s.early != nil }

// buf returns the write buffer with a CopyData message open for appending.
func (s *copyInStream) buf() []byte {
	c := s.c
	if s.start == 0 {
		c.wbuf, s.start = pgproto.BeginMessage(c.wbuf[:0], pgproto.MsgCopyData)
	}
	return c.wbuf
}

// setBuf stores the buffer after appending; it sends the chunk when it is
// full. It returns false when the server has ended the COPY (the caller
// then stops producing and calls finish).
func (s *copyInStream) setBuf(b []byte) (bool, error) {
	s.c.wbuf = b
	if len(b) < copyChunk {
		return true, nil
	}
	if err := s.send(); err != nil {
		return false, err
	}
	return !s.stopped(), nil
}

// send writes the open CopyData message.
func (s *copyInStream) send() error {
	c := s.c
	if s.start == 0 {
		return nil
	}
	var err error
	c.wbuf, err = pgproto.FinishMessage(c.wbuf, s.start)
	s.start = 0
	if err != nil {
		return err
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	if err := s.poll(); err != nil || s.stopped() {
		c.wbuf = c.wbuf[:0]
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	c.wbuf = c.wbuf[:0]
	return s.poll()
}

// finish ends the stream: with CopyDone when cause is nil, else with
// CopyFail. It reads the server's reply up to ReadyForQuery and returns
// the command tag, the server's error, or cause (which wins: it is why
// the COPY was abandoned).
func (s *copyInStream) finish(cause error) (CommandTag, error) {
	c := s.c
	if cause == nil && !s.stopped() {
		if err := s.send(); err != nil {
			cause = err
		}
	}
	s.start = 0
	if c.IsClosed() {
		s.drainReader()
		if cause == nil {
			cause = ErrConnClosed
		}
		return CommandTag{}, cause
	}
	if !s.stopped() {
		if cause == nil {
			c.wbuf, _ = (&pgproto.CopyDone{}).Encode(c.wbuf[:0])
		} else {
			c.wbuf, _ = (&pgproto.CopyFail{Message: copyFailMessage(cause)}).Encode(c.wbuf[:0])
		}
		if err := c.flush(); err != nil {
			s.drainReader()
			return CommandTag{}, err
		}
	}
	var tag CommandTag
	first := s.srvErr
	handle := func(typ byte, body []byte) (done bool, err error) {
		switch typ {
		case pgproto.MsgCommandComplete:
			if tag, err = c.commandTag(body); err != nil {
				return true, err
			}
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, "")
			}
		case pgproto.MsgReadyForQuery:
			return true, c.readyForQuery(body)
		default:
			return true, c.protocolViolation(typ, "COPY FROM STDIN")
		}
		return false, nil
	}
	if s.early != nil {
		if done, err := handle(s.early.typ, s.early.body); done || err != nil {
			return s.result(tag, first, cause, err)
		}
	}
	for {
		var typ byte
		var body []byte
		if s.waiting {
			m := <-s.msgs
			s.waiting = false
			if m.err != nil {
				return s.result(tag, first, cause, c.fail("read", m.err))
			}
			async, err := c.routeAsync(m.typ, m.body)
			if err != nil {
				return s.result(tag, first, cause, c.fail("read", err))
			}
			if async {
				s.wait()
				continue
			}
			typ, body = m.typ, m.body
		} else {
			var err error
			if typ, body, err = c.receive(); err != nil {
				return s.result(tag, first, cause, err)
			}
		}
		if done, err := handle(typ, body); done || err != nil {
			return s.result(tag, first, cause, err)
		}
	}
}

func (s *copyInStream) result(tag CommandTag, srvErr, cause, connErr error) (CommandTag, error) {
	s.drainReader()
	if cap(s.c.wbuf) > 4*copyChunk {
		// One huge row grew the buffer: do not keep it for the
		// connection's life.
		s.c.wbuf = make([]byte, 0, 4096)
	}
	if connErr != nil {
		return tag, connErr
	}
	if cause != nil {
		return CommandTag{}, cause
	}
	return tag, srvErr
}

// drainReader waits for a reader goroutine still running, so nothing else
// touches the Reader concurrently. It only blocks when the connection is
// closed (the read then fails at once) or a reply is on its way.
func (s *copyInStream) drainReader() {
	if s.waiting {
		if s.c.IsClosed() {
			<-s.msgs
		} else {
			m := <-s.msgs
			if m.err != nil {
				_ = s.c.fail("read", m.err)
			}
		}
		s.waiting = false
	}
}

// copyFailMax bounds the CopyFail message. The server reads CopyFail with
// PQ_SMALL_MESSAGE_LIMIT (10,000 bytes with the length word, see
// CopyGetData in copyfromparse.c) and drops the connection on a longer
// one, so an error quoting a 20 KB value would cost the connection. The
// caller gets the whole error; the server, which only logs it, a part.
const copyFailMax = 4096

// copyFailMessage is the reason given to the server in CopyFail: cut at
// the first NUL (the message is a C string), made valid UTF-8 (the server
// verifies it against the client encoding) and cut to copyFailMax bytes
// on a rune boundary.
func copyFailMessage(cause error) string {
	msg := "COPY aborted by the client: " + cause.Error()
	if i := strings.IndexByte(msg, 0); i >= 0 {
		msg = msg[:i]
	}
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	return cutText(msg, copyFailMax)
}

// cutText cuts s to at most max bytes on a rune boundary, saying how long
// it was.
func cutText(s string, max int) string {
	if len(s) <= max {
		return s
	}
	note := fmt.Sprintf("… (%d bytes)", len(s))
	cut := max - len(note)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + note
}
