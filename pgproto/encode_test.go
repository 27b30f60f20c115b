package pgproto

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEncodeErrors(t *testing.T) {
	t.Parallel()
	const nul = "a\x00b"
	many16 := make([]int16, math.MaxUint16+1)
	manyValues := make([][]byte, math.MaxUint16+1)
	manyOIDs := make([]uint32, math.MaxUint16+1)
	tests := []struct {
		msg  Message
		want string
	}{
		{&Query{String: nul}, "Query: String contains a NUL byte at offset 1"},
		{&Parse{Name: nul}, "Parse: Name contains a NUL"},
		{&Parse{Query: nul}, "Parse: Query contains a NUL"},
		{&Parse{ParameterOIDs: manyOIDs}, "Parse: 65536 parameter OIDs exceed the protocol limit of 65535"},
		{&Bind{DestinationPortal: nul}, "Bind: DestinationPortal contains a NUL"},
		{&Bind{PreparedStatement: nul}, "Bind: PreparedStatement contains a NUL"},
		{&Bind{Parameters: manyValues}, "Bind: 65536 parameters exceed"},
		{&Bind{ParameterFormatCodes: many16}, "Bind: 65536 parameter format codes exceed"},
		{&Bind{ResultFormatCodes: many16}, "Bind: 65536 result format codes exceed"},
		{&Describe{ObjectType: 'X'}, "Describe: ObjectType 'X'"},
		{&Describe{ObjectType: 'S', Name: nul}, "Describe: Name contains a NUL"},
		{&Close{}, "Close: ObjectType '\\x00'"},
		{&Execute{Portal: nul}, "Execute: Portal contains a NUL"},
		{&CopyFail{Message: nul}, "CopyFail: Message contains a NUL"},
		{&FunctionCall{Arguments: manyValues}, "FunctionCall: 65536 arguments exceed"},
		{&FunctionCall{ArgFormatCodes: many16}, "FunctionCall: 65536 argument format codes exceed"},
		{&PasswordMessage{Password: nul}, "PasswordMessage: Password contains a NUL"},
		{&SASLInitialResponse{AuthMechanism: nul}, "SASLInitialResponse: AuthMechanism contains a NUL"},
		{&StartupMessage{Parameters: map[string]string{"": "x"}}, "StartupMessage: empty parameter name"},
		{&StartupMessage{Parameters: map[string]string{nul: "x"}}, `parameter name "a\x00b" contains a NUL`},
		{&StartupMessage{Parameters: map[string]string{"user": nul}}, `value of parameter "user" contains a NUL`},
		{&StartupMessage{ProtocolVersion: 2 << 16}, "StartupMessage: protocol version 2.0, want 3.x"},
		{&StartupMessage{ProtocolVersion: SSLRequestCode}, "protocol version 1234.5679"},
		{&CancelRequest{SecretKey: []byte{1, 2, 3}}, "CancelRequest: secret key of 3 bytes, want 4 to 256"},
		{&CancelRequest{SecretKey: make([]byte, 257)}, "secret key of 257 bytes"},
		{&BackendKeyData{}, "BackendKeyData: secret key of 0 bytes"},
		{&ReadyForQuery{}, "ReadyForQuery: transaction status"},
		{&ReadyForQuery{TxStatus: 'X'}, "'X'"},
		{&CommandComplete{CommandTag: []byte(nul)}, "CommandComplete: CommandTag contains a NUL"},
		{&DataRow{Values: manyValues}, "DataRow: 65536 values exceed"},
		{&RowDescription{Fields: make([]FieldDescription, math.MaxUint16+1)}, "RowDescription: 65536 fields exceed"},
		{&RowDescription{Fields: []FieldDescription{{Name: nul}}}, "RowDescription: field name contains a NUL"},
		{&ParameterDescription{ParameterOIDs: manyOIDs}, "ParameterDescription: 65536 parameters exceed"},
		{&ParameterStatus{Name: nul}, "ParameterStatus: Name contains a NUL"},
		{&ParameterStatus{Value: nul}, "ParameterStatus: Value contains a NUL"},
		{&NotificationResponse{Channel: nul}, "NotificationResponse: Channel contains a NUL"},
		{&NotificationResponse{Payload: nul}, "NotificationResponse: Payload contains a NUL"},
		{&NegotiateProtocolVersion{Options: []string{nul}}, "NegotiateProtocolVersion: option name contains a NUL"},
		{&AuthenticationSASL{Mechanisms: []string{"A", ""}}, "AuthenticationSASL: empty mechanism name"},
		{&AuthenticationSASL{Mechanisms: []string{nul}}, "AuthenticationSASL: mechanism name contains a NUL"},
		{&CopyInResponse{ColumnFormatCodes: make([]uint16, math.MaxUint16+1)}, "CopyInResponse: 65536 column format codes exceed"},
		{&CopyOutResponse{ColumnFormatCodes: make([]uint16, math.MaxUint16+1)}, "CopyOutResponse: 65536"},
		{&CopyBothResponse{ColumnFormatCodes: make([]uint16, math.MaxUint16+1)}, "CopyBothResponse: 65536"},
		{&ErrorResponse{Message: nul}, "ErrorResponse: field M contains a NUL"},
		{&ErrorResponse{UnknownFields: map[byte]string{'M': "x"}}, "UnknownFields uses field code 'M'"},
		{&ErrorResponse{UnknownFields: map[byte]string{'P': "1"}}, "field code 'P'"},
		{&ErrorResponse{UnknownFields: map[byte]string{0: "x"}}, "field code '\\x00'"},
		{&ErrorResponse{UnknownFields: map[byte]string{'Z': nul}}, "field Z contains a NUL"},
		{&NoticeResponse{Detail: nul}, "NoticeResponse: field D contains a NUL"},
	}
	for _, tt := range tests {
		dst := []byte("keep")
		out, err := tt.msg.Encode(dst)
		var ee *EncodeError
		require.True(t, errors.As(err, &ee), "%T: want *EncodeError, got %v", tt.msg, err)
		assert.True(t, strings.HasPrefix(err.Error(), "pgproto: cannot encode "), "%T: %v", tt.msg, err)
		assert.Contains(t, err.Error(), tt.want, "%T", tt.msg)
		assert.Equal(t, []byte("keep"), out, "%T: dst must come back unchanged", tt.msg)
	}
}

// TestEncodeLimits checks the largest counts that are allowed.
func TestEncodeLimits(t *testing.T) {
	t.Parallel()
	b := &Bind{Parameters: make([][]byte, math.MaxUint16), ParameterFormatCodes: []int16{1}}
	wire, err := b.Encode(nil)
	require.NoError(t, err)
	var got Bind
	require.NoError(t, got.Decode(wire[5:]))
	assert.Len(t, got.Parameters, math.MaxUint16)

	row := &DataRow{Values: make([][]byte, math.MaxUint16)}
	wire, err = row.Encode(nil)
	require.NoError(t, err)
	var gotRow DataRow
	require.NoError(t, gotRow.Decode(wire[5:]))
	assert.Len(t, gotRow.Values, math.MaxUint16)
}

func TestBeginFinishMessage(t *testing.T) {
	t.Parallel()
	buf, start := BeginMessage([]byte("xx"), MsgBind)
	assert.Equal(t, 3, start)
	buf = AppendCString(buf, "")
	buf = AppendCString(buf, "stmt")
	buf = AppendInt16(buf, 0)
	buf = AppendUint16(buf, 2)
	buf = AppendValue(buf, []byte{0, 0, 0, 7})
	buf = AppendValue(buf, nil)
	buf = AppendInt16(buf, 1)
	buf = AppendInt16(buf, 1)
	buf, err := FinishMessage(buf, start)
	require.NoError(t, err)
	want := mustEncode(&Bind{PreparedStatement: "stmt", Parameters: [][]byte{{0, 0, 0, 7}, nil}, ResultFormatCodes: []int16{1}})
	assert.Equal(t, append([]byte("xx"), want...), buf)

	assert.Equal(t, []byte{0, 0, 0, 5}, AppendInt32(nil, 5))
	assert.Equal(t, []byte{0xff, 0xff, 0xff, 0xfe}, AppendUint32(nil, math.MaxUint32-1))
	assert.Equal(t, []byte{0, 0, 0, 0}, AppendValue(nil, []byte{}), "empty is not NULL")

	for _, start := range []int{-1, 100, 1} {
		out, err := FinishMessage([]byte("abcd"), start)
		if start == 1 {
			var ee *EncodeError
			assert.True(t, errors.As(err, &ee))
			assert.Equal(t, []byte("abcd"), out)
			continue
		}
		assert.Error(t, err, "start %d", start)
	}

	// Over the limit (lowered here: a real 2 GiB message is too much for a test).
	buf, start = BeginMessage(nil, MsgCopyData)
	buf = append(buf, make([]byte, 100)...)
	out, err := finishMessage(buf, start, 50)
	var ee *EncodeError
	require.True(t, errors.As(err, &ee))
	assert.Contains(t, err.Error(), "104 bytes exceed the protocol limit of 50")
	assert.Equal(t, buf, out)
}

func TestErrorStrings(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "pgproto: protocol violation: x", (&ProtocolError{Msg: "x"}).Error())
	assert.Equal(t, "pgproto: cannot encode x", (&EncodeError{Msg: "x"}).Error())
	assert.Contains(t, (&MessageTooLargeError{Type: 0x01, Size: 10, Max: 5}).Error(), "message 0x1 declares 10 bytes, over the limit of 5")
}
