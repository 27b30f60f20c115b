package pgproto

// AuthenticationGSS is the server's request to start GSSAPI authentication; the
// client answers with a GSSResponse.
type AuthenticationGSS struct{}

// Backend identifies AuthenticationGSS as a server message.
func (*AuthenticationGSS) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationGSS) Encode(dst []byte) ([]byte, error) {
	dst, start := beginAuth(dst, AuthTypeGSS)
	return finishTyped(dst, start)
}

// Decode checks an 'R' body carrying code AuthTypeGSS and nothing else.
func (m *AuthenticationGSS) Decode(body []byte) error {
	return decodeAuthNoData("AuthenticationGSS", body, AuthTypeGSS)
}
