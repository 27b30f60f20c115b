package pgproto

// AuthenticationMD5Password is the server's request for an MD5-hashed
// password: the client answers with a PasswordMessage holding
// "md5" + hex(md5(hex(md5(password + user)) + Salt)).
type AuthenticationMD5Password struct {
	Salt [4]byte
}

// Backend identifies AuthenticationMD5Password as a server message.
func (*AuthenticationMD5Password) Backend() {}

// Encode appends the message to dst.
func (m *AuthenticationMD5Password) Encode(dst []byte) ([]byte, error) {
	return encodeAuthData(dst, AuthTypeMD5Password, m.Salt[:])
}

// Decode parses an 'R' body with code AuthTypeMD5Password and a 4-byte salt.
func (m *AuthenticationMD5Password) Decode(body []byte) error {
	rest, err := decodeAuth("AuthenticationMD5Password", body, AuthTypeMD5Password)
	if err != nil {
		return err
	}
	if len(rest) != 4 {
		return protocolErrorf("AuthenticationMD5Password: salt of %d bytes, want 4", len(rest))
	}
	copy(m.Salt[:], rest)
	return nil
}
