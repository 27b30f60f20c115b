package pgproto

// Transaction status indicators carried by ReadyForQuery.
const (
	TxStatusIdle          byte = 'I' // not in a transaction block
	TxStatusInTransaction byte = 'T' // in a transaction block
	TxStatusFailed        byte = 'E' // in a failed transaction block; commands are rejected until it ends
)

// ReadyForQuery tells the client the server is ready for a new query cycle:
// it ends the reply to a Query or a Sync. TxStatus is one of TxStatusIdle,
// TxStatusInTransaction or TxStatusFailed.
type ReadyForQuery struct {
	TxStatus byte
}

// Backend identifies ReadyForQuery as a server message.
func (*ReadyForQuery) Backend() {}

// Encode appends the message to dst; an unknown TxStatus is an error.
func (m *ReadyForQuery) Encode(dst []byte) ([]byte, error) {
	if !validTxStatus(m.TxStatus) {
		return dst, encodeErrorf("ReadyForQuery: transaction status %q, want 'I', 'T' or 'E'", rune(m.TxStatus))
	}
	return append(dst, MsgReadyForQuery, 0, 0, 0, 5, m.TxStatus), nil
}

// Decode parses the body: exactly one of 'I', 'T', 'E'.
func (m *ReadyForQuery) Decode(body []byte) error {
	if len(body) != 1 {
		return protocolErrorf("ReadyForQuery: body of %d bytes, want 1", len(body))
	}
	if !validTxStatus(body[0]) {
		return protocolErrorf("ReadyForQuery: unknown transaction status %q", rune(body[0]))
	}
	m.TxStatus = body[0]
	return nil
}

func validTxStatus(s byte) bool {
	return s == TxStatusIdle || s == TxStatusInTransaction || s == TxStatusFailed
}
