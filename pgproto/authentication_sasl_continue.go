package pgproto

// AuthenticationSASLContinue carries a SASL challenge (for SCRAM, the
// server-first-message); the client answers with a SASLResponse.
type AuthenticationSASLContinue struct {
	Data []byte
}

// Backend identifies AuthenticationSASLContinue as a server message.
func (*AuthenticationSASLContinue) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationSASLContinue) Encode(dst []byte) ([]byte, error) {
	return encodeAuthData(dst, AuthTypeSASLContinue, m.Data)
}

// Decode parses an 'R' body with code AuthTypeSASLContinue. Data aliases body.
func (m *AuthenticationSASLContinue) Decode(body []byte) error {
	rest, err := decodeAuth("AuthenticationSASLContinue", body, AuthTypeSASLContinue)
	if err != nil {
		return err
	}
	m.Data = rest
	return nil
}
