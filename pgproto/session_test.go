package pgproto

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The files testdata/session.bin and testdata/frontend_session.bin hold both
// directions of a real PostgreSQL 15 session (startup, simple and extended
// queries, errors with every field the server fills, a notice, a
// notification, COPY in both directions and a fast-path function call),
// recorded by testdata/capture/main.go, a client that builds its messages
// byte by byte without this package. The server's bytes are the oracle for decoding, and
// re-encoding must reproduce them exactly, field order included.

func TestRealServerSession(t *testing.T) {
	t.Parallel()
	wire, err := os.ReadFile("testdata/session.bin")
	require.NoError(t, err)
	seen := map[string]int{}
	for off := 0; off < len(wire); {
		rd := NewReader(readerAt(wire, off), 0)
		typ, body, err := rd.ReadMessage()
		require.NoError(t, err, "offset %d", off)
		raw := wire[off : off+5+len(body)]
		m, err := ParseBackend(typ, body)
		require.NoError(t, err, "offset %d type %q", off, typ)
		again, err := m.Encode(nil)
		require.NoError(t, err)
		assert.Equal(t, raw, again, "%T at offset %d re-encodes differently", m, off)
		seen[typeName(m)]++
		off += len(raw)
	}
	for _, name := range []string{
		"AuthenticationOk", "ParameterStatus", "BackendKeyData", "ReadyForQuery", "RowDescription",
		"DataRow", "CommandComplete", "EmptyQueryResponse", "NoticeResponse", "ErrorResponse",
		"NotificationResponse", "ParseComplete", "ParameterDescription", "BindComplete", "CloseComplete",
		"PortalSuspended", "NoData", "CopyOutResponse", "CopyInResponse", "CopyData", "CopyDone",
		"FunctionCallResponse",
	} {
		assert.Positive(t, seen[name], "session has no %s", name)
	}
}

func TestRealServerErrorFields(t *testing.T) {
	t.Parallel()
	wire, err := os.ReadFile("testdata/session.bin")
	require.NoError(t, err)
	rd := NewReader(readerAt(wire, 0), 0)
	var errs []*ErrorResponse
	for {
		typ, body, err := rd.ReadMessage()
		if err != nil {
			break
		}
		if typ == MsgErrorResponse {
			var e ErrorResponse
			require.NoError(t, e.Decode(body))
			errs = append(errs, &e)
		}
	}
	require.NotEmpty(t, errs)
	byCode := map[string]*ErrorResponse{}
	for _, e := range errs {
		byCode[e.Code] = e
		assert.Equal(t, "ERROR", e.Severity)
		assert.Equal(t, "ERROR", e.SeverityUnlocalized)
		assert.NotEmpty(t, e.File)
		assert.Positive(t, e.Line)
		assert.NotEmpty(t, e.Routine)
		assert.Nil(t, e.UnknownFields)
	}
	syntax := byCode["42601"]
	require.NotNil(t, syntax)
	assert.Equal(t, int32(1), syntax.Position)
	assert.Equal(t, `syntax error at or near "SELEC"`, syntax.Message)
	unique := byCode["23505"]
	require.NotNil(t, unique)
	assert.Equal(t, "t_pkey", unique.ConstraintName)
	assert.Equal(t, "t", unique.TableName)
	assert.Equal(t, "Key (id)=(1) already exists.", unique.Detail)
	assert.NotEmpty(t, unique.SchemaName)
}

func TestRealClientSession(t *testing.T) {
	t.Parallel()
	wire, err := os.ReadFile("testdata/frontend_session.bin")
	require.NoError(t, err)
	rd := NewReader(readerAt(wire, 0), 0)
	body, err := rd.ReadStartupMessage()
	require.NoError(t, err)
	m, err := ParseStartup(body)
	require.NoError(t, err)
	assert.Equal(t, &StartupMessage{ProtocolVersion: ProtocolVersion30, Parameters: map[string]string{
		"user": "postgres", "database": "postgres", "application_name": "capture",
	}}, m)
	off := 4 + len(body)
	seen := map[string]int{}
	for off < len(wire) {
		rd := NewReader(readerAt(wire, off), 0)
		typ, body, err := rd.ReadMessage()
		require.NoError(t, err, "offset %d", off)
		raw := wire[off : off+5+len(body)]
		m, err := ParseFrontend(typ, body)
		require.NoError(t, err, "offset %d type %q", off, typ)
		again, err := m.Encode(nil)
		require.NoError(t, err)
		assert.Equal(t, raw, again, "%T at offset %d re-encodes differently", m, off)
		seen[typeName(m)]++
		off += len(raw)
	}
	for _, name := range []string{"Query", "Parse", "Bind", "Describe", "Execute", "Close", "Sync", "Flush",
		"CopyData", "CopyDone", "CopyFail", "FunctionCall", "Terminate"} {
		assert.Positive(t, seen[name], "session has no %s", name)
	}
}
