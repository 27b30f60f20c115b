package pgproto

// ParseComplete acknowledges a Parse.
type ParseComplete struct{}

// Backend identifies ParseComplete as a server message.
func (*ParseComplete) Backend() {}

// Encode appends the message to dst.
func (m *ParseComplete) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgParseComplete), nil
}

// Decode checks that the body is empty.
func (m *ParseComplete) Decode(body []byte) error {
	return decodeEmpty("ParseComplete", body)
}
