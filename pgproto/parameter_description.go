package pgproto

// ParameterDescription answers Describe of a prepared statement with the
// type OID of each parameter ($1, $2, ...).
type ParameterDescription struct {
	ParameterOIDs []uint32
}

// Backend identifies ParameterDescription as a server message.
func (*ParameterDescription) Backend() {}

// Encode appends the message to dst.
func (m *ParameterDescription) Encode(dst []byte) ([]byte, error) {
	if err := checkCount("ParameterDescription", "parameters", len(m.ParameterOIDs)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgParameterDescription)
	dst = AppendUint16(dst, uint16(len(m.ParameterOIDs)))
	for _, oid := range m.ParameterOIDs {
		dst = AppendUint32(dst, oid)
	}
	return finishTyped(dst, start)
}

// Decode parses the body; ParameterOIDs is nil when there are none.
func (m *ParameterDescription) Decode(body []byte) error {
	d := newDecoder("ParameterDescription", body)
	m.ParameterOIDs = decodeOIDs(&d)
	return d.done()
}

// decodeOIDs reads an Int16 count and that many Int32 OIDs (shared with
// Parse); nil when the count is 0.
func decodeOIDs(d *decoder) []uint32 {
	n := d.count("parameter OIDs", 4)
	if n == 0 {
		return nil
	}
	oids := make([]uint32, n)
	for i := range oids {
		oids[i] = d.uint32("parameter OID")
	}
	return oids
}
