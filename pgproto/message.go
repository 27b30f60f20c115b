package pgproto

// Backend message type bytes: the first byte of every message the server
// sends once the startup packet has been answered ("Message Formats" in the
// PostgreSQL documentation).
const (
	MsgAuthentication           byte = 'R' // every Authentication* message; the body starts with an Int32 code
	MsgBackendKeyData           byte = 'K'
	MsgBindComplete             byte = '2'
	MsgCloseComplete            byte = '3'
	MsgCommandComplete          byte = 'C'
	MsgCopyData                 byte = 'd' // both directions
	MsgCopyDone                 byte = 'c' // both directions
	MsgCopyInResponse           byte = 'G'
	MsgCopyOutResponse          byte = 'H'
	MsgCopyBothResponse         byte = 'W'
	MsgDataRow                  byte = 'D'
	MsgEmptyQueryResponse       byte = 'I'
	MsgErrorResponse            byte = 'E'
	MsgFunctionCallResponse     byte = 'V'
	MsgNegotiateProtocolVersion byte = 'v'
	MsgNoData                   byte = 'n'
	MsgNoticeResponse           byte = 'N'
	MsgNotificationResponse     byte = 'A'
	MsgParameterDescription     byte = 't'
	MsgParameterStatus          byte = 'S'
	MsgParseComplete            byte = '1'
	MsgPortalSuspended          byte = 's'
	MsgReadyForQuery            byte = 'Z'
	MsgRowDescription           byte = 'T'
)

// Frontend message type bytes. Several collide with backend bytes ('C', 'D',
// 'E', 'H', 'S'): the direction decides the meaning, which is why there are
// separate ParseBackend and ParseFrontend.
const (
	MsgBind         byte = 'B'
	MsgClose        byte = 'C'
	MsgCopyFail     byte = 'f'
	MsgDescribe     byte = 'D'
	MsgExecute      byte = 'E'
	MsgFlush        byte = 'H'
	MsgFunctionCall byte = 'F'
	MsgParse        byte = 'P'
	// MsgPassword is shared by PasswordMessage, SASLInitialResponse,
	// SASLResponse and GSSResponse; only the authentication exchange in
	// progress tells them apart.
	MsgPassword  byte = 'p'
	MsgQuery     byte = 'Q'
	MsgSync      byte = 'S'
	MsgTerminate byte = 'X'
)

// Startup-packet codes: the Int32 after the length word of an untyped
// startup packet. A protocol version has the major version in the high 16
// bits; the request codes use the reserved major version 1234.
const (
	ProtocolVersion30 uint32 = 196608   // 3.0: 3<<16 | 0
	SSLRequestCode    uint32 = 80877103 // 1234<<16 | 5679
	GSSENCRequestCode uint32 = 80877104 // 1234<<16 | 5680
	CancelRequestCode uint32 = 80877102 // 1234<<16 | 5678
)

// ProtocolVersion32 is protocol 3.2 (PostgreSQL 18), which differs from 3.0
// only in allowing a longer cancel secret key (BackendKeyData, CancelRequest).
const ProtocolVersion32 uint32 = 196610

// DefaultMaxMessageSize is the Reader's default bound on a message's declared
// length. PostgreSQL itself never sends a message over 1 GiB (its MaxAllocSize).
const DefaultMaxMessageSize = 1 << 30

// Message is implemented by every message type, always by the pointer.
//
// Encode appends the complete wire form (type byte if any, length word, body)
// to dst and returns the extended slice. It validates what the wire cannot
// carry (NUL bytes inside strings, counts above a 16-bit field, messages over
// math.MaxInt32 bytes) and returns an *EncodeError for it, with dst returned
// at its original length.
//
// Decode parses a message body: everything after the type byte and length
// word, or, for startup packets, everything after the length word (starting at
// the code or protocol version). It overwrites every field of the receiver and
// validates every length and count; malformed input returns a *ProtocolError,
// never a panic. After an error the receiver's contents are unspecified.
// Byte-slice fields documented as aliasing the body point into it and are
// valid only as long as the body is.
type Message interface {
	Encode(dst []byte) ([]byte, error)
	Decode(body []byte) error
}

// BackendMessage is a message the server sends.
type BackendMessage interface {
	Message
	// Backend is a marker method; it does nothing.
	Backend()
}

// FrontendMessage is a message the client sends, including the untyped
// startup packets (StartupMessage, SSLRequest, GSSENCRequest, CancelRequest).
type FrontendMessage interface {
	Message
	// Frontend is a marker method; it does nothing.
	Frontend()
}
