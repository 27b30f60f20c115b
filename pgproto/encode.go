package pgproto

import (
	"encoding/binary"
	"math"
	"strings"
)

// BeginMessage appends the type byte typ and a placeholder length word to
// dst. start is the index of the length word, to be passed to FinishMessage
// once the body has been appended. Together they let a caller build a message
// in place, for example a Bind whose parameters are encoded straight into the
// write buffer:
//
//	buf, start := pgproto.BeginMessage(buf, pgproto.MsgBind)
//	buf = pgproto.AppendCString(buf, portal)
//	...
//	buf, err = pgproto.FinishMessage(buf, start)
func BeginMessage(dst []byte, typ byte) (out []byte, start int) {
	dst = append(dst, typ, 0, 0, 0, 0)
	return dst, len(dst) - 4
}

// FinishMessage writes the length of the message whose length word is at
// dst[start:] (everything from start to len(dst)). It returns an
// *EncodeError, with dst unchanged, if the message is longer than
// math.MaxInt32 bytes or start does not point at a length word; the caller
// then discards the partial message by truncating dst to start-1 (start for
// an untyped startup packet).
func FinishMessage(dst []byte, start int) ([]byte, error) {
	return finishMessage(dst, start, math.MaxInt32)
}

// finishMessage is FinishMessage with the limit as a parameter, so that the
// over-length path can be tested without a 2 GiB buffer.
func finishMessage(dst []byte, start, limit int) ([]byte, error) {
	if start < 0 || start > len(dst)-4 {
		return dst, encodeErrorf("message: length word offset %d outside a %d-byte buffer", start, len(dst))
	}
	n := len(dst) - start
	if n > limit {
		return dst, encodeErrorf("message: %d bytes exceed the protocol limit of %d", n, limit)
	}
	binary.BigEndian.PutUint32(dst[start:], uint32(n))
	return dst, nil
}

// beginUntyped starts a startup packet, which has no type byte.
func beginUntyped(dst []byte) (out []byte, start int) {
	return append(dst, 0, 0, 0, 0), len(dst)
}

// finishTyped completes a message begun with BeginMessage, truncating it
// away on error.
func finishTyped(dst []byte, start int) ([]byte, error) {
	out, err := FinishMessage(dst, start)
	if err != nil {
		return dst[:start-1], err
	}
	return out, nil
}

// finishUntyped completes a packet begun with beginUntyped, truncating it
// away on error.
func finishUntyped(dst []byte, start int) ([]byte, error) {
	out, err := FinishMessage(dst, start)
	if err != nil {
		return dst[:start], err
	}
	return out, nil
}

// AppendCString appends s and a terminating NUL byte: the protocol's String
// type. It does not check s for NUL bytes; a NUL inside s would end the
// string early and desynchronise the message, so callers must have ruled it
// out (the message Encode methods do).
func AppendCString(dst []byte, s string) []byte {
	dst = append(dst, s...)
	return append(dst, 0)
}

// AppendInt16 appends v big-endian: the protocol's Int16.
func AppendInt16(dst []byte, v int16) []byte {
	return binary.BigEndian.AppendUint16(dst, uint16(v))
}

// AppendUint16 appends v big-endian (counts, which the server treats as
// unsigned up to 65535).
func AppendUint16(dst []byte, v uint16) []byte {
	return binary.BigEndian.AppendUint16(dst, v)
}

// AppendInt32 appends v big-endian: the protocol's Int32.
func AppendInt32(dst []byte, v int32) []byte {
	return binary.BigEndian.AppendUint32(dst, uint32(v))
}

// AppendUint32 appends v big-endian (OIDs, process IDs).
func AppendUint32(dst []byte, v uint32) []byte {
	return binary.BigEndian.AppendUint32(dst, v)
}

// AppendValue appends a length-prefixed value as used by Bind, DataRow,
// FunctionCall and FunctionCallResponse: an Int32 length then the bytes, or
// length -1 and nothing for a nil slice (SQL NULL). An empty non-nil slice is
// a zero-length value, not NULL.
func AppendValue(dst, v []byte) []byte {
	if v == nil {
		return AppendInt32(dst, -1)
	}
	dst = AppendInt32(dst, int32(len(v)))
	return append(dst, v...)
}

// checkCString rejects a string that the protocol's NUL-terminated String
// type cannot carry.
func checkCString(msg, field, s string) error {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return encodeErrorf("%s: %s contains a NUL byte at offset %d; protocol strings are NUL-terminated (send such data as a bytea parameter)", msg, field, i)
	}
	return nil
}

// checkCount rejects a count that does not fit the protocol's Int16 count
// fields, which the server reads as unsigned (at most 65535).
func checkCount(msg, field string, n int) error {
	if n > math.MaxUint16 {
		return encodeErrorf("%s: %d %s exceed the protocol limit of 65535", msg, n, field)
	}
	return nil
}

// encodeEmpty appends a message that has no body.
func encodeEmpty(dst []byte, typ byte) []byte {
	return append(dst, typ, 0, 0, 0, 4)
}
