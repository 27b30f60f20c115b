package pgproto

import "bytes"

// Cancel secret key bounds: exactly 4 bytes in protocol 3.0, up to 256 in 3.2.
const (
	minSecretKeyLen = 4
	maxSecretKeyLen = 256
)

// BackendKeyData carries the process ID and secret key the client needs to
// send a CancelRequest for this session. SecretKey is 4 bytes under protocol
// 3.0 and 4 to 256 bytes under 3.2.
type BackendKeyData struct {
	ProcessID uint32
	SecretKey []byte
}

// Backend identifies BackendKeyData as a server message.
func (*BackendKeyData) Backend() {}

// Encode appends the message to dst; a key outside 4..256 bytes is an error.
func (m *BackendKeyData) Encode(dst []byte) ([]byte, error) {
	if err := checkSecretKey("BackendKeyData", m.SecretKey); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgBackendKeyData)
	dst = AppendUint32(dst, m.ProcessID)
	dst = append(dst, m.SecretKey...)
	return finishTyped(dst, start)
}

// Decode parses the body. SecretKey is a copy, so it outlives the read
// buffer: the connection keeps it for the session's lifetime.
func (m *BackendKeyData) Decode(body []byte) error {
	d := newDecoder("BackendKeyData", body)
	m.ProcessID = d.uint32("process ID")
	key := d.rest()
	if d.err == nil && (len(key) < minSecretKeyLen || len(key) > maxSecretKeyLen) {
		d.fail("secret key of %d bytes, want %d to %d", len(key), minSecretKeyLen, maxSecretKeyLen)
	}
	if err := d.done(); err != nil {
		return err
	}
	m.SecretKey = bytes.Clone(key)
	return nil
}

func checkSecretKey(msg string, key []byte) error {
	if len(key) < minSecretKeyLen || len(key) > maxSecretKeyLen {
		return encodeErrorf("%s: secret key of %d bytes, want %d to %d", msg, len(key), minSecretKeyLen, maxSecretKeyLen)
	}
	return nil
}
