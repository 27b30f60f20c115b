package pgproto

// CancelRequest asks the server to cancel the query running in another
// session, identified by the ProcessID and SecretKey from that session's
// BackendKeyData. It is sent on a new connection as its startup packet
// (untyped); the server closes that connection without replying.
type CancelRequest struct {
	ProcessID uint32
	SecretKey []byte // 4 bytes in protocol 3.0, 4 to 256 in 3.2
}

// Frontend identifies CancelRequest as a client message.
func (*CancelRequest) Frontend() {}

// Encode appends the packet to dst; a key outside 4..256 bytes is an error.
func (m *CancelRequest) Encode(dst []byte) ([]byte, error) {
	if err := checkSecretKey("CancelRequest", m.SecretKey); err != nil {
		return dst, err
	}
	dst, start := beginUntyped(dst)
	dst = AppendUint32(dst, CancelRequestCode)
	dst = AppendUint32(dst, m.ProcessID)
	dst = append(dst, m.SecretKey...)
	return finishUntyped(dst, start)
}

// Decode parses the packet body (from the code on). SecretKey is a copy.
func (m *CancelRequest) Decode(body []byte) error {
	d := newDecoder("CancelRequest", body)
	if code := d.uint32("code"); d.err == nil && code != CancelRequestCode {
		return protocolErrorf("CancelRequest: code %d, want %d", code, CancelRequestCode)
	}
	m.ProcessID = d.uint32("process ID")
	key := d.rest()
	if d.err == nil && (len(key) < minSecretKeyLen || len(key) > maxSecretKeyLen) {
		d.fail("secret key of %d bytes, want %d to %d", len(key), minSecretKeyLen, maxSecretKeyLen)
	}
	if err := d.done(); err != nil {
		return err
	}
	m.SecretKey = append([]byte(nil), key...)
	return nil
}
