package pgproto

import (
	"bytes"
	"encoding/binary"
	"strconv"
)

// decoder reads a message body front to back. The first failure is kept in
// err and every later read returns zero values, so Decode methods read all
// fields and check err once. It lives on the stack of the Decode method.
type decoder struct {
	msg string // message name, for error text
	b   []byte
	off int
	err error
}

func newDecoder(msg string, body []byte) decoder {
	return decoder{msg: msg, b: body}
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = protocolErrorf(d.msg+": "+format, args...)
	}
	d.off = len(d.b)
}

func (d *decoder) remaining() int { return len(d.b) - d.off }

// need reports whether n more bytes are available, failing if not.
func (d *decoder) need(n int, what string) bool {
	if d.err != nil {
		return false
	}
	if d.remaining() < n {
		d.fail("truncated %s at offset %d: need %d bytes, have %d", what, d.off, n, d.remaining())
		return false
	}
	return true
}

func (d *decoder) byte1(what string) byte {
	if !d.need(1, what) {
		return 0
	}
	v := d.b[d.off]
	d.off++
	return v
}

func (d *decoder) uint16(what string) uint16 {
	if !d.need(2, what) {
		return 0
	}
	v := binary.BigEndian.Uint16(d.b[d.off:])
	d.off += 2
	return v
}

func (d *decoder) int16(what string) int16 { return int16(d.uint16(what)) }

func (d *decoder) uint32(what string) uint32 {
	if !d.need(4, what) {
		return 0
	}
	v := binary.BigEndian.Uint32(d.b[d.off:])
	d.off += 4
	return v
}

func (d *decoder) int32(what string) int32 { return int32(d.uint32(what)) }

// cstringBytes reads a NUL-terminated string and returns it without the NUL,
// aliasing the body.
func (d *decoder) cstringBytes(what string) []byte {
	if d.err != nil {
		return nil
	}
	i := bytes.IndexByte(d.b[d.off:], 0)
	if i < 0 {
		d.fail("%s at offset %d is not NUL-terminated", what, d.off)
		return nil
	}
	v := d.b[d.off : d.off+i : d.off+i]
	d.off += i + 1
	return v
}

// cstring reads a NUL-terminated string into a new string.
func (d *decoder) cstring(what string) string {
	return string(d.cstringBytes(what))
}

// bytes returns the next n bytes, aliasing the body with the capacity
// clipped so that appending to them cannot overwrite what follows.
func (d *decoder) bytes(n int, what string) []byte {
	if !d.need(n, what) {
		return nil
	}
	v := d.b[d.off : d.off+n : d.off+n]
	d.off += n
	return v
}

// rest returns everything not yet read (never nil when no error occurred).
func (d *decoder) rest() []byte {
	if d.err != nil {
		return nil
	}
	v := d.b[d.off:len(d.b):len(d.b)]
	d.off = len(d.b)
	return v
}

// value reads an Int32 length and that many bytes; length -1 is NULL (nil).
func (d *decoder) value(what string) []byte {
	n := d.int32(what + " length")
	if d.err != nil {
		return nil
	}
	if n < 0 {
		if n != -1 {
			d.fail("%s has negative length %d", what, n)
		}
		return nil
	}
	return d.bytes(int(n), what)
}

// count reads an Int16 count (unsigned, as the server treats it) and checks
// that count elements of at least minSize bytes each can fit in the rest of
// the body, so a hostile count cannot make the caller allocate a large slice.
func (d *decoder) count(what string, minSize int) int {
	n := int(d.uint16(what + " count"))
	if d.err == nil && n*minSize > d.remaining() {
		d.fail("%d %s need at least %d bytes, only %d remain", n, what, n*minSize, d.remaining())
		return 0
	}
	return n
}

// int32Count is count for the few Int32 counts (NegotiateProtocolVersion).
func (d *decoder) int32Count(what string, minSize int) int {
	n := d.int32(what + " count")
	if d.err == nil && (n < 0 || int64(n)*int64(minSize) > int64(d.remaining())) {
		d.fail("%s count %d does not fit the %d remaining bytes", what, n, d.remaining())
		return 0
	}
	return int(n)
}

// done returns the first error, or a *ProtocolError if bytes remain unread.
func (d *decoder) done() error {
	if d.err == nil && d.off != len(d.b) {
		d.fail("%d unexpected trailing bytes", len(d.b)-d.off)
	}
	return d.err
}

// decodeEmpty checks the body of a message that has none.
func decodeEmpty(msg string, body []byte) error {
	if len(body) != 0 {
		return protocolErrorf("%s: expected an empty body, got %d bytes", msg, len(body))
	}
	return nil
}

// parseInt32Field parses the decimal integer fields of ErrorResponse.
func parseInt32Field(msg string, code byte, s string) (int32, error) {
	v, err := strconv.ParseInt(s, 10, 32)
	if err != nil {
		return 0, protocolErrorf("%s: field %q is not an integer: %q", msg, rune(code), s)
	}
	return int32(v), nil
}
