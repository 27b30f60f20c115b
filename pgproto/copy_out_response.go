package pgproto

// CopyOutResponse starts COPY TO STDOUT: CopyData messages follow,
// then CopyDone.
// OverallFormat is 0 for text and 1 for binary; ColumnFormatCodes has one
// format code per column (all equal to OverallFormat in current servers).
type CopyOutResponse struct {
	OverallFormat     byte
	ColumnFormatCodes []uint16
}

// Backend identifies CopyOutResponse as a server message.
func (*CopyOutResponse) Backend() {}

// Encode appends the message to dst.
func (m *CopyOutResponse) Encode(dst []byte) ([]byte, error) {
	return (*copyResponse)(m).encode(dst, MsgCopyOutResponse, "CopyOutResponse")
}

// Decode parses the body; ColumnFormatCodes is nil when there are no columns.
func (m *CopyOutResponse) Decode(body []byte) error {
	return (*copyResponse)(m).decode(body, "CopyOutResponse")
}
