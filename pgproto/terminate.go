package pgproto

// Terminate announces a graceful close; the client then closes the
// socket.
type Terminate struct{}

// Frontend identifies Terminate as a client message.
func (*Terminate) Frontend() {}

// Encode appends the message to dst.
func (m *Terminate) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgTerminate), nil
}

// Decode checks that the body is empty.
func (m *Terminate) Decode(body []byte) error {
	return decodeEmpty("Terminate", body)
}
