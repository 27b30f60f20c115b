package pgproto

import (
	"encoding/binary"
	"errors"
	"io"
)

const (
	// defaultBufSize is the Reader's buffer when NewReader is given none:
	// large enough that rows of a few KiB cost a syscall per many rows, and
	// that a bytea read does not cost one per 8 KiB as bufio's default would.
	defaultBufSize = 64 << 10

	// shrinkAfter is how many consecutive messages must fit in the base
	// buffer before a grown buffer is released.
	shrinkAfter = 64

	// maxEmptyReads bounds consecutive (0, nil) reads from the underlying
	// reader before giving up with io.ErrNoProgress, as bufio does.
	maxEmptyReads = 100
)

// Reader reads protocol messages from a stream through one large, reused
// buffer. It reads backend messages for a client and frontend messages
// (including the untyped startup packet) for a server or proxy alike; it
// only frames messages, and ParseBackend, ParseFrontend, ParseStartup or a
// message's Decode interpret them.
//
// The buffer starts at the size given to NewReader. A message larger than
// the buffer grows it, doubling as the message's bytes actually arrive (so a
// peer that only declares a huge length cannot make it allocate), never past
// what the size bound allows. Once 64 consecutive messages have fit in the
// original size again, the next read replaces a grown buffer with one of the
// original size, so one large value does not pin memory for the life of the
// connection while a run of large ones reuses the grown buffer.
//
// A Reader is not safe for concurrent use.
type Reader struct {
	rd       io.Reader
	buf      []byte
	r, w     int   // buf[r:w] is buffered and unread
	err      error // error from rd held back because the data before it was enough
	baseSize int
	maxSize  int
	fitRun   int // consecutive messages that fit in baseSize
}

// NewReader returns a Reader reading from r with a buffer of bufSize bytes
// (64 KiB if bufSize <= 0) and DefaultMaxMessageSize as the size bound.
func NewReader(r io.Reader, bufSize int) *Reader {
	if bufSize <= 0 {
		bufSize = defaultBufSize
	}
	return &Reader{
		rd:       r,
		buf:      make([]byte, bufSize),
		baseSize: bufSize,
		maxSize:  DefaultMaxMessageSize,
	}
}

// SetMaxMessageSize bounds the declared length of the messages the Reader
// accepts (the length word's value, which counts itself but not the type
// byte). A longer message fails with *MessageTooLargeError before any of it
// is buffered. n <= 0 restores DefaultMaxMessageSize. A client may lower the
// bound to cap the memory one huge row can take; a server should bound
// startup packets far lower (PostgreSQL allows 10000 bytes).
func (r *Reader) SetMaxMessageSize(n int) {
	if n <= 0 {
		n = DefaultMaxMessageSize
	}
	r.maxSize = n
}

// ReadMessage reads the next typed message and returns its type byte and
// body (everything after the length word).
//
// The body aliases the Reader's buffer: it is valid only until the next call
// to ReadMessage, ReadStartupMessage or ReadByte (or Reset), and so is
// everything decoded from it that aliases it. Copy what must outlive that.
//
// At a clean end of stream, between messages, it returns io.EOF; a stream
// that ends inside a message returns io.ErrUnexpectedEOF. A declared length
// below 4 is a *ProtocolError and one over the bound a *MessageTooLargeError
// (with typ set); neither consumes any input, so the stream cannot be
// resynchronised and the connection should be closed. Other errors from the
// underlying reader, such as a deadline expiring, are returned as they are
// and leave the partial message buffered: calling ReadMessage again
// continues where it stopped.
func (r *Reader) ReadMessage() (typ byte, body []byte, err error) {
	r.maybeShrink()
	if err := r.fill(5); err != nil {
		return 0, nil, err
	}
	typ = r.buf[r.r]
	size := int(int32(binary.BigEndian.Uint32(r.buf[r.r+1:])))
	if size < 4 {
		return typ, nil, protocolErrorf("message %s declares length %d, below the minimum of 4", quoteType(typ), size)
	}
	if size > r.maxSize {
		return typ, nil, &MessageTooLargeError{Type: typ, Size: size, Max: r.maxSize}
	}
	total := 1 + size
	if err := r.fill(total); err != nil {
		return typ, nil, err
	}
	start, end := r.r+5, r.r+total
	r.r = end
	r.noteSize(total)
	return typ, r.buf[start:end:end], nil
}

// ReadBuffered is ReadMessage's fast path for a run of messages of one
// type, such as a result's DataRows: when the next message is of type typ
// and wholly buffered (and the buffer is at its base size, so there is no
// shrink to decide), it consumes it and returns its body, exactly as
// ReadMessage would have; otherwise it consumes nothing and returns false,
// and the caller reads with ReadMessage. It never reads from the underlying
// reader, so it cannot block or fail. The body's validity is ReadMessage's.
func (r *Reader) ReadBuffered(typ byte) (body []byte, ok bool) {
	buf := r.buf[r.r:r.w]
	if len(buf) < 5 || buf[0] != typ || len(r.buf) != r.baseSize {
		return nil, false
	}
	size := int(int32(binary.BigEndian.Uint32(buf[1:5])))
	if size < 4 || size >= len(buf) || size > r.maxSize {
		return nil, false
	}
	// The message fits a buffer of the base size: noteSize's first case.
	r.fitRun++
	r.r += 1 + size
	return buf[5 : 1+size : 1+size], true
}

// ReadStartupMessage reads an untyped startup packet, as the first thing a
// server or proxy reads from a new client (and again after answering an
// SSLRequest or GSSENCRequest), and returns its body: everything after the
// length word, starting with the protocol version or request code, ready for
// ParseStartup. The body is valid until the next read, as with ReadMessage,
// and errors follow ReadMessage's rules; a declared length below 8 (no room
// for the code) is a *ProtocolError and one over the bound a
// *MessageTooLargeError with Type 0.
func (r *Reader) ReadStartupMessage() (body []byte, err error) {
	r.maybeShrink()
	if err := r.fill(4); err != nil {
		return nil, err
	}
	size := int(int32(binary.BigEndian.Uint32(r.buf[r.r:])))
	if size < 8 {
		return nil, protocolErrorf("startup packet declares length %d, below the minimum of 8", size)
	}
	if size > r.maxSize {
		return nil, &MessageTooLargeError{Size: size, Max: r.maxSize}
	}
	if err := r.fill(size); err != nil {
		return nil, err
	}
	start, end := r.r+4, r.r+size
	r.r = end
	r.noteSize(size)
	return r.buf[start:end:end], nil
}

// ReadByte reads a single byte: the server's 'S', 'G' or 'N' answer to an
// SSLRequest or GSSENCRequest. When nothing is buffered it asks the
// underlying reader for exactly one byte, so it never reads into the
// encrypted stream that follows.
//
// Sharp edge: after reading the answer to an SSLRequest, check that
// Buffered() is 0. Bytes that arrived before the TLS handshake were not
// encrypted and may have been injected by a man in the middle
// (CVE-2021-23222); treat them as a protocol violation, never as messages.
func (r *Reader) ReadByte() (byte, error) {
	if r.r == r.w {
		r.r, r.w = 0, 0
		if err := r.readAtLeast(1, 1); err != nil {
			return 0, err
		}
	}
	b := r.buf[r.r]
	r.r++
	return b, nil
}

// Buffered returns the number of bytes read from the underlying reader but
// not yet returned.
func (r *Reader) Buffered() int { return r.w - r.r }

// Reset discards any buffered data and makes the Reader read from rd, for
// example the tls.Conn after a successful SSLRequest, or a new connection
// when the Reader is pooled. A grown buffer is released; the size bound is
// kept.
func (r *Reader) Reset(rd io.Reader) {
	r.rd = rd
	r.r, r.w = 0, 0
	r.err = nil
	r.fitRun = 0
	if len(r.buf) != r.baseSize {
		r.buf = make([]byte, r.baseSize)
	}
}

// fill makes at least need bytes available at buf[r:], reading as much as
// the underlying reader offers in each call.
func (r *Reader) fill(need int) error {
	if r.w-r.r >= need {
		return nil
	}
	if r.r == r.w {
		r.r, r.w = 0, 0
	}
	return r.readAtLeast(need, len(r.buf))
}

// readAtLeast reads until need bytes are buffered, asking the underlying
// reader for at most limit bytes per call beyond the current end.
func (r *Reader) readAtLeast(need, limit int) error {
	if r.err != nil {
		err := r.err
		r.err = nil
		return r.eofError(err)
	}
	empty := 0
	for r.w-r.r < need {
		if r.w == len(r.buf) {
			r.makeRoom(need)
		}
		end := min(len(r.buf), r.w+limit)
		n, err := r.rd.Read(r.buf[r.w:end])
		if n < 0 || n > end-r.w {
			return errors.New("pgproto: underlying reader returned an invalid count")
		}
		r.w += n
		if err != nil {
			if r.w-r.r >= need {
				r.err = err // report it on the next read that needs data
				return nil
			}
			return r.eofError(err)
		}
		if n > 0 {
			empty = 0
		} else if empty++; empty >= maxEmptyReads {
			return io.ErrNoProgress
		}
	}
	return nil
}

// eofError maps io.EOF to io.ErrUnexpectedEOF unless the stream ended
// cleanly between messages.
func (r *Reader) eofError(err error) error {
	if err == io.EOF && r.w != r.r {
		return io.ErrUnexpectedEOF
	}
	return err
}

// makeRoom is called when the buffer's tail is full: it moves the unread
// bytes to the front or, when they already fill the buffer, doubles it (but
// never past what a message within the bound needs), so the buffer only grows
// as fast as data arrives.
func (r *Reader) makeRoom(need int) {
	if r.r > 0 {
		copy(r.buf, r.buf[r.r:r.w])
		r.w -= r.r
		r.r = 0
		return
	}
	size := 2 * len(r.buf)
	if limit := r.maxSize + 5; size > limit {
		size = max(limit, need)
	}
	buf := make([]byte, size)
	copy(buf, r.buf[:r.w])
	r.buf = buf
}

// noteSize tracks whether messages fit the base buffer, for maybeShrink.
func (r *Reader) noteSize(total int) {
	if total <= r.baseSize {
		r.fitRun++
	} else {
		r.fitRun = 0
	}
}

// maybeShrink releases a grown buffer once recent messages fit the base
// size. It runs at the start of a read, when the previous body is no longer
// valid.
func (r *Reader) maybeShrink() {
	if len(r.buf) == r.baseSize || r.fitRun < shrinkAfter || r.w-r.r > r.baseSize {
		return
	}
	buf := make([]byte, r.baseSize)
	r.w = copy(buf, r.buf[r.r:r.w])
	r.r = 0
	r.buf = buf
	r.fitRun = 0
}
