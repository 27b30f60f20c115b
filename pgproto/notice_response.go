package pgproto

// NoticeResponse is a warning or informational message (RAISE NOTICE,
// "table does not exist, skipping"); it does not interrupt the command. Its
// fields are those of ErrorResponse, which it converts to and from freely.
type NoticeResponse ErrorResponse

// Backend identifies NoticeResponse as a server message.
func (*NoticeResponse) Backend() {}

// Encode appends the message to dst, under the rules of ErrorResponse.Encode.
func (m *NoticeResponse) Encode(dst []byte) ([]byte, error) {
	return (*ErrorResponse)(m).encode(dst, MsgNoticeResponse, "NoticeResponse")
}

// Decode parses the body, under the rules of ErrorResponse.Decode.
func (m *NoticeResponse) Decode(body []byte) error {
	return (*ErrorResponse)(m).decode(body, "NoticeResponse")
}
