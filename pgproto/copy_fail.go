package pgproto

// CopyFail aborts COPY FROM STDIN; the server fails the COPY command with an
// ErrorResponse quoting Message.
type CopyFail struct {
	Message string
}

// Frontend identifies CopyFail as a client message.
func (*CopyFail) Frontend() {}

// Encode appends the message to dst.
func (m *CopyFail) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("CopyFail", "Message", m.Message); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgCopyFail)
	dst = AppendCString(dst, m.Message)
	return finishTyped(dst, start)
}

// Decode parses the body into a new string.
func (m *CopyFail) Decode(body []byte) error {
	d := newDecoder("CopyFail", body)
	m.Message = d.cstring("message")
	return d.done()
}
