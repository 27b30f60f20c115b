package pgproto

import "bytes"

// CommandComplete ends the results of one SQL command. CommandTag is the
// server's tag, such as "SELECT 5", "INSERT 0 1" or "UPDATE 3".
type CommandComplete struct {
	CommandTag []byte
}

// Backend identifies CommandComplete as a server message.
func (*CommandComplete) Backend() {}

// Encode appends the message to dst.
func (m *CommandComplete) Encode(dst []byte) ([]byte, error) {
	if i := bytes.IndexByte(m.CommandTag, 0); i >= 0 {
		return dst, encodeErrorf("CommandComplete: CommandTag contains a NUL byte at offset %d", i)
	}
	dst, start := BeginMessage(dst, MsgCommandComplete)
	dst = append(dst, m.CommandTag...)
	dst = append(dst, 0)
	return finishTyped(dst, start)
}

// Decode parses the body. CommandTag aliases body (without the NUL); copy it
// to keep it past the next read.
func (m *CommandComplete) Decode(body []byte) error {
	d := newDecoder("CommandComplete", body)
	m.CommandTag = d.cstringBytes("command tag")
	return d.done()
}
