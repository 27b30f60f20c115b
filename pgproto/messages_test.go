package pgproto

import (
	"bytes"
	"fmt"
	"reflect"
)

// direction says how a test message travels and is read back.
type direction int

const (
	toClient  direction = iota // typed backend message: ParseBackend
	toServer                   // typed frontend message: ParseFrontend
	toStartup                  // untyped startup packet: ParseStartup
)

// testMessage is one row of the round-trip table.
type testMessage struct {
	name string
	dir  direction
	msg  Message
	// decodeAs, when set, decodes the body instead of the Parse* function:
	// for the 'p' messages ParseFrontend reads as PasswordMessage.
	decodeAs func() Message
}

// parse decodes body the way the row's direction requires.
func (tm testMessage) parse(typ byte, body []byte) (Message, error) {
	if tm.decodeAs != nil {
		m := tm.decodeAs()
		if err := m.Decode(body); err != nil {
			return nil, err
		}
		return m, nil
	}
	return parseAny(tm.dir, typ, body)
}

func parseAny(dir direction, typ byte, body []byte) (Message, error) {
	switch dir {
	case toClient:
		m, err := ParseBackend(typ, body)
		if err != nil {
			return nil, err
		}
		return m, nil
	case toServer:
		m, err := ParseFrontend(typ, body)
		if err != nil {
			return nil, err
		}
		return m, nil
	default:
		m, err := ParseStartup(body)
		if err != nil {
			return nil, err
		}
		return m, nil
	}
}

// allMessages returns at least one instance of every message type, several
// for the types with optional or edge-case fields.
func allMessages() []testMessage {
	key256 := bytes.Repeat([]byte{0xa5}, 256)
	rows := []testMessage{
		// Backend.
		{name: "AuthenticationOk", msg: &AuthenticationOk{}},
		{name: "AuthenticationKerberosV5", msg: &AuthenticationKerberosV5{}},
		{name: "AuthenticationCleartextPassword", msg: &AuthenticationCleartextPassword{}},
		{name: "AuthenticationMD5Password", msg: &AuthenticationMD5Password{Salt: [4]byte{1, 2, 3, 0xff}}},
		{name: "AuthenticationGSS", msg: &AuthenticationGSS{}},
		{name: "AuthenticationGSSContinue", msg: &AuthenticationGSSContinue{Data: []byte("gss token")}},
		{name: "AuthenticationGSSContinue/empty", msg: &AuthenticationGSSContinue{Data: []byte{}}},
		{name: "AuthenticationSSPI", msg: &AuthenticationSSPI{}},
		{name: "AuthenticationSASL", msg: &AuthenticationSASL{Mechanisms: []string{"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"}}},
		{name: "AuthenticationSASL/none", msg: &AuthenticationSASL{}},
		{name: "AuthenticationSASLContinue", msg: &AuthenticationSASLContinue{Data: []byte("r=abc,s=c2FsdA==,i=4096")}},
		{name: "AuthenticationSASLFinal", msg: &AuthenticationSASLFinal{Data: []byte("v=c2lnbmF0dXJl")}},
		{name: "BackendKeyData", msg: &BackendKeyData{ProcessID: 4242, SecretKey: []byte{1, 2, 3, 4}}},
		{name: "BackendKeyData/3.2", msg: &BackendKeyData{ProcessID: 0xffffffff, SecretKey: key256}},
		{name: "BindComplete", msg: &BindComplete{}},
		{name: "CloseComplete", msg: &CloseComplete{}},
		{name: "CommandComplete", msg: &CommandComplete{CommandTag: []byte("INSERT 0 1")}},
		{name: "CommandComplete/empty", msg: &CommandComplete{CommandTag: []byte{}}},
		{name: "CopyInResponse", msg: &CopyInResponse{OverallFormat: 1, ColumnFormatCodes: []uint16{1, 1, 1}}},
		{name: "CopyInResponse/none", msg: &CopyInResponse{}},
		{name: "CopyOutResponse", msg: &CopyOutResponse{OverallFormat: 0, ColumnFormatCodes: []uint16{0, 0}}},
		{name: "CopyBothResponse", msg: &CopyBothResponse{OverallFormat: 0, ColumnFormatCodes: []uint16{0}}},
		{name: "CopyData/backend", msg: &CopyData{Data: []byte("1\tone\n")}},
		{name: "CopyData/backend/empty", msg: &CopyData{Data: []byte{}}},
		{name: "CopyDone/backend", msg: &CopyDone{}},
		{name: "DataRow", msg: &DataRow{Values: [][]byte{[]byte("42"), nil, {}, {0, 1, 2}}}},
		{name: "DataRow/none", msg: &DataRow{}},
		{name: "EmptyQueryResponse", msg: &EmptyQueryResponse{}},
		{name: "ErrorResponse", msg: &ErrorResponse{
			Severity: "ERROR", SeverityUnlocalized: "ERROR", Code: "23505",
			Message: `duplicate key value violates unique constraint "t_pkey"`,
			Detail:  "Key (id)=(1) already exists.", Hint: "hint", Position: 15,
			InternalPosition: 3, InternalQuery: "SELECT 1", Where: "PL/pgSQL function f() line 3",
			SchemaName: "public", TableName: "t", ColumnName: "id", DataTypeName: "int4",
			ConstraintName: "t_pkey", File: "nbtinsert.c", Line: 666, Routine: "_bt_check_unique",
			UnknownFields: map[byte]string{'X': "future", 'Y': ""},
		}},
		{name: "ErrorResponse/minimal", msg: &ErrorResponse{Severity: "FATAL", Code: "28P01", Message: "password authentication failed", Position: -1}},
		{name: "NoticeResponse", msg: &NoticeResponse{Severity: "NOTICE", SeverityUnlocalized: "NOTICE", Code: "00000", Message: "table \"x\" does not exist, skipping", File: "tablecmds.c", Line: 1300, Routine: "DropErrorMsgNonExistent"}},
		{name: "FunctionCallResponse", msg: &FunctionCallResponse{Result: []byte{0, 0, 0, 7}}},
		{name: "FunctionCallResponse/NULL", msg: &FunctionCallResponse{}},
		{name: "FunctionCallResponse/empty", msg: &FunctionCallResponse{Result: []byte{}}},
		{name: "NegotiateProtocolVersion", msg: &NegotiateProtocolVersion{NewestMinorProtocol: 0, Options: []string{"_pq_.foo", "_pq_.bar"}}},
		{name: "NegotiateProtocolVersion/none", msg: &NegotiateProtocolVersion{NewestMinorProtocol: 2}},
		{name: "NoData", msg: &NoData{}},
		{name: "NotificationResponse", msg: &NotificationResponse{PID: 77, Channel: "jobs", Payload: `{"id": 1}`}},
		{name: "NotificationResponse/empty", msg: &NotificationResponse{PID: 1, Channel: "c"}},
		{name: "ParameterDescription", msg: &ParameterDescription{ParameterOIDs: []uint32{23, 25, 0xffffffff}}},
		{name: "ParameterDescription/none", msg: &ParameterDescription{}},
		{name: "ParameterStatus", msg: &ParameterStatus{Name: "server_version", Value: "17.2"}},
		{name: "ParseComplete", msg: &ParseComplete{}},
		{name: "PortalSuspended", msg: &PortalSuspended{}},
		{name: "ReadyForQuery/I", msg: &ReadyForQuery{TxStatus: 'I'}},
		{name: "ReadyForQuery/T", msg: &ReadyForQuery{TxStatus: 'T'}},
		{name: "ReadyForQuery/E", msg: &ReadyForQuery{TxStatus: 'E'}},
		{name: "RowDescription", msg: &RowDescription{Fields: []FieldDescription{
			{Name: "id", TableOID: 16384, TableAttributeNumber: 1, DataTypeOID: 23, DataTypeSize: 4, TypeModifier: -1, Format: 1},
			{Name: "", DataTypeOID: 25, DataTypeSize: -1, TypeModifier: -1},
			{Name: "näme", TableOID: 0xffffffff, TableAttributeNumber: 0xffff, DataTypeOID: 1043, DataTypeSize: -1, TypeModifier: 14},
		}}},
		{name: "RowDescription/none", msg: &RowDescription{}},

		// Frontend.
		{name: "StartupMessage", dir: toStartup, msg: &StartupMessage{ProtocolVersion: ProtocolVersion30, Parameters: map[string]string{"user": "alice", "database": "db", "application_name": "", "options": "-c search_path=x"}}},
		{name: "StartupMessage/3.2", dir: toStartup, msg: &StartupMessage{ProtocolVersion: ProtocolVersion32, Parameters: map[string]string{"user": "bob"}}},
		{name: "StartupMessage/none", dir: toStartup, msg: &StartupMessage{ProtocolVersion: ProtocolVersion30}},
		{name: "SSLRequest", dir: toStartup, msg: &SSLRequest{}},
		{name: "GSSENCRequest", dir: toStartup, msg: &GSSENCRequest{}},
		{name: "CancelRequest", dir: toStartup, msg: &CancelRequest{ProcessID: 4242, SecretKey: []byte{9, 8, 7, 6}}},
		{name: "CancelRequest/3.2", dir: toStartup, msg: &CancelRequest{ProcessID: 1, SecretKey: key256}},
		{name: "PasswordMessage", dir: toServer, msg: &PasswordMessage{Password: "md5abcdef"}},
		{name: "PasswordMessage/empty", dir: toServer, msg: &PasswordMessage{}},
		{name: "SASLInitialResponse", dir: toServer, msg: &SASLInitialResponse{AuthMechanism: "SCRAM-SHA-256", Data: []byte("n,,n=,r=nonce")}, decodeAs: func() Message { return &SASLInitialResponse{} }},
		{name: "SASLInitialResponse/nil", dir: toServer, msg: &SASLInitialResponse{AuthMechanism: "X"}, decodeAs: func() Message { return &SASLInitialResponse{} }},
		{name: "SASLInitialResponse/empty", dir: toServer, msg: &SASLInitialResponse{AuthMechanism: "X", Data: []byte{}}, decodeAs: func() Message { return &SASLInitialResponse{} }},
		{name: "SASLResponse", dir: toServer, msg: &SASLResponse{Data: []byte("c=biws,r=nonce,p=proof")}, decodeAs: func() Message { return &SASLResponse{} }},
		{name: "GSSResponse", dir: toServer, msg: &GSSResponse{Data: []byte{0x60, 0x82, 0, 1}}, decodeAs: func() Message { return &GSSResponse{} }},
		{name: "Query", dir: toServer, msg: &Query{String: "SELECT 1; SELECT 'ü'"}},
		{name: "Query/empty", dir: toServer, msg: &Query{}},
		{name: "Parse", dir: toServer, msg: &Parse{Name: "stmt_1", Query: "SELECT $1::int, $2", ParameterOIDs: []uint32{23, 0}}},
		{name: "Parse/unnamed", dir: toServer, msg: &Parse{Query: "SELECT 1"}},
		{name: "Bind", dir: toServer, msg: &Bind{
			DestinationPortal: "p", PreparedStatement: "stmt_1",
			ParameterFormatCodes: []int16{1, 0, 1}, Parameters: [][]byte{{0, 0, 0, 1}, nil, {}},
			ResultFormatCodes: []int16{1},
		}},
		{name: "Bind/none", dir: toServer, msg: &Bind{}},
		{name: "Describe/S", dir: toServer, msg: &Describe{ObjectType: 'S', Name: "stmt_1"}},
		{name: "Describe/P", dir: toServer, msg: &Describe{ObjectType: 'P'}},
		{name: "Execute", dir: toServer, msg: &Execute{Portal: "p", MaxRows: 100}},
		{name: "Execute/unlimited", dir: toServer, msg: &Execute{}},
		{name: "Close/S", dir: toServer, msg: &Close{ObjectType: 'S', Name: "stmt_1"}},
		{name: "Close/P", dir: toServer, msg: &Close{ObjectType: 'P', Name: ""}},
		{name: "Sync", dir: toServer, msg: &Sync{}},
		{name: "Flush", dir: toServer, msg: &Flush{}},
		{name: "Terminate", dir: toServer, msg: &Terminate{}},
		{name: "CopyData/frontend", dir: toServer, msg: &CopyData{Data: []byte("PGCOPY\n\xff\r\n\x00")}},
		{name: "CopyDone/frontend", dir: toServer, msg: &CopyDone{}},
		{name: "CopyFail", dir: toServer, msg: &CopyFail{Message: "client gave up"}},
		{name: "FunctionCall", dir: toServer, msg: &FunctionCall{Function: 1598, ArgFormatCodes: []int16{1}, Arguments: [][]byte{{0, 0, 0, 5}, nil}, ResultFormatCode: 1}},
		{name: "FunctionCall/none", dir: toServer, msg: &FunctionCall{Function: 1}},
	}
	return rows
}

// mustEncode encodes m or panics; for building test inputs.
func mustEncode(m Message) []byte {
	b, err := m.Encode(nil)
	if err != nil {
		panic(fmt.Sprintf("encode %T: %v", m, err))
	}
	return b
}

// typeName is the bare type name of a message value.
func typeName(m Message) string { return reflect.TypeOf(m).Elem().Name() }

// readerAt returns a reader over b from off.
func readerAt(b []byte, off int) *bytes.Reader { return bytes.NewReader(b[off:]) }
