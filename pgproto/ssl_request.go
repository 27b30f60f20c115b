package pgproto

import "encoding/binary"

// SSLRequest asks the server to switch to TLS before the StartupMessage.
// The server answers with the single byte 'S' (go ahead with the TLS
// handshake) or 'N' (refused; send the StartupMessage in the clear or give
// up), which Reader.ReadByte reads.
// It is an untyped startup packet of just a length word and the code.
type SSLRequest struct{}

// Frontend identifies SSLRequest as a client message.
func (*SSLRequest) Frontend() {}

// Encode appends the packet to dst.
func (m *SSLRequest) Encode(dst []byte) ([]byte, error) {
	dst = AppendUint32(dst, 8)
	return AppendUint32(dst, SSLRequestCode), nil
}

// Decode checks that the body is exactly SSLRequestCode.
func (m *SSLRequest) Decode(body []byte) error {
	if len(body) != 4 || binary.BigEndian.Uint32(body) != SSLRequestCode {
		return protocolErrorf("SSLRequest: body is not the 4-byte code SSLRequestCode")
	}
	return nil
}
