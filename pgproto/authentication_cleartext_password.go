package pgproto

// AuthenticationCleartextPassword is the server's request for the password in clear text, to be
// answered with a PasswordMessage.
type AuthenticationCleartextPassword struct{}

// Backend identifies AuthenticationCleartextPassword as a server message.
func (*AuthenticationCleartextPassword) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationCleartextPassword) Encode(dst []byte) ([]byte, error) {
	dst, start := beginAuth(dst, AuthTypeCleartextPassword)
	return finishTyped(dst, start)
}

// Decode checks an 'R' body carrying code AuthTypeCleartextPassword and nothing else.
func (m *AuthenticationCleartextPassword) Decode(body []byte) error {
	return decodeAuthNoData("AuthenticationCleartextPassword", body, AuthTypeCleartextPassword)
}
