package pgproto

// Flush asks the server to send what it has buffered without ending the
// batch as Sync would.
type Flush struct{}

// Frontend identifies Flush as a client message.
func (*Flush) Frontend() {}

// Encode appends the message to dst.
func (m *Flush) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgFlush), nil
}

// Decode checks that the body is empty.
func (m *Flush) Decode(body []byte) error {
	return decodeEmpty("Flush", body)
}
