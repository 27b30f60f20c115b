package pgproto

import "encoding/binary"

// DataRow is one result row: a value per column, in the format the Bind (or,
// for simple queries, text) asked for. A nil value is SQL NULL; an empty
// non-nil value is a zero-length value.
//
// This is the hot path of every query, so Decode allocates nothing once
// Values has capacity for the row: decode successive rows into the same
// DataRow.
type DataRow struct {
	Values [][]byte
}

// Backend identifies DataRow as a server message.
func (*DataRow) Backend() {}

// Encode appends the message to dst.
func (m *DataRow) Encode(dst []byte) ([]byte, error) {
	if err := checkCount("DataRow", "values", len(m.Values)); err != nil {
		return dst, err
	}
	dst, start := BeginMessage(dst, MsgDataRow)
	dst = AppendUint16(dst, uint16(len(m.Values)))
	for _, v := range m.Values {
		dst = AppendValue(dst, v)
	}
	return finishTyped(dst, start)
}

// Decode parses the body, reusing the capacity of m.Values. Each value
// aliases body (capacity clipped, so appending to one cannot clobber the
// next) and is valid only as long as body is: with a Reader, until the next
// read. A row with no columns leaves Values empty (nil on a fresh DataRow).
func (m *DataRow) Decode(body []byte) error {
	if len(body) < 2 {
		return protocolErrorf("DataRow: body of %d bytes has no column count", len(body))
	}
	n := int(binary.BigEndian.Uint16(body))
	// Each value takes at least its 4-byte length: reject a count the body
	// cannot hold before sizing Values by it.
	if n*4 > len(body)-2 {
		return protocolErrorf("DataRow: %d columns cannot fit in %d bytes", n, len(body)-2)
	}
	values := m.Values[:0]
	if cap(values) < n {
		values = make([][]byte, n)
	} else {
		values = values[:n]
	}
	m.Values = values
	pos := 2
	for i := range values {
		if len(body)-pos < 4 {
			return protocolErrorf("DataRow: truncated length of column %d at offset %d", i, pos)
		}
		size := int32(binary.BigEndian.Uint32(body[pos:]))
		pos += 4
		if size < 0 {
			if size != -1 {
				return protocolErrorf("DataRow: column %d has negative length %d", i, size)
			}
			values[i] = nil
			continue
		}
		end := pos + int(size)
		if int(size) > len(body)-pos {
			return protocolErrorf("DataRow: column %d declares %d bytes, only %d remain", i, size, len(body)-pos)
		}
		values[i] = body[pos:end:end]
		pos = end
	}
	if pos != len(body) {
		return protocolErrorf("DataRow: %d unexpected trailing bytes", len(body)-pos)
	}
	return nil
}
