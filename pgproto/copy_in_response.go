package pgproto

// CopyInResponse starts COPY FROM STDIN: the client now sends CopyData
// messages and ends with CopyDone or CopyFail.
// OverallFormat is 0 for text and 1 for binary; ColumnFormatCodes has one
// format code per column (all equal to OverallFormat in current servers).
type CopyInResponse struct {
	OverallFormat     byte
	ColumnFormatCodes []uint16
}

// Backend identifies CopyInResponse as a server message.
func (*CopyInResponse) Backend() {}

// Encode appends the message to dst.
func (m *CopyInResponse) Encode(dst []byte) ([]byte, error) {
	return (*copyResponse)(m).encode(dst, MsgCopyInResponse, "CopyInResponse")
}

// Decode parses the body; ColumnFormatCodes is nil when there are no columns.
func (m *CopyInResponse) Decode(body []byte) error {
	return (*copyResponse)(m).decode(body, "CopyInResponse")
}
