package pgproto

// CloseComplete acknowledges a Close.
type CloseComplete struct{}

// Backend identifies CloseComplete as a server message.
func (*CloseComplete) Backend() {}

// Encode appends the message to dst.
func (m *CloseComplete) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgCloseComplete), nil
}

// Decode checks that the body is empty.
func (m *CloseComplete) Decode(body []byte) error {
	return decodeEmpty("CloseComplete", body)
}
