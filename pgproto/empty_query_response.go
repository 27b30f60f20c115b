package pgproto

// EmptyQueryResponse replaces CommandComplete when the query string
// was empty.
type EmptyQueryResponse struct{}

// Backend identifies EmptyQueryResponse as a server message.
func (*EmptyQueryResponse) Backend() {}

// Encode appends the message to dst.
func (m *EmptyQueryResponse) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgEmptyQueryResponse), nil
}

// Decode checks that the body is empty.
func (m *EmptyQueryResponse) Decode(body []byte) error {
	return decodeEmpty("EmptyQueryResponse", body)
}
