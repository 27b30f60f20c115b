package pgproto

// PortalSuspended ends an Execute that stopped at its MaxRows limit
// before the portal was exhausted; another Execute continues it.
type PortalSuspended struct{}

// Backend identifies PortalSuspended as a server message.
func (*PortalSuspended) Backend() {}

// Encode appends the message to dst.
func (m *PortalSuspended) Encode(dst []byte) ([]byte, error) {
	return encodeEmpty(dst, MsgPortalSuspended), nil
}

// Decode checks that the body is empty.
func (m *PortalSuspended) Decode(body []byte) error {
	return decodeEmpty("PortalSuspended", body)
}
