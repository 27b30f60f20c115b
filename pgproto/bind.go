package pgproto

// Bind creates a portal from a prepared statement and parameter values.
//
// ParameterFormatCodes may be empty (all text), one code (applies to every
// parameter) or one per parameter; ResultFormatCodes likewise for the result
// columns. A nil parameter is SQL NULL. The server, not Encode, checks that
// the counts agree.
//
// A connection on its hot path need not build a Bind: it can write one in
// place with BeginMessage, AppendCString, AppendInt16, AppendValue and
// FinishMessage, encoding parameters straight into its write buffer.
type Bind struct {
	DestinationPortal    string
	PreparedStatement    string
	ParameterFormatCodes []int16
	Parameters           [][]byte
	ResultFormatCodes    []int16
}

// Frontend identifies Bind as a client message.
func (*Bind) Frontend() {}

// Encode appends the message to dst.
func (m *Bind) Encode(dst []byte) ([]byte, error) {
	if err := checkCString("Bind", "DestinationPortal", m.DestinationPortal); err != nil {
		return dst, err
	}
	if err := checkCString("Bind", "PreparedStatement", m.PreparedStatement); err != nil {
		return dst, err
	}
	if err := checkCount("Bind", "parameter format codes", len(m.ParameterFormatCodes)); err != nil {
		return dst, err
	}
	if err := checkCount("Bind", "parameters", len(m.Parameters)); err != nil {
		return dst, err
	}
	if err := checkCount("Bind", "result format codes", len(m.ResultFormatCodes)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgBind)
	dst = AppendCString(dst, m.DestinationPortal)
	dst = AppendCString(dst, m.PreparedStatement)
	dst = appendFormatCodes(dst, m.ParameterFormatCodes)
	dst = appendValues(dst, m.Parameters)
	dst = appendFormatCodes(dst, m.ResultFormatCodes)
	return finishTyped(dst, start)
}

// Decode parses the body, reusing the capacity of the three slices (each is
// nil for an empty list on a fresh Bind). Parameters alias body.
func (m *Bind) Decode(body []byte) error {
	d := newDecoder("Bind", body)
	m.DestinationPortal = d.cstring("portal name")
	m.PreparedStatement = d.cstring("statement name")
	m.ParameterFormatCodes = decodeFormatCodes(&d, m.ParameterFormatCodes, "parameter format codes")
	m.Parameters = decodeValues(&d, m.Parameters, "parameters")
	m.ResultFormatCodes = decodeFormatCodes(&d, m.ResultFormatCodes, "result format codes")
	return d.done()
}
