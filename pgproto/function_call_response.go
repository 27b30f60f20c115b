package pgproto

// FunctionCallResponse carries the result of a FunctionCall (the legacy
// fast-path interface). A nil Result is SQL NULL.
type FunctionCallResponse struct {
	Result []byte
}

// Backend identifies FunctionCallResponse as a server message.
func (*FunctionCallResponse) Backend() {}

// Encode appends the message to dst.
func (m *FunctionCallResponse) Encode(dst []byte) ([]byte, error) {
	dst, start := BeginMessage(dst, MsgFunctionCallResponse)
	dst = AppendValue(dst, m.Result)
	return finishTyped(dst, start)
}

// Decode parses the body. Result aliases body.
func (m *FunctionCallResponse) Decode(body []byte) error {
	d := newDecoder("FunctionCallResponse", body)
	m.Result = d.value("result")
	return d.done()
}
