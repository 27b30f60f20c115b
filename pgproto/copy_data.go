package pgproto

// CopyData carries a chunk of a COPY data stream in either direction. Chunk
// boundaries carry no meaning: the server sends one row per message, but
// clients may split data anywhere.
type CopyData struct {
	Data []byte
}

// Backend identifies CopyData as a server message.
func (*CopyData) Backend() {}

// Frontend identifies CopyData as a client message.
func (*CopyData) Frontend() {}

// Encode appends the message to dst.
func (m *CopyData) Encode(dst []byte) ([]byte, error) {
	dst, start := BeginMessage(dst, MsgCopyData)
	dst = append(dst, m.Data...)
	return finishTyped(dst, start)
}

// Decode takes the whole body as Data, aliasing it (not copied).
func (m *CopyData) Decode(body []byte) error {
	m.Data = body[:len(body):len(body)]
	return nil
}
