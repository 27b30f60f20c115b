package pgproto

import "encoding/binary"

// DataRowIndex decodes a DataRow body as DataRow.Decode does, with the
// same checks and errors, but records where each value lies in the body
// instead of slicing it: one uint64 per column and no pointer stored, so
// decoding a row costs no garbage-collector write barrier and half the
// memory traffic. Value(i) slices the body on demand. It is the driver's
// hot path; DataRow stays the message's plain form.
//
// Values alias the body and are valid only as long as it is.
type DataRowIndex struct {
	body []byte
	// spans holds, per column, the value's offset in body (high 32 bits)
	// and its length (low 32 bits, all ones for NULL).
	spans []uint64
}

const nullSpan = 0xFFFFFFFF

// Index indexes body, reusing the index's capacity. On error the index
// is empty.
func (m *DataRowIndex) Index(body []byte) error {
	m.body = body
	m.spans = m.spans[:0]
	if len(body) < 2 {
		return protocolErrorf("DataRow: body of %d bytes has no column count", len(body))
	}
	n := int(binary.BigEndian.Uint16(body))
	if n*4 > len(body)-2 {
		return protocolErrorf("DataRow: %d columns cannot fit in %d bytes", n, len(body)-2)
	}
	spans := m.spans
	if cap(spans) < n {
		spans = make([]uint64, n)
	} else {
		spans = spans[:n]
	}
	pos := 2
	for i := range spans {
		if len(body)-pos < 4 {
			return protocolErrorf("DataRow: truncated length of column %d at offset %d", i, pos)
		}
		size := int32(binary.BigEndian.Uint32(body[pos:]))
		pos += 4
		if size < 0 {
			if size != -1 {
				return protocolErrorf("DataRow: column %d has negative length %d", i, size)
			}
			spans[i] = nullSpan
			continue
		}
		if int(size) > len(body)-pos {
			return protocolErrorf("DataRow: column %d declares %d bytes, only %d remain", i, size, len(body)-pos)
		}
		spans[i] = uint64(pos)<<32 | uint64(size)
		pos += int(size)
	}
	if pos != len(body) {
		return protocolErrorf("DataRow: %d unexpected trailing bytes", len(body)-pos)
	}
	m.spans = spans
	return nil
}

// Len is the number of columns in the row.
func (m *DataRowIndex) Len() int { return len(m.spans) }

// Value is column i's value: nil for NULL, else a slice of the body with
// its capacity clipped (appending to it cannot clobber the next value).
func (m *DataRowIndex) Value(i int) []byte {
	s := m.spans[i]
	if uint32(s) == nullSpan {
		return nil
	}
	start := int(s >> 32)
	end := start + int(uint32(s))
	return m.body[start:end:end]
}

// AppendValues appends every value, as Value returns them, to dst.
func (m *DataRowIndex) AppendValues(dst [][]byte) [][]byte {
	for i := range m.spans {
		dst = append(dst, m.Value(i))
	}
	return dst
}
