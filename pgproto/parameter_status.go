package pgproto

// ParameterStatus reports the value of a run-time parameter the client is
// told about (server_version, client_encoding, TimeZone, in_hot_standby,
// ...): once each after authentication, then whenever one changes.
type ParameterStatus struct {
	Name  string
	Value string
}

// Backend identifies ParameterStatus as a server message.
func (*ParameterStatus) Backend() {}

// Encode appends the message to dst.
func (m *ParameterStatus) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("ParameterStatus", "Name", m.Name); err != nil {
		return dst, err
	}
	if err := checkCString("ParameterStatus", "Value", m.Value); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgParameterStatus)
	dst = AppendCString(dst, m.Name)
	dst = AppendCString(dst, m.Value)
	return finishTyped(dst, start)
}

// Decode parses the body into new strings.
func (m *ParameterStatus) Decode(body []byte) error {
	d := newDecoder("ParameterStatus", body)
	m.Name = d.cstring("name")
	m.Value = d.cstring("value")
	return d.done()
}
