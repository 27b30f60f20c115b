package pgproto

// AuthenticationSASL is the server's request to authenticate with SASL,
// listing the mechanisms it accepts in its order of preference (for example
// "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"). The client answers with a
// SASLInitialResponse naming the one it picked.
type AuthenticationSASL struct {
	Mechanisms []string
}

// Backend identifies AuthenticationSASL as a server message.
func (*AuthenticationSASL) Backend() {}

// Encode appends the message to dst. An empty mechanism name is an error:
// on the wire it would end the list.
func (m *AuthenticationSASL) Encode(dst []byte) ([]byte, error) {
	for _, mech := range m.Mechanisms {
		if mech == "" {
			return dst, encodeErrorf("AuthenticationSASL: empty mechanism name")
		}
		if err := checkCString("AuthenticationSASL", "mechanism name", mech); err != nil {
			return dst, err
		}
	}
	dst, start := beginAuth(dst, AuthTypeSASL)
	for _, mech := range m.Mechanisms {
		dst = AppendCString(dst, mech)
	}
	dst = append(dst, 0)
	return finishTyped(dst, start)
}

// Decode parses an 'R' body with code AuthTypeSASL: mechanism names, each
// NUL-terminated, ended by an empty name. Mechanisms is nil for an empty list.
func (m *AuthenticationSASL) Decode(body []byte) error {
	rest, err := decodeAuth("AuthenticationSASL", body, AuthTypeSASL)
	if err != nil {
		return err
	}
	d := newDecoder("AuthenticationSASL", rest)
	m.Mechanisms = nil
	for {
		name := d.cstringBytes("mechanism name")
		if d.err != nil || len(name) == 0 {
			break
		}
		m.Mechanisms = append(m.Mechanisms, string(name))
	}
	return d.done()
}
