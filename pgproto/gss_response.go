package pgproto

// GSSResponse carries a GSSAPI or SSPI token from the client, answering
// AuthenticationGSS or AuthenticationGSSContinue. It is sent with the type
// byte 'p'.
type GSSResponse struct {
	Data []byte
}

// Frontend identifies GSSResponse as a client message.
func (*GSSResponse) Frontend() {}

// Encode appends the message to dst.
func (m *GSSResponse) Encode(dst []byte) ([]byte, error) {
	dst, start := BeginMessage(dst, MsgPassword)
	dst = append(dst, m.Data...)
	return finishTyped(dst, start)
}

// Decode takes the whole 'p' body as Data, aliasing it.
func (m *GSSResponse) Decode(body []byte) error {
	m.Data = body[:len(body):len(body)]
	return nil
}
