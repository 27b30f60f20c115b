package pgproto

// AuthenticationOk is the server's report that authentication succeeded. ParameterStatus,
// BackendKeyData and ReadyForQuery follow (or an ErrorResponse).
type AuthenticationOk struct{}

// Backend identifies AuthenticationOk as a server message.
func (*AuthenticationOk) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationOk) Encode(dst []byte) ([]byte, error) {
	dst, start := beginAuth(dst, AuthTypeOk)
	return finishTyped(dst, start)
}

// Decode checks an 'R' body carrying code AuthTypeOk and nothing else.
func (m *AuthenticationOk) Decode(body []byte) error {
	return decodeAuthNoData("AuthenticationOk", body, AuthTypeOk)
}
