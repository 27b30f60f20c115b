package pgproto

// CopyDone ends a COPY data stream. Both sides send it: the server at the end
// of COPY TO STDOUT, the client at the end of COPY FROM STDIN.
type CopyDone struct{}

// Backend identifies CopyDone as a server message.
func (*CopyDone) Backend() {}

// Frontend identifies CopyDone as a client message.
func (*CopyDone) Frontend() {}

// Encode appends the message to dst.
func (m *CopyDone) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgCopyDone), nil
}

// Decode checks that the body is empty.
func (m *CopyDone) Decode(body []byte) error {
	return decodeEmpty("CopyDone", body)
}
