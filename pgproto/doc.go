// Package pgproto is a hand-written implementation of the PostgreSQL
// frontend/backend protocol, version 3.0 (and the 3.2 longer cancel key):
// every message either side sends, as a Go type that encodes itself to and
// decodes itself from the wire, plus a Reader that frames messages off a
// stream. It knows nothing of connections, types or SQL; the driver's
// connection code drives it, and a test server or proxy can use it from the
// other side.
//
// Each message lives in a file named after it as the protocol documentation's
// "Message Formats" section names it (data_row.go, ready_for_query.go, ...),
// and its fields follow that section's field list.
//
// # Flow
//
// Writing: Encode appends a message's complete wire form to a caller-owned
// buffer, so a batch of messages (Parse, Bind, Describe, Execute, Sync) is
// built in one reused []byte and written with one syscall. Hot messages can
// be built in place with BeginMessage, the Append helpers and FinishMessage,
// encoding Bind parameters straight into the write buffer.
//
// Reading: Reader.ReadMessage returns a message's type byte and body;
// ParseBackend (or ParseFrontend, or ParseStartup) turns it into a message
// value, or the caller switches on the type byte and calls Decode on a value
// it reuses:
//
//	var row pgproto.DataRow
//	for {
//		typ, body, err := rd.ReadMessage()
//		...
//		if typ == pgproto.MsgDataRow {
//			err = row.Decode(body) // no allocation once row.Values is big enough
//		}
//	}
//
// # Buffer ownership
//
// The body ReadMessage returns aliases the Reader's buffer and is valid only
// until the next read (ReadMessage, ReadStartupMessage, ReadByte or Reset).
// Decode keeps that aliasing for byte-slice fields where copying would cost
// the hot path (DataRow values, CommandComplete.CommandTag, CopyData.Data,
// Bind parameters, SASL and GSS data), so they too are valid only until the
// next read: copy what must live longer. Strings are always copies, and so is
// the cancel key in BackendKeyData and CancelRequest, which a connection
// keeps for its whole life. Each message documents which fields alias.
//
// # Size bound
//
// A peer controls every length on the wire, so nothing here trusts one. The
// Reader refuses a message whose declared length exceeds its bound
// (DefaultMaxMessageSize, 1 GiB, unless changed with SetMaxMessageSize) with
// a *MessageTooLargeError, and grows its buffer only as a message's bytes
// actually arrive. Decode checks every count against the bytes left before
// allocating for it and every length against the body, and reports malformed
// input as a *ProtocolError; it never panics on any input. Encode reports
// what the wire cannot carry (a NUL inside a string, more than 65535
// parameters, a message over 2 GiB) as an *EncodeError instead of silently
// writing a corrupt message.
//
// # Sharp edges
//
//   - Type bytes are reused across directions ('D' is DataRow from the server
//     and Describe from the client); parse with the function for the
//     direction.
//   - 'p' carries PasswordMessage, SASLInitialResponse, SASLResponse and
//     GSSResponse; ParseFrontend cannot tell them apart and returns a
//     PasswordMessage. Decode the body with the type the authentication
//     exchange expects.
//   - Startup packets (StartupMessage, SSLRequest, GSSENCRequest,
//     CancelRequest) have no type byte: read them with ReadStartupMessage.
//   - After an SSLRequest, check Reader.Buffered is 0 once the 'S' has been
//     read (see Reader.ReadByte).
//   - After a *ProtocolError or *MessageTooLargeError from the Reader the
//     stream cannot be resynchronised; close the connection.
//   - No value here is safe for concurrent use.
package pgproto
