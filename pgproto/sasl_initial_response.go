package pgproto

// SASLInitialResponse answers AuthenticationSASL with the chosen mechanism
// and its initial client response (for SCRAM, the client-first-message).
// A nil Data means "no initial response" and is sent as length -1; an empty
// non-nil Data is an empty response.
type SASLInitialResponse struct {
	AuthMechanism string
	Data          []byte
}

// Frontend identifies SASLInitialResponse as a client message.
func (*SASLInitialResponse) Frontend() {}

// Encode appends the message to dst.
func (m *SASLInitialResponse) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("SASLInitialResponse", "AuthMechanism", m.AuthMechanism); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgPassword)
	dst = AppendCString(dst, m.AuthMechanism)
	dst = AppendValue(dst, m.Data)
	return finishTyped(dst, start)
}

// Decode parses a 'p' body as a SASLInitialResponse. Data aliases body.
func (m *SASLInitialResponse) Decode(body []byte) error {
	d := newDecoder("SASLInitialResponse", body)
	m.AuthMechanism = d.cstring("mechanism name")
	m.Data = d.value("initial response")
	return d.done()
}
