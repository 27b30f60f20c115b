package pgproto

import "fmt"

// ProtocolError reports a malformed or unexpected message: a length that
// does not fit the body, a missing string terminator, an unknown message type
// or code. A connection that receives one should be closed, since the two
// ends no longer agree on where messages begin.
type ProtocolError struct {
	Msg string
}

// Error implements error.
func (e *ProtocolError) Error() string { return "pgproto: protocol violation: " + e.Msg }

// MessageTooLargeError is returned by the Reader when a message's declared
// length exceeds the bound set with SetMaxMessageSize. The Reader has not
// allocated or read the message; the stream is positioned before its header,
// so the connection cannot continue and should be closed.
type MessageTooLargeError struct {
	Type byte // message type byte; 0 for a startup packet
	Size int  // declared length (the length word's value, which counts itself but not the type byte)
	Max  int  // the Reader's bound
}

// Error implements error.
func (e *MessageTooLargeError) Error() string {
	what := "startup packet"
	if e.Type != 0 {
		what = "message " + quoteType(e.Type)
	}
	return fmt.Sprintf("pgproto: %s declares %d bytes, over the limit of %d; raise it with Reader.SetMaxMessageSize if the peer is trusted",
		what, e.Size, e.Max)
}

// EncodeError reports a message that cannot be put on the wire as given:
// a string containing a NUL byte, a count too large for its 16-bit field, or
// a message longer than math.MaxInt32 bytes.
type EncodeError struct {
	Msg string
}

// Error implements error.
func (e *EncodeError) Error() string { return "pgproto: cannot encode " + e.Msg }

func protocolErrorf(format string, args ...any) *ProtocolError {
	return &ProtocolError{Msg: fmt.Sprintf(format, args...)}
}

func encodeErrorf(format string, args ...any) *EncodeError {
	return &EncodeError{Msg: fmt.Sprintf(format, args...)}
}
