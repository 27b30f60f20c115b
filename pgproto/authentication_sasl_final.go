package pgproto

// AuthenticationSASLFinal carries the SASL outcome (for SCRAM, the
// server-final-message with the server signature the client must verify).
// AuthenticationOk follows.
type AuthenticationSASLFinal struct {
	Data []byte
}

// Backend identifies AuthenticationSASLFinal as a server message.
func (*AuthenticationSASLFinal) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationSASLFinal) Encode(dst []byte) ([]byte, error) {
	return encodeAuthData(dst, AuthTypeSASLFinal, m.Data)
}

// Decode parses an 'R' body with code AuthTypeSASLFinal. Data aliases body.
func (m *AuthenticationSASLFinal) Decode(body []byte) error {
	rest, err := decodeAuth("AuthenticationSASLFinal", body, AuthTypeSASLFinal)
	if err != nil {
		return err
	}
	m.Data = rest
	return nil
}
