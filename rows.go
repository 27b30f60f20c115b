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
	c  *Conn
	sd *stmtDesc
	// onRow says whether there is a current row, which is then in the
	// connection's rowIndex.
	onRow bool
	tag   CommandTag
	err   error
	done  bool
	// afterClose runs once when the rows are finished (the pool uses it to
	// release the connection).
	afterClose func()
	// args are for the Tracer and the query loggers; the call's
	// callTrace waits in Conn.rowsTrace (trace_call.go).
	args []any
	// batch, when set, makes these the rows of one SendBatch statement:
	// they end at its CommandComplete (or error) and the batch keeps the
	// connection.
	batch *BatchResults
	// tx, when set, is told of the error that ends the rows, so that its
	// Commit reports it (Tx.Query).
	tx *Tx
	// refuseRaw makes Scan refuse RawBytes: the rows belong to a helper
	// (QueryRow, FetchVal, CollectRows) that returns after they are gone.
	refuseRaw bool
}

// Next advances to the next row. It returns false at the end of the result
// or on error (see Err).
func (r *Rows) Next() bool {
	r.onRow = false
	if r.done {
		return false
	}
	c := r.c
	// A DataRow already in the read buffer needs none of receive's
	// routing (it is neither asynchronous nor a reply receive absorbs).
	if body, ok := c.r.ReadBuffered(pgproto.MsgDataRow); ok {
		return r.takeRow(body)
	}
	for {
		typ, body, err := c.receive()
		if err != nil {
			r.finish(err)
			return false
		}
		switch typ {
		case pgproto.MsgDataRow:
			return r.takeRow(body)
		case pgproto.MsgCommandComplete:
			if r.tag, err = c.commandTag(body); err != nil {
				r.finish(err)
				return false
			}
			if r.batch != nil {
				r.finish(nil)
				return false
			}
		case pgproto.MsgEmptyQueryResponse, pgproto.MsgPortalSuspended:
			if r.batch != nil && typ == pgproto.MsgEmptyQueryResponse {
				r.finish(nil)
				return false
			}
		case pgproto.MsgErrorResponse:
			if r.err == nil {
				r.err = c.pgError(body, r.sd.sql)
			}
			if r.batch != nil {
				r.finish(nil)
				return false
			}
		case pgproto.MsgReadyForQuery:
			if r.batch != nil {
				r.batch.ready = true
			}
			r.finish(c.readyForQuery(body))
			return false
		default:
			r.finish(c.protocolViolation(typ, "query"))
			return false
		}
	}
}

// takeRow makes the DataRow body the current row.
func (r *Rows) takeRow(body []byte) bool {
	c := r.c
	if err := c.rowIndex.Index(body); err != nil {
		r.finish(c.fail("read", err))
		return false
	}
	if n := c.rowIndex.Len(); n != len(r.sd.fields) {
		r.finish(c.fail("read", &pgproto.ProtocolError{Msg: fmt.Sprintf("DataRow has %d values for %d columns", n, len(r.sd.fields))}))
		return false
	}
	r.onRow = true
	return true
}

// finish ends the call: the connection is free again (for a batch's
// rows, the batch goes on to its next statement instead).
func (r *Rows) finish(err error) {
	r.done = true
	r.onRow = false
	if r.err == nil {
		r.err = err
	}
	t := r.c.takeRowsTrace()
	if r.batch != nil {
		r.c.traceEnd(&t, r.sd.sql, r.args, r.tag, r.err)
		r.batch.itemDone(r.err)
		return
	}
	r.err = r.c.endCall(r.err)
	r.c.traceEnd(&t, r.sd.sql, r.args, r.tag, r.err)
	if r.tx != nil {
		r.tx.note(r.err)
	}
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

// FieldDescriptions describes the result columns in the wire protocol's
// terms. The slice belongs to the statement: do not modify it.
//
// Deprecated: use ColumnInfo, which gives the same facts as pg.Column
// (as Stmt.Columns does) plus the type's name, without the pgproto type.
func (r *Rows) FieldDescriptions() []pgproto.FieldDescription { return r.sd.fields }

// Columns returns the result column names.
func (r *Rows) Columns() []string { return r.sd.cols.Names() }

// RawValues returns the current row's values in their wire format. They
// alias the read buffer, and the slice is reused: valid until the next call
// to Next.
func (r *Rows) RawValues() [][]byte {
	if !r.onRow {
		return nil
	}
	c := r.c
	c.rawValues = c.rowIndex.AppendValues(c.rawValues[:0])
	return c.rawValues
}

// Scan copies the current row's columns into dest, one pointer per column
// (a nil dest skips its column). The common Go types are decoded without
// allocation; see package codec for every accepted destination.
func (r *Rows) Scan(dest ...any) error {
	if !r.onRow {
		if r.err != nil {
			return r.err
		}
		return fmt.Errorf("pg: Scan called without a current row (call Next first)")
	}
	row := &r.c.rowIndex
	if len(dest) != row.Len() {
		return fmt.Errorf("pg: Scan got %d destinations for %d columns", len(dest), row.Len())
	}
	sd := r.sd
	scans := sd.colScans[:len(dest)] // Next checked the row's width
	for i, d := range dest {
		if d == nil {
			continue
		}
		src := row.Value(i)
		ok, err := false, error(nil)
		if rb, isRaw := d.(*RawBytes); isRaw {
			ok, err = true, r.scanRaw(rb, src)
		} else if scan := scans[i]; scan != nil && src != nil {
			// codec.ScanValue's first step, looked up once per statement;
			// inline here, since a call per value is what it saves.
			ok, err = scan(src, d)
		}
		if !ok {
			err = codec.ScanValue(sd.colTypes[i], sd.colFormats[i], src, d)
		}
		if err != nil {
			return r.c.noteDecodeError(&ScanError{Column: i, Name: sd.fields[i].Name, Err: err})
		}
	}
	return nil
}

// Values decodes the current row into each column's default Go type.
func (r *Rows) Values() ([]any, error) {
	if !r.onRow {
		return nil, fmt.Errorf("pg: Values called without a current row (call Next first)")
	}
	vals, err := decodeValues(r.sd, r.RawValues())
	return vals, r.c.noteDecodeError(err)
}

// decodeValues decodes a row's wire values into each column's default Go
// type.
func decodeValues(sd *stmtDesc, values [][]byte) ([]any, error) {
	out := make([]any, len(values))
	for i, v := range values {
		x, err := codec.DecodeValue(sd.colTypes[i], sd.colFormats[i], v)
		if err != nil {
			return nil, &ScanError{Column: i, Name: sd.fields[i].Name, Err: err}
		}
		out[i] = x
	}
	return out, nil
}

// decodeRecord decodes a row's wire values into a Record.
func decodeRecord(sd *stmtDesc, values [][]byte) (Record, error) {
	if len(values) != len(sd.fields) {
		return Record{}, fmt.Errorf("pg: the server sent a row of %d values for %d columns", len(values), len(sd.fields))
	}
	vals, err := decodeValues(sd, values)
	if err != nil {
		return Record{}, err
	}
	return newRecord(sd.cols, vals), nil
}

// Record decodes the current row into a Record.
func (r *Rows) Record() (Record, error) {
	vals, err := r.Values()
	if err != nil {
		return Record{}, err
	}
	return newRecord(r.sd.cols, vals), nil
}

// ColumnInfo describes the result columns (name, type, source table
// column) as Stmt.Columns does; Columns gives only their names. It builds
// a new slice at each call.
func (r *Rows) ColumnInfo() []Column { return describeColumns(r.sd) }
