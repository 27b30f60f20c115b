package pgproto

// FieldDescription describes one result column.
type FieldDescription struct {
	Name                 string
	TableOID             uint32 // 0 when the column is not a plain table column
	TableAttributeNumber uint16 // column number within that table; 0 when TableOID is 0
	DataTypeOID          uint32
	DataTypeSize         int16 // pg_type.typlen: negative for variable-width types
	TypeModifier         int32 // pg_attribute.atttypmod, e.g. varchar length + 4; -1 when none
	Format               int16 // 0 text, 1 binary; always 0 in the reply to Describe of a statement
}

// fieldDescriptionMinSize is the wire size of a field with an empty name.
const fieldDescriptionMinSize = 1 + 4 + 2 + 4 + 2 + 4 + 2

// RowDescription describes the columns of the rows that follow (or would
// follow, in the reply to Describe).
type RowDescription struct {
	Fields []FieldDescription
}

// Backend identifies RowDescription as a server message.
func (*RowDescription) Backend() {}

// Encode appends the message to dst.
func (m *RowDescription) Encode(dst []byte) ([]byte, error) {
	if err := checkCount("RowDescription", "fields", len(m.Fields)); err != nil {
		return dst, err
	}
	for i := range m.Fields {
		if err := checkCString("RowDescription", "field name", m.Fields[i].Name); err != nil {
			return dst, err
		}
	}
	dst, start := BeginMessage(dst, MsgRowDescription)
	dst = AppendUint16(dst, uint16(len(m.Fields)))
	for i := range m.Fields {
		f := &m.Fields[i]
		dst = AppendCString(dst, f.Name)
		dst = AppendUint32(dst, f.TableOID)
		dst = AppendUint16(dst, f.TableAttributeNumber)
		dst = AppendUint32(dst, f.DataTypeOID)
		dst = AppendInt16(dst, f.DataTypeSize)
		dst = AppendInt32(dst, f.TypeModifier)
		dst = AppendInt16(dst, f.Format)
	}
	return finishTyped(dst, start)
}

// Decode parses the body into a new Fields slice (nil when there are no
// columns), so a RowDescription kept by a statement cache is never
// overwritten by a later one. Names are new strings.
func (m *RowDescription) Decode(body []byte) error {
	d := newDecoder("RowDescription", body)
	n := d.count("fields", fieldDescriptionMinSize)
	m.Fields = nil
	if n > 0 {
		m.Fields = make([]FieldDescription, n)
		for i := range m.Fields {
			f := &m.Fields[i]
			f.Name = d.cstring("field name")
			f.TableOID = d.uint32("table OID")
			f.TableAttributeNumber = d.uint16("table attribute number")
			f.DataTypeOID = d.uint32("data type OID")
			f.DataTypeSize = d.int16("data type size")
			f.TypeModifier = d.int32("type modifier")
			f.Format = d.int16("format code")
		}
	}
	return d.done()
}
