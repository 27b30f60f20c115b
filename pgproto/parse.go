package pgproto

// Parse creates a prepared statement: Name ("" for the unnamed statement),
// the SQL text with $n placeholders, and optionally parameter type OIDs (0 or
// a missing trailing OID leaves the type for the server to infer).
type Parse struct {
	Name          string
	Query         string
	ParameterOIDs []uint32
}

// Frontend identifies Parse as a client message.
func (*Parse) Frontend() {}

// Encode appends the message to dst.
func (m *Parse) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("Parse", "Name", m.Name); err != nil {
		return dst, err
	}
	if err := checkCString("Parse", "Query", m.Query); err != nil {
		return dst, err
	}
	if err := checkCount("Parse", "parameter OIDs", len(m.ParameterOIDs)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgParse)
	dst = AppendCString(dst, m.Name)
	dst = AppendCString(dst, m.Query)
	dst = AppendUint16(dst, uint16(len(m.ParameterOIDs)))
	for _, oid := range m.ParameterOIDs {
		dst = AppendUint32(dst, oid)
	}
	return finishTyped(dst, start)
}

// Decode parses the body; ParameterOIDs is nil when there are none.
func (m *Parse) Decode(body []byte) error {
	d := newDecoder("Parse", body)
	m.Name = d.cstring("statement name")
	m.Query = d.cstring("query")
	m.ParameterOIDs = decodeOIDs(&d)
	return d.done()
}
