package pgproto

// AuthenticationKerberosV5 is the server's request for Kerberos V5 authentication, which
// no PostgreSQL release since 9.4 sends; it exists so that it can be reported
// clearly instead of as an unknown code.
type AuthenticationKerberosV5 struct{}

// Backend identifies AuthenticationKerberosV5 as a server message.
func (*AuthenticationKerberosV5) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationKerberosV5) Encode(dst []byte) ([]byte, error) {
	dst, start := beginAuth(dst, AuthTypeKerberosV5)
	return finishTyped(dst, start)
}

// Decode checks an 'R' body carrying code AuthTypeKerberosV5 and nothing else.
func (m *AuthenticationKerberosV5) Decode(body []byte) error {
	return decodeAuthNoData("AuthenticationKerberosV5", body, AuthTypeKerberosV5)
}
