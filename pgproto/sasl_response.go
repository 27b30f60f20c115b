package pgproto

// SASLResponse answers AuthenticationSASLContinue with mechanism-specific data
// (for SCRAM, the client-final-message). It is sent with the type byte 'p'.
type SASLResponse struct {
	Data []byte
}

// Frontend identifies SASLResponse as a client message.
func (*SASLResponse) Frontend() {}

// Encode appends the message to dst.
func (m *SASLResponse) Encode(dst []byte) ([]byte, error) {
	dst, start := BeginMessage(dst, MsgPassword)
	dst = append(dst, m.Data...)
	return finishTyped(dst, start)
}

// Decode takes the whole 'p' body as Data, aliasing it.
func (m *SASLResponse) Decode(body []byte) error {
	m.Data = body[:len(body):len(body)]
	return nil
}
