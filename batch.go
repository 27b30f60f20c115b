package pg

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wirepg/pg/pgproto"
)

// Batch is a list of statements sent together by SendBatch. The zero
// value is an empty batch.
type Batch struct {
	items []batchItem
}

type batchItem struct {
	sql  string
	args []any
}

// Queue adds a statement with its arguments.
func (b *Batch) Queue(sql string, args ...any) {
	b.items = append(b.items, batchItem{sql: sql, args: args})
}

// Len is the number of queued statements.
func (b *Batch) Len() int { return len(b.items) }

// errBatchSkipped is the error of a batch statement that did not run
// because an earlier one failed.
var errBatchSkipped = errors.New("pg: skipped: an earlier statement of the batch failed")

// ErrBatchClosed is returned by BatchResults after Close.
var ErrBatchClosed = errors.New("pg: the batch results are closed")

// batchWriteInline is the largest batch written before its results are
// read; a larger one is written by a goroutine while the results are read,
// so that neither side can block the other.
const batchWriteInline = 64 << 10

// BatchResults reads the results of a SendBatch, one statement at a time
// in the order they were queued. It holds the connection until Close,
// which must be called.
type BatchResults struct {
	c        *Conn
	items    []batchItem
	sds      []*stmtDesc
	next     int   // the next statement whose result is read
	rows     *Rows // the current statement's rows, while open
	failed   error // the first server error
	failedAt int
	broken   error // the connection failed
	ready    bool  // ReadyForQuery has been read
	writing  chan error
	wbuf     []byte // the write buffer, while the writer goroutine has it
	closed   bool
	closeErr error
	trace    callTrace // the batch's; its statements' events carry its ctx
	// afterClose runs once Close has ended the call (Pool.SendBatch
	// releases its connection there).
	afterClose func()
}

// SendBatch sends every statement of b in one pipeline — Bind and
// Execute for each, then a single Sync — and returns their results to
// read in order. Statements not in the statement cache are prepared
// first (one round trip each). Like ExecMany the batch runs as one
// implicit transaction unless one is open: when a statement fails, the
// ones after it are skipped and, outside an explicit transaction, none of
// the batch is committed.
//
// A statement that does not parse, or arguments that cannot be encoded,
// fail SendBatch itself with a *BatchError before anything runs.
func (c *Conn) SendBatch(ctx context.Context, b *Batch) (*BatchResults, error) {
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	br := &BatchResults{c: c}
	if b != nil {
		br.items = b.items
	}
	br.trace = c.traceStart(ctx, traceBatch, "", nil, len(br.items))
	if len(br.items) == 0 {
		br.closed = true
		err := c.endCall(nil)
		c.traceEnd(&br.trace, "", nil, CommandTag{}, err)
		return br, err
	}
	if err := br.send(); err != nil {
		err = c.endCall(err)
		c.traceEnd(&br.trace, "", nil, CommandTag{}, err)
		return nil, err
	}
	return br, nil
}

// send prepares what is not cached and writes the pipeline.
func (br *BatchResults) send() error {
	c := br.c
	for i, it := range br.items {
		if err := checkArgCount(len(it.args)); err != nil {
			return &BatchError{Index: i, Err: err}
		}
	}
	if err := br.prepare(); err != nil {
		return err
	}
	c.beginRequest()
	for i, it := range br.items {
		if err := c.appendBindUnit(br.sds[i], "", it.args, false); err != nil {
			c.wbuf = c.wbuf[:0]
			return &BatchError{Index: i, Err: err}
		}
		c.wbuf, _ = (&pgproto.Execute{}).Encode(c.wbuf)
	}
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if len(c.wbuf) <= batchWriteInline {
		if err := c.flush(); err != nil {
			return err
		}
		return c.requestSent()
	}
	// The writer owns the buffer until it is done; nothing else writes
	// meanwhile, as the batch holds the connection.
	br.wbuf, c.wbuf = c.wbuf, nil
	br.writing = make(chan error, 1)
	conn, buf := c.netConn, br.wbuf
	go func() {
		_, err := conn.Write(buf)
		br.writing <- err
	}()
	if err := c.requestSent(); err != nil {
		br.waitWriter()
		return err
	}
	return nil
}

// prepare finds each statement in the cache or prepares it: all the
// missing ones in one round trip (Parse and Describe each, one Sync).
// They are cached when they all fit in the cache at once; otherwise
// caching one could evict (and close) another the batch still needs, so
// they are only described (and closed in the same unit) and the pipeline
// parses each again in front of its Bind as the unnamed statement, which
// also keeps the batch self-contained behind a pooler.
func (br *BatchResults) prepare() error {
	c := br.c
	br.sds = make([]*stmtDesc, len(br.items))
	var missing []int // the first item of each SQL not in the cache
	first := make(map[string]int)
	for i, it := range br.items {
		if j, seen := first[it.sql]; seen {
			br.sds[i] = br.sds[j]
			continue
		}
		first[it.sql] = i
		if sd := c.cachedStmt(it.sql); sd != nil {
			br.sds[i] = sd
			continue
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return nil
	}
	cache := c.stmts != nil && len(first) <= c.stmts.Cap()
	names := make([]string, len(missing))
	keep := make([]bool, len(missing))
	c.beginRequest()
	for k, i := range missing {
		sql := br.items[i].sql
		keep[k] = cache && c.cacheable(sql)
		if keep[k] {
			names[k] = stmtName("pgs_", sql)
		} else {
			names[k] = stmtName("pgb_", sql)
		}
		// Close first: the name is the SQL's (stmtName), and behind a
		// pooler the server connection may hold it already.
		c.wbuf = appendCloseStatement(c.wbuf, names[k])
		var err error
		if c.wbuf, err = (&pgproto.Parse{Name: names[k], Query: sql}).Encode(c.wbuf); err != nil {
			c.wbuf = c.wbuf[:0]
			return &BatchError{Index: i, Err: err}
		}
		c.wbuf, _ = (&pgproto.Describe{ObjectType: 'S', Name: names[k]}).Encode(c.wbuf)
		if !keep[k] {
			c.wbuf = appendCloseStatement(c.wbuf, names[k])
		}
	}
	c.wbuf, _ = (&pgproto.Sync{}).Encode(c.wbuf)
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.requestSent(); err != nil {
		return err
	}
	sds, described, err := c.readDescriptions(missing, names, br.items)
	// Every statement parsed and kept exists on the server: cache the
	// described ones, close the others.
	bySQL := make(map[string]*stmtDesc, len(sds))
	for k, sd := range sds {
		switch {
		case sd == nil:
		case !keep[k]:
			sd.name = "" // closed above; run as the unnamed statement
			bySQL[sd.sql] = sd
		case k >= described:
			c.queueClose(sd.name)
		default:
			sd.sqlNamed = true
			c.addStmt(sd)
			bySQL[sd.sql] = sd
		}
	}
	if err != nil {
		if described < len(missing) {
			return &BatchError{Index: missing[described], Err: err}
		}
		return err
	}
	for i, it := range br.items {
		if br.sds[i] == nil {
			br.sds[i] = bySQL[it.sql]
		}
	}
	return nil
}

// readDescriptions reads the replies to prepare's Parse/Describe pipeline
// up to ReadyForQuery. It returns the statements parsed, in the order
// sent (nil for those the server never parsed), and how many of them, from
// the first, are fully described; on an error the statement at that index
// is the one that failed.
func (c *Conn) readDescriptions(missing []int, names []string, items []batchItem) ([]*stmtDesc, int, error) {
	sds := make([]*stmtDesc, len(missing))
	k := 0 // the statement whose replies are being read
	var firstErr error
	for {
		typ, body, err := c.receive()
		if err != nil {
			return nil, 0, err
		}
		switch typ {
		case pgproto.MsgParseComplete:
			if k >= len(missing) || sds[k] != nil {
				return nil, 0, c.protocolViolation(typ, "batch prepare")
			}
			sds[k] = &stmtDesc{name: names[k], sql: items[missing[k]].sql, prepared: time.Now()}
		case pgproto.MsgParameterDescription:
			if k >= len(missing) || sds[k] == nil {
				return nil, 0, c.protocolViolation(typ, "batch prepare")
			}
			oids, err := c.parameterDescription(body)
			if err != nil {
				if isBroken(err) {
					return nil, 0, err
				}
				if firstErr == nil {
					firstErr = err
				}
			}
			sds[k].paramOIDs = oids
		case pgproto.MsgRowDescription, pgproto.MsgNoData:
			if k >= len(missing) || sds[k] == nil {
				return nil, 0, c.protocolViolation(typ, "batch prepare")
			}
			if typ == pgproto.MsgRowDescription {
				var rd pgproto.RowDescription
				if err := rd.Decode(body); err != nil {
					return nil, 0, c.fail("read", err)
				}
				sds[k].fields = append([]pgproto.FieldDescription(nil), rd.Fields...)
			}
			k++
		case pgproto.MsgErrorResponse:
			// The server skips the rest up to Sync.
			if firstErr == nil && k < len(missing) {
				firstErr = c.pgError(body, items[missing[k]].sql)
			} else if firstErr == nil {
				firstErr = c.pgError(body, "")
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return nil, 0, err
			}
			for j := 0; j < k; j++ {
				if err := c.describe(sds[j]); err != nil {
					return sds, j, err
				}
			}
			return sds, k, firstErr
		default:
			return nil, 0, c.protocolViolation(typ, "batch prepare")
		}
	}
}

// waitWriter waits for the writer goroutine, if any, and returns the
// write buffer to the connection.
func (br *BatchResults) waitWriter() error {
	if br.writing == nil {
		return nil
	}
	err := <-br.writing
	br.writing = nil
	br.c.wbuf = br.wbuf[:0]
	br.wbuf = nil
	if err != nil {
		return br.c.fail("write", err)
	}
	return nil
}

// itemDone is called by the current statement's Rows when it ends.
func (br *BatchResults) itemDone(err error) {
	br.rows = nil
	if err == nil {
		return
	}
	if isBroken(err) {
		br.broken = err
		return
	}
	if br.failed == nil {
		br.failed = err
		br.failedAt = br.next - 1
	}
}

// Query returns the rows of the next statement. Reading the next result
// (or Close) discards rows not read.
func (br *BatchResults) Query() (*Rows, error) {
	if br.closed {
		return nil, ErrBatchClosed
	}
	return br.query()
}

func (br *BatchResults) query() (*Rows, error) {
	if br.rows != nil {
		_ = br.rows.Close()
	}
	if br.next >= len(br.items) {
		return nil, fmt.Errorf("pg: the batch has no more results: all %d statements were read", len(br.items))
	}
	i := br.next
	br.next++
	if br.broken != nil {
		return nil, br.broken
	}
	if br.failed != nil {
		return nil, errBatchSkipped
	}
	c := br.c
	typ, body, err := c.receive()
	if err != nil {
		br.broken = err
		return nil, err
	}
	switch typ {
	case pgproto.MsgBindComplete:
		rows := &Rows{c: c, sd: br.sds[i], args: br.items[i].args, batch: br}
		c.rowsTrace = c.traceStart(br.trace.ctx, traceQuery, rows.sd.sql, rows.args, 0)
		br.rows = rows
		return rows, nil
	case pgproto.MsgErrorResponse:
		pgErr := c.pgError(body, br.items[i].sql)
		br.itemDone(pgErr)
		return nil, pgErr
	default:
		err := c.protocolViolation(typ, "batch")
		br.broken = err
		return nil, err
	}
}

// Exec reads the result of the next statement: its command tag, or its
// error.
func (br *BatchResults) Exec() (CommandTag, error) {
	rows, err := br.Query()
	if err != nil {
		return CommandTag{}, err
	}
	err = rows.Close()
	return rows.CommandTag(), err
}

// QueryRow reads the next statement's first row; Scan reports its error.
func (br *BatchResults) QueryRow() *Row {
	rows, err := br.Query()
	return &Row{rows: rows, err: err}
}

// Close reads whatever results are left and frees the connection. It
// returns a *BatchError for the first statement that failed (also when
// its error was already returned by Exec or Query), or the connection's
// failure. Calling it again returns the same.
func (br *BatchResults) Close() error {
	if br.closed {
		return br.closeErr
	}
	br.closed = true
	c := br.c
	if br.rows != nil {
		_ = br.rows.Close()
	}
	for br.next < len(br.items) && br.failed == nil && br.broken == nil {
		if rows, err := br.query(); err == nil {
			_ = rows.Close()
		}
	}
	if br.broken == nil && !br.ready {
		if _, err := c.readCommandResult(""); err != nil {
			if isBroken(err) {
				br.broken = err
			}
		}
	}
	if err := br.waitWriter(); err != nil && br.broken == nil {
		br.broken = err
	}
	var err error
	switch {
	case br.broken != nil:
		err = br.broken
	case br.failed != nil:
		err = &BatchError{Index: br.failedAt, Err: br.failed}
	}
	br.closeErr = c.endCall(err)
	c.traceEnd(&br.trace, "", nil, CommandTag{}, br.closeErr)
	if br.afterClose != nil {
		br.afterClose()
	}
	return br.closeErr
}
