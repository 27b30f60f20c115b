package pgproto

// NotificationResponse delivers a NOTIFY on a channel this session LISTENs
// to. It can arrive at any time, interleaved with the replies to queries.
type NotificationResponse struct {
	PID     uint32 // process ID of the notifying backend
	Channel string
	Payload string
}

// Backend identifies NotificationResponse as a server message.
func (*NotificationResponse) Backend() {}

// Encode appends the message to dst.
func (m *NotificationResponse) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("NotificationResponse", "Channel", m.Channel); err != nil {
		return dst, err
	}
	if err := checkCString("NotificationResponse", "Payload", m.Payload); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgNotificationResponse)
	dst = AppendUint32(dst, m.PID)
	dst = AppendCString(dst, m.Channel)
	dst = AppendCString(dst, m.Payload)
	return finishTyped(dst, start)
}

// Decode parses the body into new strings.
func (m *NotificationResponse) Decode(body []byte) error {
	d := newDecoder("NotificationResponse", body)
	m.PID = d.uint32("process ID")
	m.Channel = d.cstring("channel")
	m.Payload = d.cstring("payload")
	return d.done()
}
