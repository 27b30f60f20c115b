package pgproto

import (
	"slices"
	"strconv"
	"strings"
)

// ErrorResponse reports an error; the server then abandons the current
// command (and, in an extended-query batch, everything up to the next Sync).
// Each field is one of the "Error and Notice Message Fields" of the protocol
// documentation, named after it; "" or 0 means the server did not send it.
// Position, InternalPosition and Line arrive as decimal text and are parsed.
// Fields with codes this package does not know are kept in UnknownFields
// (nil when there are none), since the documentation promises new codes may
// be added.
type ErrorResponse struct {
	Severity            string // 'S': ERROR, FATAL, PANIC (or WARNING, NOTICE, ... in a NoticeResponse), localized
	SeverityUnlocalized string // 'V': Severity never localized (PostgreSQL 9.6+)
	Code                string // 'C': SQLSTATE
	Message             string // 'M'
	Detail              string // 'D'
	Hint                string // 'H'
	Position            int32  // 'P': 1-based character (not byte) index into the query string
	InternalPosition    int32  // 'p': like Position, into InternalQuery
	InternalQuery       string // 'q': text of an internally generated command that failed
	Where               string // 'W': context, such as a PL/pgSQL call stack
	SchemaName          string // 's'
	TableName           string // 't'
	ColumnName          string // 'c'
	DataTypeName        string // 'd'
	ConstraintName      string // 'n'
	File                string // 'F': server source file
	Line                int32  // 'L': server source line
	Routine             string // 'R': server source routine
	UnknownFields       map[byte]string
}

// Backend identifies ErrorResponse as a server message.
func (*ErrorResponse) Backend() {}

// Encode appends the message to dst. Empty and zero fields are omitted;
// UnknownFields are written in byte order after the known ones, and may not
// use a known code or 0.
func (m *ErrorResponse) Encode(dst []byte) ([]byte, error) {
	return m.encode(dst, MsgErrorResponse, "ErrorResponse")
}

// Decode parses the body into new strings (nothing aliases body). A field
// that appears twice keeps its last value; a malformed integer field is an
// error.
func (m *ErrorResponse) Decode(body []byte) error {
	return m.decode(body, "ErrorResponse")
}

// stringField returns a pointer to the string field with the given code, or
// nil for the integer fields and unknown codes.
func (m *ErrorResponse) stringField(code byte) *string {
	switch code {
	case 'S':
		return &m.Severity
	case 'V':
		return &m.SeverityUnlocalized
	case 'C':
		return &m.Code
	case 'M':
		return &m.Message
	case 'D':
		return &m.Detail
	case 'H':
		return &m.Hint
	case 'q':
		return &m.InternalQuery
	case 'W':
		return &m.Where
	case 's':
		return &m.SchemaName
	case 't':
		return &m.TableName
	case 'c':
		return &m.ColumnName
	case 'd':
		return &m.DataTypeName
	case 'n':
		return &m.ConstraintName
	case 'F':
		return &m.File
	case 'R':
		return &m.Routine
	}
	return nil
}

// intField returns a pointer to the integer field with the given code, or nil.
func (m *ErrorResponse) intField(code byte) *int32 {
	switch code {
	case 'P':
		return &m.Position
	case 'p':
		return &m.InternalPosition
	case 'L':
		return &m.Line
	}
	return nil
}

// errorFieldOrder is the order in which Encode writes the known fields; it
// matches the order PostgreSQL's send_message_to_frontend uses.
const errorFieldOrder = "SVCMDHPpqWstcdnFLR"

func (m *ErrorResponse) encode(dst []byte, typ byte, msg string) ([]byte, error) {
	for i := 0; i < len(errorFieldOrder); i++ {
		if p := m.stringField(errorFieldOrder[i]); p != nil && strings.IndexByte(*p, 0) >= 0 {
			return dst, checkCString(msg, "field "+string(rune(errorFieldOrder[i])), *p)
		}
	}
	for code, v := range m.UnknownFields {
		if code == 0 || m.stringField(code) != nil || m.intField(code) != nil {
			return dst, encodeErrorf("%s: UnknownFields uses field code %q, which is 0 or a known field", msg, rune(code))
		}
		if err := checkCString(msg, "field "+string(rune(code)), v); err != nil {
			return dst, err
		}
	}
	dst, start := BeginMessage(dst, typ)
	for i := 0; i < len(errorFieldOrder); i++ {
		code := errorFieldOrder[i]
		if p := m.stringField(code); p != nil {
			if *p != "" {
				dst = append(dst, code)
				dst = AppendCString(dst, *p)
			}
		} else if v := *m.intField(code); v != 0 {
			dst = append(dst, code)
			dst = strconv.AppendInt(dst, int64(v), 10)
			dst = append(dst, 0)
		}
	}
	if len(m.UnknownFields) > 0 {
		codes := make([]byte, 0, len(m.UnknownFields))
		for code := range m.UnknownFields {
			codes = append(codes, code)
		}
		slices.Sort(codes)
		for _, code := range codes {
			dst = append(dst, code)
			dst = AppendCString(dst, m.UnknownFields[code])
		}
	}
	dst = append(dst, 0)
	return finishTyped(dst, start)
}

func (m *ErrorResponse) decode(body []byte, msg string) error {
	*m = ErrorResponse{}
	d := newDecoder(msg, body)
	for {
		code := d.byte1("field code")
		if d.err != nil || code == 0 {
			break
		}
		v := d.cstring("field value")
		if d.err != nil {
			break
		}
		if p := m.stringField(code); p != nil {
			*p = v
		} else if p := m.intField(code); p != nil {
			n, err := parseInt32Field(msg, code, v)
			if err != nil {
				return err
			}
			*p = n
		} else {
			if m.UnknownFields == nil {
				m.UnknownFields = make(map[byte]string)
			}
			m.UnknownFields[code] = v
		}
	}
	return d.done()
}
