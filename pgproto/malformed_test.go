package pgproto

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func requireProtocolError(t *testing.T, err error, msgAndArgs ...any) {
	t.Helper()
	var pe *ProtocolError
	require.Error(t, err, msgAndArgs...)
	require.True(t, errors.As(err, &pe), "want *ProtocolError, got %T: %v", err, err)
	assert.Contains(t, err.Error(), "pgproto: protocol violation: ")
}

func TestParseBackendMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  byte
		body string
	}{
		{"unknown type", '!', ""},
		{"zero type", 0, ""},
		{"DataRow empty", 'D', ""},
		{"DataRow half count", 'D', "\x00"},
		{"DataRow missing value", 'D', "\x00\x01"},
		{"DataRow count over body", 'D', "\xff\xff\x00\x00\x00\x00"},
		{"DataRow length -2", 'D', "\x00\x01\xff\xff\xff\xfe"},
		{"DataRow min int32 length", 'D', "\x00\x01\x80\x00\x00\x00"},
		{"DataRow length over body", 'D', "\x00\x01\x00\x00\x00\x05abcd"},
		{"DataRow truncated second length", 'D', "\x00\x02\x00\x00\x00\x00\x00\x00"},
		{"DataRow trailing", 'D', "\x00\x00\x00"},
		{"RowDescription truncated", 'T', "\x00\x01a\x00\x00\x00"},
		{"RowDescription name unterminated", 'T', "\x00\x01aaaaaaaaaaaaaaaaaaaaaaa"},
		{"RowDescription count over body", 'T', "\x7f\xff"},
		{"RowDescription trailing", 'T', "\x00\x00x"},
		{"ReadyForQuery empty", 'Z', ""},
		{"ReadyForQuery bad status", 'Z', "X"},
		{"ReadyForQuery long", 'Z', "II"},
		{"Authentication empty", 'R', ""},
		{"Authentication short code", 'R', "\x00\x00\x00"},
		{"Authentication unknown code", 'R', "\x00\x00\x00\x63"},
		{"AuthenticationOk trailing", 'R', "\x00\x00\x00\x00x"},
		{"AuthenticationCleartextPassword trailing", 'R', "\x00\x00\x00\x03x"},
		{"AuthenticationMD5Password short salt", 'R', "\x00\x00\x00\x05abc"},
		{"AuthenticationMD5Password long salt", 'R', "\x00\x00\x00\x05abcde"},
		{"AuthenticationSASL unterminated list", 'R', "\x00\x00\x00\x0aSCRAM-SHA-256\x00"},
		{"AuthenticationSASL unterminated name", 'R', "\x00\x00\x00\x0aSCRAM"},
		{"AuthenticationSASL trailing", 'R', "\x00\x00\x00\x0a\x00x"},
		{"BackendKeyData short", 'K', "\x00\x00\x00"},
		{"BackendKeyData key 3 bytes", 'K', "\x00\x00\x00\x01abc"},
		{"BackendKeyData key 257 bytes", 'K', "\x00\x00\x00\x01" + string(bytes.Repeat([]byte{1}, 257))},
		{"BindComplete body", '2', "x"},
		{"CloseComplete body", '3', "x"},
		{"ParseComplete body", '1', "x"},
		{"NoData body", 'n', "x"},
		{"PortalSuspended body", 's', "x"},
		{"EmptyQueryResponse body", 'I', "x"},
		{"CopyDone body", 'c', "x"},
		{"CommandComplete unterminated", 'C', "SELECT 1"},
		{"CommandComplete trailing", 'C', "SELECT 1\x00x"},
		{"CommandComplete empty", 'C', ""},
		{"CopyInResponse empty", 'G', ""},
		{"CopyInResponse count over body", 'G', "\x00\x00\x02\x00\x00"},
		{"CopyOutResponse trailing", 'H', "\x00\x00\x00x"},
		{"CopyBothResponse truncated count", 'W', "\x00\x00"},
		{"ErrorResponse empty", 'E', ""},
		{"ErrorResponse unterminated", 'E', "SERROR\x00"},
		{"ErrorResponse value unterminated", 'E', "SERROR"},
		{"ErrorResponse bad position", 'E', "P1x\x00\x00"},
		{"ErrorResponse position overflow", 'E', "P99999999999\x00\x00"},
		{"ErrorResponse bad line", 'E', "Labc\x00\x00"},
		{"ErrorResponse trailing", 'E', "\x00x"},
		{"NoticeResponse bad internal position", 'N', "p\x00\x00"},
		{"FunctionCallResponse empty", 'V', ""},
		{"FunctionCallResponse length -2", 'V', "\xff\xff\xff\xfe"},
		{"FunctionCallResponse length over body", 'V', "\x00\x00\x00\x02a"},
		{"FunctionCallResponse trailing", 'V', "\xff\xff\xff\xffx"},
		{"NegotiateProtocolVersion short", 'v', "\x00\x00\x00\x00\x00\x00"},
		{"NegotiateProtocolVersion negative count", 'v', "\x00\x00\x00\x00\xff\xff\xff\xff"},
		{"NegotiateProtocolVersion count over body", 'v', "\x00\x00\x00\x00\x7f\xff\xff\xffa\x00"},
		{"NegotiateProtocolVersion option unterminated", 'v', "\x00\x00\x00\x00\x00\x00\x00\x01abc"},
		{"NotificationResponse short", 'A', "\x00\x00"},
		{"NotificationResponse payload missing", 'A', "\x00\x00\x00\x01chan\x00"},
		{"ParameterDescription count over body", 't', "\x00\x02\x00\x00\x00\x17"},
		{"ParameterDescription trailing", 't', "\x00\x01\x00\x00\x00\x17x"},
		{"ParameterStatus value missing", 'S', "name\x00"},
		{"ParameterStatus trailing", 'S', "a\x00b\x00c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseBackend(tt.typ, []byte(tt.body))
			requireProtocolError(t, err)
			assert.Nil(t, m)
		})
	}
}

func TestParseFrontendMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		typ  byte
		body string
	}{
		{"unknown type", 'z', ""},
		{"backend-only type", 'Z', "I"},
		{"Bind empty", 'B', ""},
		{"Bind truncated codes", 'B', "\x00\x00\x00\x02\x00\x01"},
		{"Bind parameter count over body", 'B', "\x00\x00\x00\x00\xff\xff"},
		{"Bind parameter length -3", 'B', "\x00\x00\x00\x00\x00\x01\xff\xff\xff\xfd\x00\x00"},
		{"Bind parameter over body", 'B', "\x00\x00\x00\x00\x00\x01\x00\x00\x00\x09ab\x00\x00"},
		{"Bind missing result codes", 'B', "\x00\x00\x00\x00\x00\x00"},
		{"Bind trailing", 'B', "\x00\x00\x00\x00\x00\x00\x00\x00x"},
		{"Describe bad object type", 'D', "Xname\x00"},
		{"Describe empty", 'D', ""},
		{"Describe unterminated", 'D', "Sname"},
		{"Close bad object type", 'C', "s\x00"},
		{"Close trailing", 'C', "S\x00x"},
		{"Execute truncated row limit", 'E', "\x00\x00\x00"},
		{"Execute trailing", 'E', "\x00\x00\x00\x00\x00x"},
		{"FunctionCall short", 'F', "\x00\x00\x00"},
		{"FunctionCall negative length", 'F', "\x00\x00\x00\x01\x00\x00\x00\x01\x80\x00\x00\x00\x00\x00"},
		{"FunctionCall missing result format", 'F', "\x00\x00\x00\x01\x00\x00\x00\x00"},
		{"Parse unterminated query", 'P', "\x00SELECT"},
		{"Parse OID count over body", 'P', "\x00q\x00\x00\x02\x00\x00\x00\x17"},
		{"Parse trailing", 'P', "\x00q\x00\x00\x00x"},
		{"Query unterminated", 'Q', "SELECT 1"},
		{"Query trailing", 'Q', "SELECT 1\x00x"},
		{"CopyFail unterminated", 'f', "oops"},
		{"PasswordMessage unterminated", 'p', "secret"},
		{"PasswordMessage trailing", 'p', "secret\x00x"},
		{"Sync body", 'S', "x"},
		{"Flush body", 'H', "x"},
		{"Terminate body", 'X', "x"},
		{"CopyDone body", 'c', "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseFrontend(tt.typ, []byte(tt.body))
			requireProtocolError(t, err)
			assert.Nil(t, m)
		})
	}
}

func TestParseStartupMalformed(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"empty", ""},
		{"short code", "\x00\x03\x00"},
		{"protocol 2.0", "\x00\x02\x00\x00user\x00u\x00\x00"},
		{"protocol 4.0", "\x00\x04\x00\x00\x00"},
		{"unknown request code", "\x04\xd2\x16\x31"},
		{"StartupMessage unterminated list", "\x00\x03\x00\x00user\x00u\x00"},
		{"StartupMessage missing value", "\x00\x03\x00\x00user\x00"},
		{"StartupMessage no list", "\x00\x03\x00\x00"},
		{"StartupMessage trailing", "\x00\x03\x00\x00\x00x"},
		{"SSLRequest trailing", "\x04\xd2\x16\x2fx"},
		{"GSSENCRequest trailing", "\x04\xd2\x16\x30\x00"},
		{"CancelRequest no key", "\x04\xd2\x16\x2e\x00\x00\x00\x01"},
		{"CancelRequest short key", "\x04\xd2\x16\x2e\x00\x00\x00\x01abc"},
		{"CancelRequest long key", "\x04\xd2\x16\x2e\x00\x00\x00\x01" + string(bytes.Repeat([]byte{1}, 257))},
		{"CancelRequest truncated pid", "\x04\xd2\x16\x2e\x00\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := ParseStartup([]byte(tt.body))
			requireProtocolError(t, err)
			assert.Nil(t, m)
		})
	}
}

// TestDecodeWrongCode feeds each Authentication* and startup Decode a body
// carrying another message's code.
func TestDecodeWrongCode(t *testing.T) {
	t.Parallel()
	ok := mustEncode(&AuthenticationOk{})[5:]
	for _, m := range []Message{
		&AuthenticationKerberosV5{}, &AuthenticationCleartextPassword{}, &AuthenticationMD5Password{},
		&AuthenticationGSS{}, &AuthenticationGSSContinue{}, &AuthenticationSSPI{}, &AuthenticationSASL{},
		&AuthenticationSASLContinue{}, &AuthenticationSASLFinal{},
	} {
		requireProtocolError(t, m.Decode(ok), typeName(m))
	}
	assert.NoError(t, (&AuthenticationOk{}).Decode(ok))
	ssl := mustEncode(&SSLRequest{})[4:]
	for _, m := range []Message{&GSSENCRequest{}, &CancelRequest{}, &StartupMessage{}} {
		requireProtocolError(t, m.Decode(ssl), typeName(m))
	}
	requireProtocolError(t, (&SSLRequest{}).Decode(mustEncode(&GSSENCRequest{})[4:]))
	requireProtocolError(t, (&SASLInitialResponse{}).Decode([]byte("M\x00\xff\xff\xff\xfe")))
	requireProtocolError(t, (&SASLInitialResponse{}).Decode([]byte("M\x00\x00\x00\x00\x05ab")))
}

// tailMessages can legitimately decode a prefix or an extension of a valid
// body, because their last field runs to the end of the message.
var tailMessages = map[string]bool{
	"CopyData": true, "AuthenticationGSSContinue": true, "AuthenticationSASLContinue": true,
	"AuthenticationSASLFinal": true, "SASLResponse": true, "GSSResponse": true,
	"BackendKeyData": true, "CancelRequest": true,
}

// TestTruncatedAndExtendedBodies cuts every valid body at every length and
// appends a stray byte to it: Decode must fail cleanly (or, for messages
// whose last field is open-ended, at least not panic).
func TestTruncatedAndExtendedBodies(t *testing.T) {
	t.Parallel()
	for _, tm := range allMessages() {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			wire := mustEncode(tm.msg)
			var typ byte
			body := wire[4:]
			if tm.dir != toStartup {
				typ, body = wire[0], wire[5:]
			}
			tail := tailMessages[typeName(tm.msg)]
			for n := range len(body) {
				_, err := tm.parse(typ, bytes.Clone(body[:n]))
				if !tail {
					requireProtocolError(t, err, "prefix of %d bytes", n)
				}
			}
			_, err := tm.parse(typ, append(bytes.Clone(body), 'x'))
			if !tail {
				requireProtocolError(t, err, "trailing byte")
			}
		})
	}
}
