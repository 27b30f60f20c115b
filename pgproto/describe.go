package pgproto

// Describe asks for the description of a prepared statement
// (ObjectType ObjectStatement: ParameterDescription then RowDescription or
// NoData) or of a portal (ObjectPortal: RowDescription or NoData). An empty
// Name means the unnamed statement or portal.
type Describe struct {
	ObjectType byte
	Name       string
}

// Frontend identifies Describe as a client message.
func (*Describe) Frontend() {}

// Encode appends the message to dst; an ObjectType other than 'S' or 'P' is
// an error.
func (m *Describe) Encode(dst []byte) ([]byte, error) {
	return encodeObjectMessage(dst, MsgDescribe, "Describe", m.ObjectType, m.Name)
}

// Decode parses the body.
func (m *Describe) Decode(body []byte) (err error) {
	m.ObjectType, m.Name, err = decodeObjectMessage(body, "Describe")
	return err
}
