package pgproto

// NoData answers Describe for a statement or portal that returns no
// rows.
type NoData struct{}

// Backend identifies NoData as a server message.
func (*NoData) Backend() {}

// Encode appends the message to dst.
func (m *NoData) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgNoData), nil
}

// Decode checks that the body is empty.
func (m *NoData) Decode(body []byte) error {
	return decodeEmpty("NoData", body)
}
