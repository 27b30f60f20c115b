package pgproto

// CopyBothResponse starts a bidirectional copy, used only by
// streaming replication.
// OverallFormat is 0 for text and 1 for binary; ColumnFormatCodes has one
// format code per column (all equal to OverallFormat in current servers).
type CopyBothResponse struct {
	OverallFormat     byte
	ColumnFormatCodes []uint16
}

// Backend identifies CopyBothResponse as a server message.
func (*CopyBothResponse) Backend() {}

// Encode appends the message to dst.
func (m *CopyBothResponse) Encode(dst []byte) ([]byte, error) {
	return (*copyResponse)(m).encode(dst, MsgCopyBothResponse, "CopyBothResponse")
}

// Decode parses the body; ColumnFormatCodes is nil when there are no columns.
func (m *CopyBothResponse) Decode(body []byte) error {
	return (*copyResponse)(m).decode(body, "CopyBothResponse")
}
