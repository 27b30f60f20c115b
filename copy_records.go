package pg

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/internal/sqlquote"
)

// copyBinaryHeader starts a binary COPY stream: the signature, flags and
// header extension length (see "Binary Format" on the COPY page).
var copyBinaryHeader = []byte("PGCOPY\n\xff\r\n\x00\x00\x00\x00\x00\x00\x00\x00\x00")

// CopyRecordsToTable loads rows into table's columns with COPY FROM STDIN
// in the binary format and returns the number of rows copied, like
// asyncpg's copy_records_to_table. It is the fastest way to load data.
//
// table is "name" or "schema.name"; each part is quoted as given, so it is
// case-sensitive and may hold any character, and a part already in double
// quotes is taken as written (`public."my.table"`). columns are quoted
// the same way; empty means all of the table's columns in order. The
// column types are learned by describing a SELECT of those columns, which
// the statement cache keeps, so repeated loads into a table cost no extra
// round trip.
//
// Values are encoded by the column type's binary codec (the Go types
// Exec accepts); a value given as a string in the type's text form is
// converted when the type has a text decoder. Rows stream out in 64 KiB
// pieces, so memory does not grow with the source. A failure — a value
// that cannot be encoded, a row with the wrong number of values, the
// source's error, a row the server rejects, ctx ending — aborts the whole
// COPY (nothing is committed) and returns a *CopyError with the 1-based
// row; the connection stays usable.
func (c *Conn) CopyRecordsToTable(ctx context.Context, table string, columns []string, src CopySource) (int64, error) {
	qt, err := sqlquote.TableName(table)
	if err != nil {
		return 0, err
	}
	if src == nil {
		return 0, errors.New("pg: CopyRecordsToTable needs a source: pg.CopyFromRows, CopyFromSeq or CopyFromFunc")
	}
	if err := c.begin(ctx); err != nil {
		return 0, err
	}
	var t callTrace
	if c.traced() { // the SQL is built only for observers
		t = c.traceStart(ctx, traceCopy, "COPY "+qt+sqlquote.ColumnList(columns)+" FROM STDIN (FORMAT binary)", nil, 0)
	}
	sql, tag, err := c.copyRecords(ctx, qt, columns, src)
	err = c.endCall(err)
	c.traceEnd(&t, sql, nil, tag, err)
	return tag.RowsAffected(), err
}

func (c *Conn) copyRecords(ctx context.Context, qt string, columns []string, src CopySource) (string, CommandTag, error) {
	probe := "SELECT * FROM " + qt + " LIMIT 0"
	if len(columns) > 0 {
		list := sqlquote.ColumnList(columns) // " (a, b)"
		probe = "SELECT " + list[2:len(list)-1] + " FROM " + qt + " LIMIT 0"
	}
	sd, err := c.stmtFor(probe)
	if err != nil {
		return "", CommandTag{}, err
	}
	if len(columns) == 0 {
		for _, f := range sd.fields {
			columns = append(columns, f.Name)
		}
	}
	sql := "COPY " + qt + sqlquote.ColumnList(columns) + " FROM STDIN (FORMAT binary)"
	s, err := c.startCopyIn(ctx, sql)
	if err != nil {
		c.evictStmt(probe)
		return sql, CommandTag{}, err
	}
	enc := recordEncoder{s: s, types: sd.colTypes, names: columns}
	b := append(s.buf(), copyBinaryHeader...)
	if _, err := s.setBuf(b); err != nil {
		tag, err := s.finish(err)
		return sql, tag, copyError(err, 0)
	}
	err = src.EachRow(enc.row)
	if err == nil && !s.stopped() {
		b = binary.BigEndian.AppendUint16(s.buf(), 0xffff) // the trailer
		if _, err = s.setBuf(b); err != nil {
			enc.streamErr = err
		}
	}
	if errors.Is(err, errCopyStopped) {
		err = nil // the server's error is returned by finish
	}
	var row int64
	switch {
	case enc.streamErr != nil:
		// The connection or ctx failed while the rows went out: not the
		// source's failure, whatever the source made of the error (even
		// if it dropped it).
		err = enc.streamErr
	case err == nil:
	case enc.encodeFailed:
		row = enc.n
	default:
		err = fmt.Errorf("the row source failed: %w", err)
	}
	tag, err := s.finish(err)
	if err != nil {
		// A table altered since its column types were learned fails
		// here; describe it afresh next time.
		c.evictStmt(probe)
	}
	return sql, tag, copyError(err, row)
}

// errCopyStopped stops the source when the server has failed the COPY.
var errCopyStopped = errors.New("pg: the server ended the COPY")

// recordEncoder appends rows in the binary COPY format.
type recordEncoder struct {
	s            *copyInStream
	types        []*codec.Type
	names        []string
	n            int64 // rows emitted so far, the current one included
	encodeFailed bool
	streamErr    error // sending failed: the connection broke or ctx ended
}

func (e *recordEncoder) row(vals []any) error {
	e.n++
	if len(vals) != len(e.types) {
		e.encodeFailed = true
		return fmt.Errorf("the row has %d values for %d columns", len(vals), len(e.types))
	}
	b := e.s.buf()
	mark := len(b)
	b = binary.BigEndian.AppendUint16(b, uint16(len(vals)))
	for i, v := range vals {
		lenAt := len(b)
		b = append(b, 0, 0, 0, 0)
		out, null, err := encodeBinary(e.types[i], b, v)
		if err != nil {
			e.encodeFailed = true
			e.s.c.wbuf = b[:mark]
			return fmt.Errorf("column %q: %w", e.names[i], err)
		}
		if null {
			binary.BigEndian.PutUint32(out[lenAt:], math.MaxUint32)
			b = out
			continue
		}
		n := len(out) - lenAt - 4
		if n > math.MaxInt32 {
			e.encodeFailed = true
			e.s.c.wbuf = b[:mark]
			return fmt.Errorf("column %q: %w", e.names[i], errValueTooLarge)
		}
		binary.BigEndian.PutUint32(out[lenAt:], uint32(n))
		b = out
	}
	more, err := e.s.setBuf(b)
	if err != nil {
		e.streamErr = err
		return err
	}
	if !more {
		return errCopyStopped
	}
	return nil
}

// encodeBinary appends v in t's binary format. A value the binary codec
// does not take but the text codec does (a string in the type's text
// form) is parsed by the text codec and encoded again in binary. An error
// quotes the value cut short (valueError).
func encodeBinary(t *codec.Type, dst []byte, v any) ([]byte, bool, error) {
	if t == nil || t.Binary == nil || t.Binary.Encode == nil {
		name := "this type"
		if t != nil {
			name = t.Name
		}
		return dst, false, fmt.Errorf("%s has no binary codec, so it cannot be loaded with CopyRecordsToTable; use CopyToTable with the text or CSV format", name)
	}
	out, format, null, err := codec.EncodeValue(t, dst, v)
	if err != nil {
		var text string
		switch v := v.(type) {
		case string:
			text = v
		case []byte:
			text = string(v)
		}
		return out, null, newValueError("", text, err)
	}
	if null || format == codec.BinaryFormat {
		return out, null, nil
	}
	// The value went out as text: read it back through the text codec.
	text := string(out[len(dst):])
	if t.Text == nil || t.Text.Decode == nil {
		return dst, false, fmt.Errorf("cannot encode Go type %T as binary %s; pass the type's Go value", v, t.Name)
	}
	val, err := t.Text.Decode([]byte(text))
	if err != nil {
		return dst, false, newValueError(fmt.Sprintf("%T value %q is not valid %s text: ", v, cutText(text, valueQuoteMax), t.Name), text, err)
	}
	out, err = t.Binary.Encode(dst, val)
	if err != nil {
		return dst, false, newValueError(fmt.Sprintf("cannot encode Go type %T as binary %s: ", v, t.Name), text, err)
	}
	return out, false, nil
}

// valueQuoteMax bounds how much of a value an error quotes, and
// valueErrorMax the whole message: a row's error is logged, and travels in
// CopyFail, where a value of megabytes has no place.
const (
	valueQuoteMax = 64
	valueErrorMax = 1024
)

// valueError is the error of one value: prefix, then err's message with
// the value's text (which codec errors may quote whole) cut to
// valueQuoteMax bytes. Unwrap gives err itself.
type valueError struct {
	msg string
	err error
}

func newValueError(prefix, text string, err error) error {
	msg := err.Error()
	if len(text) > valueQuoteMax {
		msg = strings.ReplaceAll(msg, text, cutText(text, valueQuoteMax))
	}
	return &valueError{msg: cutText(prefix+msg, valueErrorMax), err: err}
}

func (e *valueError) Error() string { return e.msg }
func (e *valueError) Unwrap() error { return e.err }
