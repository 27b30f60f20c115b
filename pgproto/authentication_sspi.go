package pgproto

// AuthenticationSSPI is the server's request to start SSPI (Windows) authentication;
// the client answers with a GSSResponse.
type AuthenticationSSPI struct{}

// Backend identifies AuthenticationSSPI as a server message.
func (*AuthenticationSSPI) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationSSPI) Encode(dst []byte) ([]byte, error) {
	dst, start := beginAuth(dst, AuthTypeSSPI)
	return finishTyped(dst, start)
}

// Decode checks an 'R' body carrying code AuthTypeSSPI and nothing else.
func (m *AuthenticationSSPI) Decode(body []byte) error {
	return decodeAuthNoData("AuthenticationSSPI", body, AuthTypeSSPI)
}
