package pgproto

// BindComplete acknowledges a Bind.
type BindComplete struct{}

// Backend identifies BindComplete as a server message.
func (*BindComplete) Backend() {}

// Encode appends the message to dst.
func (m *BindComplete) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgBindComplete), nil
}

// Decode checks that the body is empty.
func (m *BindComplete) Decode(body []byte) error {
	return decodeEmpty("BindComplete", body)
}
