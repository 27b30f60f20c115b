package pgproto

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRoundTrip encodes every message, frames it back with a Reader, parses
// it and expects the original value.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	for _, tm := range allMessages() {
		t.Run(tm.name, func(t *testing.T) {
			t.Parallel()
			prefix := []byte("prefix")
			wire, err := tm.msg.Encode(bytes.Clone(prefix))
			require.NoError(t, err)
			require.True(t, bytes.HasPrefix(wire, prefix), "Encode must append, not overwrite")
			wire = wire[len(prefix):]

			rd := NewReader(bytes.NewReader(wire), 0)
			var typ byte
			var body []byte
			if tm.dir == toStartup {
				body, err = rd.ReadStartupMessage()
			} else {
				typ, body, err = rd.ReadMessage()
			}
			require.NoError(t, err)
			if tm.dir == toStartup {
				assert.Len(t, body, len(wire)-4)
			} else {
				assert.Equal(t, wire[0], typ)
				assert.Len(t, body, len(wire)-5)
			}
			assert.Equal(t, len(body), cap(body), "body capacity must be clipped")

			got, err := tm.parse(typ, body)
			require.NoError(t, err)
			assert.Equal(t, tm.msg, got)

			again, err := got.Encode(nil)
			require.NoError(t, err)
			assert.Equal(t, wire, again, "re-encoding the decoded message")

			_, _, err = rd.ReadMessage()
			assert.ErrorIs(t, err, io.EOF)
		})
	}
}

// TestRoundTripCoversEveryMessage keeps allMessages complete: every type in
// the package with a Decode method must appear in it.
func TestRoundTripCoversEveryMessage(t *testing.T) {
	t.Parallel()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	declared := map[string]bool{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, e.Name(), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Recv == nil || fn.Name.Name != "Decode" {
				continue
			}
			star, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
			require.True(t, ok, "Decode on a non-pointer receiver in %s", e.Name())
			declared[star.X.(*ast.Ident).Name] = true
		}
	}
	covered := map[string]bool{}
	for _, tm := range allMessages() {
		covered[typeName(tm.msg)] = true
	}
	assert.Len(t, declared, 52, "message types with a Decode method")
	for name := range declared {
		assert.True(t, covered[name], "%s has no round-trip row", name)
	}
}

// TestBackendAndFrontendMarkers checks which direction each message claims.
func TestBackendAndFrontendMarkers(t *testing.T) {
	t.Parallel()
	for _, tm := range allMessages() {
		_, isBackend := tm.msg.(BackendMessage)
		_, isFrontend := tm.msg.(FrontendMessage)
		switch typeName(tm.msg) {
		case "CopyData", "CopyDone":
			assert.True(t, isBackend && isFrontend, tm.name)
		default:
			assert.Equal(t, tm.dir == toClient, isBackend, tm.name)
			assert.Equal(t, tm.dir != toClient, isFrontend, tm.name)
		}
	}
}

// TestWireFormat pins the exact bytes of messages against the protocol
// documentation, which a round trip alone cannot catch (a symmetric mistake
// round-trips fine).
func TestWireFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		msg  Message
		want string
	}{
		{"Sync", &Sync{}, "S\x00\x00\x00\x04"},
		{"Flush", &Flush{}, "H\x00\x00\x00\x04"},
		{"Terminate", &Terminate{}, "X\x00\x00\x00\x04"},
		{"ReadyForQuery", &ReadyForQuery{TxStatus: 'I'}, "Z\x00\x00\x00\x05I"},
		{"Query", &Query{String: "select 1"}, "Q\x00\x00\x00\x0dselect 1\x00"},
		{"SSLRequest", &SSLRequest{}, "\x00\x00\x00\x08\x04\xd2\x16\x2f"},
		{"GSSENCRequest", &GSSENCRequest{}, "\x00\x00\x00\x08\x04\xd2\x16\x30"},
		{"CancelRequest", &CancelRequest{ProcessID: 0x01020304, SecretKey: []byte{5, 6, 7, 8}},
			"\x00\x00\x00\x10\x04\xd2\x16\x2e\x01\x02\x03\x04\x05\x06\x07\x08"},
		{"StartupMessage", &StartupMessage{Parameters: map[string]string{"user": "u", "database": "d"}},
			"\x00\x00\x00\x1b\x00\x03\x00\x00database\x00d\x00user\x00u\x00\x00"},
		{"AuthenticationOk", &AuthenticationOk{}, "R\x00\x00\x00\x08\x00\x00\x00\x00"},
		{"AuthenticationMD5Password", &AuthenticationMD5Password{Salt: [4]byte{'a', 'b', 'c', 'd'}},
			"R\x00\x00\x00\x0c\x00\x00\x00\x05abcd"},
		{"AuthenticationSASL", &AuthenticationSASL{Mechanisms: []string{"SCRAM-SHA-256"}},
			"R\x00\x00\x00\x17\x00\x00\x00\x0aSCRAM-SHA-256\x00\x00"},
		{"SASLInitialResponse", &SASLInitialResponse{AuthMechanism: "M", Data: []byte("xy")},
			"p\x00\x00\x00\x0cM\x00\x00\x00\x00\x02xy"},
		{"SASLInitialResponse/nil", &SASLInitialResponse{AuthMechanism: "M"},
			"p\x00\x00\x00\x0aM\x00\xff\xff\xff\xff"},
		{"BackendKeyData", &BackendKeyData{ProcessID: 7, SecretKey: []byte{1, 2, 3, 4}},
			"K\x00\x00\x00\x0c\x00\x00\x00\x07\x01\x02\x03\x04"},
		{"DataRow", &DataRow{Values: [][]byte{[]byte("ab"), nil}},
			"D\x00\x00\x00\x10\x00\x02\x00\x00\x00\x02ab\xff\xff\xff\xff"},
		{"Bind", &Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1}, Parameters: [][]byte{{9}, nil}, ResultFormatCodes: []int16{1}},
			"B\x00\x00\x00\x1a\x00s\x00\x00\x01\x00\x01\x00\x02\x00\x00\x00\x01\x09\xff\xff\xff\xff\x00\x01\x00\x01"},
		{"Parse", &Parse{Name: "s", Query: "q", ParameterOIDs: []uint32{23}},
			"P\x00\x00\x00\x0es\x00q\x00\x00\x01\x00\x00\x00\x17"},
		{"Describe", &Describe{ObjectType: 'P', Name: ""}, "D\x00\x00\x00\x06P\x00"},
		{"Execute", &Execute{MaxRows: 10}, "E\x00\x00\x00\x09\x00\x00\x00\x00\x0a"},
		{"Close", &Close{ObjectType: 'S', Name: "s"}, "C\x00\x00\x00\x07Ss\x00"},
		{"CommandComplete", &CommandComplete{CommandTag: []byte("SELECT 1")}, "C\x00\x00\x00\x0dSELECT 1\x00"},
		{"CopyInResponse", &CopyInResponse{OverallFormat: 1, ColumnFormatCodes: []uint16{1}},
			"G\x00\x00\x00\x09\x01\x00\x01\x00\x01"},
		{"ParameterStatus", &ParameterStatus{Name: "a", Value: "b"}, "S\x00\x00\x00\x08a\x00b\x00"},
		{"NotificationResponse", &NotificationResponse{PID: 1, Channel: "c", Payload: "p"},
			"A\x00\x00\x00\x0c\x00\x00\x00\x01c\x00p\x00"},
		{"ErrorResponse", &ErrorResponse{Severity: "ERROR", Code: "42P01", Message: "m", Position: 15},
			"E\x00\x00\x00\x1aSERROR\x00C42P01\x00Mm\x00P15\x00\x00"},
		{"RowDescription", &RowDescription{Fields: []FieldDescription{{Name: "a", TableOID: 1, TableAttributeNumber: 2, DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1, Format: 1}}},
			"T\x00\x00\x00\x1a\x00\x01a\x00\x00\x00\x00\x01\x00\x02\x00\x00\x00\x17\x00\x04\xff\xff\xff\xff\x00\x01"},
		{"NegotiateProtocolVersion", &NegotiateProtocolVersion{NewestMinorProtocol: 0, Options: []string{"_pq_.x"}},
			"v\x00\x00\x00\x13\x00\x00\x00\x00\x00\x00\x00\x01_pq_.x\x00"},
		{"FunctionCall", &FunctionCall{Function: 5, Arguments: [][]byte{{1}}, ResultFormatCode: 1},
			"F\x00\x00\x00\x13\x00\x00\x00\x05\x00\x00\x00\x01\x00\x00\x00\x01\x01\x00\x01"},
		{"FunctionCallResponse", &FunctionCallResponse{}, "V\x00\x00\x00\x08\xff\xff\xff\xff"},
	}
	for _, tt := range tests {
		got, err := tt.msg.Encode(nil)
		require.NoError(t, err, tt.name)
		assert.Equal(t, []byte(tt.want), got, tt.name)
	}
}
