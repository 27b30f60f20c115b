package pgproto

// FunctionCall calls a function by OID through the legacy fast-path
// interface; the server answers with FunctionCallResponse. ArgFormatCodes
// follows the rules of Bind.ParameterFormatCodes; a nil argument is SQL NULL.
type FunctionCall struct {
	Function         uint32
	ArgFormatCodes   []int16
	Arguments        [][]byte
	ResultFormatCode int16
}

// Frontend identifies FunctionCall as a client message.
func (*FunctionCall) Frontend() {}

// Encode appends the message to dst.
func (m *FunctionCall) Encode(dst []byte) ([]byte, error) {
	if err := checkCount("FunctionCall", "argument format codes", len(m.ArgFormatCodes)); err != nil {
		return dst, err
	}
	if err := checkCount("FunctionCall", "arguments", len(m.Arguments)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgFunctionCall)
	dst = AppendUint32(dst, m.Function)
	dst = appendFormatCodes(dst, m.ArgFormatCodes)
	dst = appendValues(dst, m.Arguments)
	dst = AppendInt16(dst, m.ResultFormatCode)
	return finishTyped(dst, start)
}

// Decode parses the body, reusing the capacity of ArgFormatCodes and
// Arguments (nil for empty lists on a fresh FunctionCall). Arguments alias
// body.
func (m *FunctionCall) Decode(body []byte) error {
	d := newDecoder("FunctionCall", body)
	m.Function = d.uint32("function OID")
	m.ArgFormatCodes = decodeFormatCodes(&d, m.ArgFormatCodes, "argument format codes")
	m.Arguments = decodeValues(&d, m.Arguments, "arguments")
	m.ResultFormatCode = d.int16("result format code")
	return d.done()
}
