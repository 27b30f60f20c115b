package pgproto

// Query runs a simple-protocol query: one or more SQL statements separated by
// semicolons, all results in text format, no parameters.
type Query struct {
	String string
}

// Frontend identifies Query as a client message.
func (*Query) Frontend() {}

// Encode appends the message to dst.
func (m *Query) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("Query", "String", m.String); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgQuery)
	dst = AppendCString(dst, m.String)
	return finishTyped(dst, start)
}

// Decode parses the body into a new string.
func (m *Query) Decode(body []byte) error {
	d := newDecoder("Query", body)
	m.String = d.cstring("query string")
	return d.done()
}
