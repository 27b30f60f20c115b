package pgproto

// Execute runs a portal ("" for the unnamed one). MaxRows 0 means no limit;
// otherwise the server stops after MaxRows rows with PortalSuspended, and
// another Execute continues.
type Execute struct {
	Portal  string
	MaxRows uint32
}

// Frontend identifies Execute as a client message.
func (*Execute) Frontend() {}

// Encode appends the message to dst.
func (m *Execute) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("Execute", "Portal", m.Portal); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgExecute)
	dst = AppendCString(dst, m.Portal)
	dst = AppendUint32(dst, m.MaxRows)
	return finishTyped(dst, start)
}

// Decode parses the body.
func (m *Execute) Decode(body []byte) error {
	d := newDecoder("Execute", body)
	m.Portal = d.cstring("portal name")
	m.MaxRows = d.uint32("row limit")
	return d.done()
}
