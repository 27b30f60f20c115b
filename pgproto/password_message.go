package pgproto

// PasswordMessage answers AuthenticationCleartextPassword (the password) or
// AuthenticationMD5Password (the "md5..." hash). It shares the type byte 'p'
// with SASLInitialResponse, SASLResponse and GSSResponse; ParseFrontend
// decodes every 'p' as a PasswordMessage, and a server that knows which
// exchange it is in decodes the body with the right type instead.
type PasswordMessage struct {
	Password string
}

// Frontend identifies PasswordMessage as a client message.
func (*PasswordMessage) Frontend() {}

// Encode appends the message to dst.
func (m *PasswordMessage) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("PasswordMessage", "Password", m.Password); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgPassword)
	dst = AppendCString(dst, m.Password)
	return finishTyped(dst, start)
}

// Decode parses the body into a new string.
func (m *PasswordMessage) Decode(body []byte) error {
	d := newDecoder("PasswordMessage", body)
	m.Password = d.cstring("password")
	return d.done()
}
