package pg

import "errors"

// RawBytes is a Rows.Scan destination that receives a column's value as it
// arrived on the wire, without a copy: the slice points into the
// connection's read buffer. It is for callers who parse or forward the
// bytes themselves and want no allocation per value, as database/sql's
// sql.RawBytes.
//
// DANGER: the bytes are valid only until the next call to Next or Close on
// the same Rows (or the end of a range over Rows.All and friends' current
// iteration). The next row's read overwrites them in place, silently: keep
// nothing that aliases a RawBytes past that point, and copy what must
// outlive it (append([]byte(nil), b...), or scan into a []byte instead).
//
// The bytes are in the format the driver asked the server for: the binary
// format for every type with a binary codec (int4 is 4 big-endian bytes,
// text is its UTF-8 bytes), the text format otherwise; Rows.ColumnTypes()[i]
// .HasBinary() tells which. SQL NULL scans as a nil RawBytes, an empty value
// as an empty non-nil one.
//
// Only Rows.Scan takes a RawBytes. QueryRow's Scan, FetchVal, CollectRows
// and CollectOne refuse it, since the bytes would not outlive the call that
// returns them.
type RawBytes []byte

// errRawBytesKept is the error of a helper that would return RawBytes
// after the row they alias is gone.
var errRawBytesKept = errors.New("pg.RawBytes is valid only until the next Rows.Next, so QueryRow's Scan, FetchVal, CollectRows and CollectOne refuse it; scan into []byte, or use Query and Rows.Scan")

// scanRaw stores the wire value src (nil for NULL) into d, unless the rows
// belong to a helper that returns after they are gone.
func (r *Rows) scanRaw(d *RawBytes, src []byte) error {
	if r.refuseRaw {
		return errRawBytesKept
	}
	*d = src
	return nil
}
