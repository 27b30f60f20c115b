package pgproto

import "encoding/binary"

// GSSENCRequest asks the server to switch to GSSAPI encryption before
// the StartupMessage. The server answers with the single byte 'G' or 'N'.
// It is an untyped startup packet of just a length word and the code.
type GSSENCRequest struct{}

// Frontend identifies GSSENCRequest as a client message.
func (*GSSENCRequest) Frontend() {}

// Encode appends the packet to dst.
func (m *GSSENCRequest) Encode(dst []byte) ([]byte, error) {
	dst = AppendUint32(dst, 8)
	return AppendUint32(dst, GSSENCRequestCode), nil
}

// Decode checks that the body is exactly GSSENCRequestCode.
func (m *GSSENCRequest) Decode(body []byte) error {
	if len(body) != 4 || binary.BigEndian.Uint32(body) != GSSENCRequestCode {
		return protocolErrorf("GSSENCRequest: body is not the 4-byte code GSSENCRequestCode")
	}
	return nil
}
