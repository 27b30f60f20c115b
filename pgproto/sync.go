package pgproto

// Sync ends an extended-query batch: the server closes the implicit
// transaction if any, discards the rest of a failed batch, and answers
// ReadyForQuery.
type Sync struct{}

// Frontend identifies Sync as a client message.
func (*Sync) Frontend() {}

// Encode appends the message to dst.
func (m *Sync) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgSync), nil
}

// Decode checks that the body is empty.
func (m *Sync) Decode(body []byte) error {
	return decodeEmpty("Sync", body)
}
