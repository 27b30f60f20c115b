package pgproto

// Close releases a prepared statement (ObjectType ObjectStatement) or a
// portal (ObjectPortal); the server answers CloseComplete, even when the
// object did not exist. An empty Name means the unnamed statement or portal.
type Close struct {
	ObjectType byte
	Name       string
}

// Frontend identifies Close as a client message.
func (*Close) Frontend() {}

// Encode appends the message to dst; an ObjectType other than 'S' or 'P' is
// an error.
func (m *Close) Encode(dst []byte) ([]byte, error) {
	return encodeObjectMessage(dst, MsgClose, "Close", m.ObjectType, m.Name)
}

// Decode parses the body.
func (m *Close) Decode(body []byte) (err error) {
	m.ObjectType, m.Name, err = decodeObjectMessage(body, "Close")
	return err
}
