package pgproto

import (
	"encoding/binary"
	"strconv"
)

// ParseBackend decodes a server message body of type typ into a newly
// allocated message. An 'R' body is dispatched on its authentication code.
// Byte-slice fields that the message's Decode documents as aliasing (DataRow
// values, CommandComplete.CommandTag, CopyData.Data, SASL and GSS data,
// FunctionCallResponse.Result) point into body; strings and
// BackendKeyData.SecretKey are copies. An unknown type or code is a
// *ProtocolError.
//
// ParseBackend allocates a message per call; a connection's hot path should
// switch on typ itself and decode DataRow into a reused value.
func ParseBackend(typ byte, body []byte) (BackendMessage, error) {
	var m BackendMessage
	switch typ {
	case MsgAuthentication:
		return parseAuthentication(body)
	case MsgBackendKeyData:
		m = &BackendKeyData{}
	case MsgBindComplete:
		m = &BindComplete{}
	case MsgCloseComplete:
		m = &CloseComplete{}
	case MsgCommandComplete:
		m = &CommandComplete{}
	case MsgCopyData:
		m = &CopyData{}
	case MsgCopyDone:
		m = &CopyDone{}
	case MsgCopyInResponse:
		m = &CopyInResponse{}
	case MsgCopyOutResponse:
		m = &CopyOutResponse{}
	case MsgCopyBothResponse:
		m = &CopyBothResponse{}
	case MsgDataRow:
		m = &DataRow{}
	case MsgEmptyQueryResponse:
		m = &EmptyQueryResponse{}
	case MsgErrorResponse:
		m = &ErrorResponse{}
	case MsgFunctionCallResponse:
		m = &FunctionCallResponse{}
	case MsgNegotiateProtocolVersion:
		m = &NegotiateProtocolVersion{}
	case MsgNoData:
		m = &NoData{}
	case MsgNoticeResponse:
		m = &NoticeResponse{}
	case MsgNotificationResponse:
		m = &NotificationResponse{}
	case MsgParameterDescription:
		m = &ParameterDescription{}
	case MsgParameterStatus:
		m = &ParameterStatus{}
	case MsgParseComplete:
		m = &ParseComplete{}
	case MsgPortalSuspended:
		m = &PortalSuspended{}
	case MsgReadyForQuery:
		m = &ReadyForQuery{}
	case MsgRowDescription:
		m = &RowDescription{}
	default:
		return nil, protocolErrorf("unknown backend message type %s", quoteType(typ))
	}
	if err := m.Decode(body); err != nil {
		return nil, err
	}
	return m, nil
}

func parseAuthentication(body []byte) (BackendMessage, error) {
	if len(body) < 4 {
		return nil, protocolErrorf("authentication message of %d bytes has no code", len(body))
	}
	var m BackendMessage
	switch code := binary.BigEndian.Uint32(body); code {
	case AuthTypeOk:
		m = &AuthenticationOk{}
	case AuthTypeKerberosV5:
		m = &AuthenticationKerberosV5{}
	case AuthTypeCleartextPassword:
		m = &AuthenticationCleartextPassword{}
	case AuthTypeMD5Password:
		m = &AuthenticationMD5Password{}
	case AuthTypeGSS:
		m = &AuthenticationGSS{}
	case AuthTypeGSSContinue:
		m = &AuthenticationGSSContinue{}
	case AuthTypeSSPI:
		m = &AuthenticationSSPI{}
	case AuthTypeSASL:
		m = &AuthenticationSASL{}
	case AuthTypeSASLContinue:
		m = &AuthenticationSASLContinue{}
	case AuthTypeSASLFinal:
		m = &AuthenticationSASLFinal{}
	default:
		return nil, protocolErrorf("unknown authentication code %d", code)
	}
	if err := m.Decode(body); err != nil {
		return nil, err
	}
	return m, nil
}

// ParseFrontend decodes a client message body of type typ (not a startup
// packet; see ParseStartup) into a newly allocated message. Every 'p' body
// decodes as a *PasswordMessage: only the authentication exchange in progress
// tells it from SASLInitialResponse, SASLResponse or GSSResponse, so a server
// in a SASL or GSS exchange decodes the body with that type's Decode instead.
// Bind parameters, FunctionCall arguments and CopyData.Data alias body;
// strings are copies. An unknown type is a *ProtocolError.
func ParseFrontend(typ byte, body []byte) (FrontendMessage, error) {
	var m FrontendMessage
	switch typ {
	case MsgBind:
		m = &Bind{}
	case MsgClose:
		m = &Close{}
	case MsgCopyData:
		m = &CopyData{}
	case MsgCopyDone:
		m = &CopyDone{}
	case MsgCopyFail:
		m = &CopyFail{}
	case MsgDescribe:
		m = &Describe{}
	case MsgExecute:
		m = &Execute{}
	case MsgFlush:
		m = &Flush{}
	case MsgFunctionCall:
		m = &FunctionCall{}
	case MsgParse:
		m = &Parse{}
	case MsgPassword:
		m = &PasswordMessage{}
	case MsgQuery:
		m = &Query{}
	case MsgSync:
		m = &Sync{}
	case MsgTerminate:
		m = &Terminate{}
	default:
		return nil, protocolErrorf("unknown frontend message type %s", quoteType(typ))
	}
	if err := m.Decode(body); err != nil {
		return nil, err
	}
	return m, nil
}

// ParseStartup decodes a startup packet body (after the length word, as
// Reader.ReadStartupMessage returns it) into a *StartupMessage, *SSLRequest,
// *GSSENCRequest or *CancelRequest, chosen by its leading code. A protocol
// version other than 3.x is a *ProtocolError; the server answers one with an
// ErrorResponse.
func ParseStartup(body []byte) (FrontendMessage, error) {
	if len(body) < 4 {
		return nil, protocolErrorf("startup packet of %d bytes has no protocol version or request code", len(body))
	}
	var m FrontendMessage
	switch code := binary.BigEndian.Uint32(body); {
	case code == SSLRequestCode:
		m = &SSLRequest{}
	case code == GSSENCRequestCode:
		m = &GSSENCRequest{}
	case code == CancelRequestCode:
		m = &CancelRequest{}
	case code>>16 == 3:
		m = &StartupMessage{}
	default:
		return nil, protocolErrorf("unsupported protocol version %d.%d in startup packet", code>>16, code&0xffff)
	}
	if err := m.Decode(body); err != nil {
		return nil, err
	}
	return m, nil
}

// quoteType renders a type byte for error text: 'D', or its number if it is
// not printable.
func quoteType(typ byte) string {
	if typ >= 0x20 && typ < 0x7f {
		return strconv.QuoteRune(rune(typ))
	}
	return "0x" + strconv.FormatUint(uint64(typ), 16)
}
