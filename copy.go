package pg

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/wirepg/pg/internal/sqlquote"
)

// CopyOptions are the options of COPY (PostgreSQL 15's full set; see the
// COPY page of the PostgreSQL docs). Zero fields are left out, so the
// server's defaults apply. Options a direction does not accept (WHERE and
// FREEZE for COPY TO, FORCE_QUOTE for COPY FROM) are the server's error.
type CopyOptions struct {
	// Columns limits the COPY to these columns, in this order; each is
	// quoted as an identifier (case-sensitive). Empty means all columns.
	Columns []string
	// Format is "text" (the default), "csv" or "binary".
	Format string
	// Delimiter is the column separator: one character ("," or tab by
	// default).
	Delimiter string
	// Null is the string that stands for NULL; nil means the format's
	// default (\N in text, an unquoted empty string in CSV). Use new("")
	// for an empty string in text format.
	Null *string
	// Header is a header line (text and CSV): written by COPY TO, skipped
	// by COPY FROM. HeaderMatch (COPY FROM, PostgreSQL 15) instead
	// requires it to match the column names.
	Header      bool
	HeaderMatch bool
	// Quote and Escape are CSV's quoting and escape characters.
	Quote  string
	Escape string
	// ForceQuote quotes these columns' non-NULL values (CSV COPY TO);
	// []string{"*"} means every column.
	ForceQuote []string
	// ForceNotNull reads these columns' null strings as empty strings
	// (CSV COPY FROM).
	ForceNotNull []string
	// ForceNull reads these columns' quoted null strings as NULL (CSV
	// COPY FROM).
	ForceNull []string
	// Encoding is the data's encoding when it differs from the client's.
	Encoding string
	// Freeze loads the rows already frozen (COPY FROM into a table created
	// or truncated in the same transaction).
	Freeze bool
	// Where is an SQL condition that filters the rows COPY FROM loads,
	// written as in a WHERE clause. It is sent as SQL text: never build it
	// from untrusted input.
	Where string
}

// withClause renders the WITH (...) option list, or "".
func (o *CopyOptions) withClause() string {
	var opts []string
	if o.Format != "" {
		opts = append(opts, "FORMAT "+sqlquote.Identifier(strings.ToLower(o.Format)))
	}
	if o.Freeze {
		opts = append(opts, "FREEZE")
	}
	if o.Delimiter != "" {
		opts = append(opts, "DELIMITER "+sqlquote.Literal(o.Delimiter))
	}
	if o.Null != nil {
		opts = append(opts, "NULL "+sqlquote.Literal(*o.Null))
	}
	switch {
	case o.HeaderMatch:
		opts = append(opts, "HEADER MATCH")
	case o.Header:
		opts = append(opts, "HEADER")
	}
	if o.Quote != "" {
		opts = append(opts, "QUOTE "+sqlquote.Literal(o.Quote))
	}
	if o.Escape != "" {
		opts = append(opts, "ESCAPE "+sqlquote.Literal(o.Escape))
	}
	if len(o.ForceQuote) == 1 && o.ForceQuote[0] == "*" {
		opts = append(opts, "FORCE_QUOTE *")
	} else if len(o.ForceQuote) > 0 {
		opts = append(opts, "FORCE_QUOTE"+sqlquote.ColumnList(o.ForceQuote))
	}
	if len(o.ForceNotNull) > 0 {
		opts = append(opts, "FORCE_NOT_NULL"+sqlquote.ColumnList(o.ForceNotNull))
	}
	if len(o.ForceNull) > 0 {
		opts = append(opts, "FORCE_NULL"+sqlquote.ColumnList(o.ForceNull))
	}
	if o.Encoding != "" {
		opts = append(opts, "ENCODING "+sqlquote.Literal(o.Encoding))
	}
	if len(opts) == 0 {
		return ""
	}
	return " WITH (" + strings.Join(opts, ", ") + ")"
}

// CopyError is a COPY that failed. Row is the 1-based row of the data
// where known, else 0: for text and CSV data it is the input line the
// server reports (a header line counts). Err is the cause: the server's
// *PgError, the data source's error, or the context's.
type CopyError struct {
	Row int64
	Err error
}

func (e *CopyError) Error() string {
	if e.Row > 0 {
		return fmt.Sprintf("pg: COPY failed at row %d: %v", e.Row, e.Err)
	}
	return "pg: COPY failed: " + e.Err.Error()
}

func (e *CopyError) Unwrap() error { return e.Err }

// copyLineRE finds the line number in the context of a COPY error
// ("COPY t, line 500001, column a: ...").
var copyLineRE = regexp.MustCompile(`\bCOPY [^,]*, line (\d+)`)

// copyError wraps a failed COPY's error with the row number: the one the
// server reports for its own errors, else row.
func copyError(err error, row int64) error {
	if err == nil {
		return nil
	}
	var ce *CopyError
	if errors.As(err, &ce) {
		return err
	}
	var pgErr *PgError
	if errors.As(err, &pgErr) {
		if m := copyLineRE.FindStringSubmatch(pgErr.Where); m != nil {
			if n, perr := strconv.ParseInt(m[1], 10, 64); perr == nil {
				row = n
			}
		}
	}
	var connErr *ConnError
	if errors.As(err, &connErr) || errors.Is(err, ErrConnBusy) || errors.Is(err, ErrConnClosed) {
		return err // not a COPY failure: the connection is gone or busy
	}
	return &CopyError{Row: row, Err: err}
}

// CopyToTable loads r's data into table with COPY FROM STDIN, in
// opts.Format (text by default), and returns the number of rows copied.
// The table is "name" or "schema.name", each part quoted as given (see
// CopyRecordsToTable). Data is streamed in 64 KiB pieces, so memory does
// not grow with its size.
//
// A failure — a bad row the server rejects, r returning an error, ctx
// ending — aborts the COPY (CopyFail), so nothing of it is committed, and
// returns a *CopyError; the connection stays usable.
func (c *Conn) CopyToTable(ctx context.Context, table string, r io.Reader, opts CopyOptions) (int64, error) {
	qt, err := sqlquote.TableName(table)
	if err != nil {
		return 0, err
	}
	sql := "COPY " + qt + sqlquote.ColumnList(opts.Columns) + " FROM STDIN" + opts.withClause()
	if opts.Where != "" {
		sql += " WHERE " + opts.Where
	}
	return c.copyFromReader(ctx, sql, r)
}

func (c *Conn) copyFromReader(ctx context.Context, sql string, r io.Reader) (int64, error) {
	if r == nil {
		return 0, errors.New("pg: CopyToTable needs a reader")
	}
	if err := c.begin(ctx); err != nil {
		return 0, err
	}
	t := c.traceStart(ctx, traceCopy, sql, nil, 0)
	tag, err := c.copyReaderIn(ctx, sql, r)
	err = c.endCall(copyError(err, 0))
	c.traceEnd(&t, sql, nil, tag, err)
	return tag.RowsAffected(), err
}

func (c *Conn) copyReaderIn(ctx context.Context, sql string, r io.Reader) (CommandTag, error) {
	s, err := c.startCopyIn(ctx, sql)
	if err != nil {
		return CommandTag{}, err
	}
	for {
		b := s.buf()
		if cap(b)-len(b) < copyChunk/2 {
			b = append(b[:len(b):len(b)], make([]byte, copyChunk)...)[:len(b)]
		}
		n, rerr := r.Read(b[len(b):cap(b)])
		more, err := s.setBuf(b[:len(b)+n])
		if err != nil {
			return s.finish(err)
		}
		if !more {
			return s.finish(nil)
		}
		if rerr == io.EOF {
			return s.finish(nil)
		}
		if rerr != nil {
			return s.finish(fmt.Errorf("reading the data failed: %w", rerr))
		}
	}
}

// CopyFromTable writes table's rows to w with COPY TO STDOUT in
// opts.Format and returns the number of rows copied. Data is streamed as
// it arrives; memory does not grow with its size. When w fails, the COPY
// is cancelled on the server and w's error returned; the connection stays
// usable.
func (c *Conn) CopyFromTable(ctx context.Context, table string, w io.Writer, opts CopyOptions) (int64, error) {
	qt, err := sqlquote.TableName(table)
	if err != nil {
		return 0, err
	}
	if opts.Where != "" {
		return 0, errors.New("pg: CopyOptions.Where applies to COPY FROM only; use CopyFromQuery with a WHERE clause")
	}
	sql := "COPY " + qt + sqlquote.ColumnList(opts.Columns) + " TO STDOUT" + opts.withClause()
	return c.copyOutTo(ctx, sql, nil, w)
}

// CopyFromQuery writes the result of the query sql to w with
// COPY (sql) TO STDOUT in opts.Format and returns the number of rows.
// COPY cannot take parameters, so args are rendered into the query as
// literals of their parameter types by the server itself (one extra round
// trip), as asyncpg does. opts.Columns and opts.Where do not apply.
func (c *Conn) CopyFromQuery(ctx context.Context, sql string, w io.Writer, opts CopyOptions, args ...any) (int64, error) {
	if len(opts.Columns) > 0 || opts.Where != "" {
		return 0, errors.New("pg: CopyOptions.Columns and Where do not apply to CopyFromQuery; put them in the query")
	}
	if len(args) > 0 {
		var err error
		if sql, err = c.inlineArgs(ctx, sql, args); err != nil {
			return 0, err
		}
	}
	return c.copyOutTo(ctx, "COPY ("+sql+") TO STDOUT"+opts.withClause(), args, w)
}
