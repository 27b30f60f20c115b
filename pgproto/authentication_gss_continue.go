package pgproto

// AuthenticationGSSContinue carries the next GSSAPI or SSPI token from
// the server; the client answers with a GSSResponse unless the exchange is
// complete.
type AuthenticationGSSContinue struct {
	Data []byte
}

// Backend identifies AuthenticationGSSContinue as a server message.
func (*AuthenticationGSSContinue) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationGSSContinue) Encode(dst []byte) ([]byte, error) {
	return encodeAuthData(dst, AuthTypeGSSContinue, m.Data)
}

// Decode parses an 'R' body with code AuthTypeGSSContinue. Data aliases body.
func (m *AuthenticationGSSContinue) Decode(body []byte) error {
	rest, err := decodeAuth("AuthenticationGSSContinue", body, AuthTypeGSSContinue)
	if err != nil {
		return err
	}
	m.Data = rest
	return nil
}
