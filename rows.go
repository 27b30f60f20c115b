package pg

import (
	"fmt"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// Rows streams a query's result. Call Next until it returns false, then
// check Err; Close releases the connection early (it is safe to call Close
// more than once, and after Next returned false). Until Rows is closed or
// exhausted, its connection refuses other calls with ErrConnBusy.
type Rows struct {
	c      *Conn
	sd     *stmtDesc
	values [][]byte
	tag    CommandTag
	err    error
	done   bool
	// afterClose runs once when the rows are finished (the pool uses it to
	// release the connection).
	afterClose func()
}

// Next advances to the next row. It returns false at the end of the result
// or on error (see Err).
func (r *Rows) Next() bool {
	if r.done {
		return false
	}
	c := r.c
	for {
		typ, body, err := c.receive()
		if err != nil {
			r.finish(err)
			return false
		}
		switch typ {
		case pgproto.MsgDataRow:
			if err := c.dataRow.Decode(body); err != nil {
				r.finish(c.fail("read", err))
				return false
			}
			if len(c.dataRow.Values) != len(r.sd.fields) {
				r.finish(c.fail("read", &pgproto.ProtocolError{Msg: fmt.Sprintf("DataRow has %d values for %d columns", len(c.dataRow.Values), len(r.sd.fields))}))
				return false
			}
			r.values = c.dataRow.Values
			return true
		case pgproto.MsgCommandComplete:
			var cc pgproto.CommandComplete
			if err := cc.Decode(body); err != nil {
				r.finish(c.fail("read", err))
				return false
			}
			r.tag = newCommandTag(cc.CommandTag)
		case pgproto.MsgEmptyQueryResponse, pgproto.MsgPortalSuspended:
		case pgproto.MsgErrorResponse:
			if r.err == nil {
				r.err = c.pgError(body, r.sd.sql)
			}
		case pgproto.MsgReadyForQuery:
			r.finish(c.readyForQuery(body))
			return false
		default:
			r.finish(c.protocolViolation(typ, "query"))
			return false
		}
	}
}

// finish ends the call: the connection is free again.
func (r *Rows) finish(err error) {
	r.done = true
	r.values = nil
	if r.err == nil {
		r.err = err
	}
	r.err = r.c.endCall(r.err)
	if r.afterClose != nil {
		f := r.afterClose
		r.afterClose = nil
		f()
	}
}

// Err is the error that ended iteration, if any.
func (r *Rows) Err() error { return r.err }

// Close discards any remaining rows and frees the connection. It returns
// the same error as Err.
func (r *Rows) Close() error {
	for !r.done {
		r.Next()
	}
	return r.err
}

// CommandTag is the completed command's tag; valid once Next returned false.
func (r *Rows) CommandTag() CommandTag { return r.tag }

// FieldDescriptions describes the result columns.
func (r *Rows) FieldDescriptions() []pgproto.FieldDescription { return r.sd.fields }

// Columns returns the result column names.
func (r *Rows) Columns() []string { return r.sd.cols.Names() }

// RawValues returns the current row's values in their wire format. They
// alias the read buffer: valid until the next call to Next.
func (r *Rows) RawValues() [][]byte { return r.values }

// Scan copies the current row's columns into dest, one pointer per column
// (a nil dest skips its column). The common Go types are decoded without
// allocation; see package codec for every accepted destination.
func (r *Rows) Scan(dest ...any) error {
	if r.values == nil {
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("pg: Scan called without a current row (call Next first)")
	}
	if len(dest) != len(r.values) {
		return fmt.Errorf("pg: Scan got %d destinations for %d columns", len(dest), len(r.values))
	}
	sd := r.sd
	for i, d := range dest {
		if d == nil {
			continue
		}
		if err := codec.ScanValue(sd.colTypes[i], sd.colFormats[i], r.values[i], d); err != nil {
			return &ScanError{Column: i, Name: sd.fields[i].Name, Err: err}
		}
	}
	return nil
}

// Values decodes the current row into each column's default Go type.
func (r *Rows) Values() ([]any, error) {
	if r.values == nil {
		return nil, fmt.Errorf("pg: Values called without a current row (call Next first)")
	}
	out := make([]any, len(r.values))
	sd := r.sd
	for i, v := range r.values {
		x, err := codec.DecodeValue(sd.colTypes[i], sd.colFormats[i], v)
		if err != nil {
			return nil, &ScanError{Column: i, Name: sd.fields[i].Name, Err: err}
		}
		out[i] = x
	}
	return out, nil
}

// Record decodes the current row into a Record.
func (r *Rows) Record() (Record, error) {
	vals, err := r.Values()
	if err != nil {
		return Record{}, err
	}
	return newRecord(r.sd.cols, vals), nil
}
