package pgproto

// copyResponse is the shared layout of CopyInResponse, CopyOutResponse and
// CopyBothResponse: an Int8 overall format (0 text, 1 binary) and an Int16
// format code per column.
type copyResponse struct {
	OverallFormat     byte
	ColumnFormatCodes []uint16
}

func (m *copyResponse) encode(dst []byte, typ byte, msg string) ([]byte, error) {
	if err := checkCount(msg, "column format codes", len(m.ColumnFormatCodes)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, typ)
	dst = append(dst, m.OverallFormat)
	dst = AppendUint16(dst, uint16(len(m.ColumnFormatCodes)))
	for _, c := range m.ColumnFormatCodes {
		dst = AppendUint16(dst, c)
	}
	return finishTyped(dst, start)
}

// decode parses the body; ColumnFormatCodes is nil when there are no columns.
func (m *copyResponse) decode(body []byte, msg string) error {
	d := newDecoder(msg, body)
	m.OverallFormat = d.byte1("overall format")
	n := d.count("column format codes", 2)
	m.ColumnFormatCodes = nil
	if n > 0 {
		m.ColumnFormatCodes = make([]uint16, n)
		for i := range m.ColumnFormatCodes {
			m.ColumnFormatCodes[i] = d.uint16("column format code")
		}
	}
	return d.done()
}
