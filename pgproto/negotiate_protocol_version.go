package pgproto

// NegotiateProtocolVersion answers a StartupMessage that asked for a newer
// minor protocol version, or for protocol options ("_pq_." parameters), than
// the server supports. NewestMinorProtocol is the newest minor version the
// server speaks for the requested major version; Options lists the requested
// options it does not recognise. The connection continues with that version.
type NegotiateProtocolVersion struct {
	NewestMinorProtocol uint32
	Options             []string
}

// Backend identifies NegotiateProtocolVersion as a server message.
func (*NegotiateProtocolVersion) Backend() {}

// Encode appends the message to dst.
func (m *NegotiateProtocolVersion) Encode(dst []byte) ([]byte, error) {
	for _, opt := range m.Options {
		if err := checkCString("NegotiateProtocolVersion", "option name", opt); err != nil {
			return dst, err
		}
	}
	dst, start := BeginMessage(dst, MsgNegotiateProtocolVersion)
	dst = AppendUint32(dst, m.NewestMinorProtocol)
	dst = AppendUint32(dst, uint32(len(m.Options)))
	for _, opt := range m.Options {
		dst = AppendCString(dst, opt)
	}
	return finishTyped(dst, start)
}

// Decode parses the body; Options is nil when the list is empty.
func (m *NegotiateProtocolVersion) Decode(body []byte) error {
	d := newDecoder("NegotiateProtocolVersion", body)
	m.NewestMinorProtocol = d.uint32("newest minor protocol")
	n := d.int32Count("options", 1)
	m.Options = nil
	if n > 0 {
		m.Options = make([]string, n)
		for i := range m.Options {
			m.Options[i] = d.cstring("option name")
		}
	}
	return d.done()
}
