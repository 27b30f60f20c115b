package pgproto

import "encoding/binary"

// Authentication request codes: the Int32 that follows the length word of
// every 'R' message and selects which Authentication* message it is.
const (
	AuthTypeOk                uint32 = 0
	AuthTypeKerberosV5        uint32 = 2
	AuthTypeCleartextPassword uint32 = 3
	AuthTypeMD5Password       uint32 = 5
	AuthTypeGSS               uint32 = 7
	AuthTypeGSSContinue       uint32 = 8
	AuthTypeSSPI              uint32 = 9
	AuthTypeSASL              uint32 = 10
	AuthTypeSASLContinue      uint32 = 11
	AuthTypeSASLFinal         uint32 = 12
)

// beginAuth starts an 'R' message with its code.
func beginAuth(dst []byte, code uint32) ([]byte, int) {
	dst, start := BeginMessage(dst, MsgAuthentication)
	return AppendUint32(dst, code), start
}

// decodeAuth checks the code of an 'R' body and returns what follows it,
// aliasing body.
func decodeAuth(msg string, body []byte, code uint32) ([]byte, error) {
	if len(body) < 4 {
		return nil, protocolErrorf("%s: body of %d bytes has no authentication code", msg, len(body))
	}
	if got := binary.BigEndian.Uint32(body); got != code {
		return nil, protocolErrorf("%s: authentication code %d, want %d", msg, got, code)
	}
	return body[4:len(body):len(body)], nil
}

// decodeAuthNoData decodes the Authentication* messages that are only a code.
func decodeAuthNoData(msg string, body []byte, code uint32) error {
	rest, err := decodeAuth(msg, body, code)
	if err != nil {
		return err
	}
	if len(rest) != 0 {
		return protocolErrorf("%s: %d unexpected trailing bytes", msg, len(rest))
	}
	return nil
}

// encodeAuthData encodes the Authentication* messages that carry a code and
// the rest of the body as opaque data.
func encodeAuthData(dst []byte, code uint32, data []byte) ([]byte, error) {
	dst, start := beginAuth(dst, code)
	dst = append(dst, data...)
	return finishTyped(dst, start)
}
