package pg

import (
	"context"
	"fmt"
)

// Pipelining limits for ExecMany: a chunk of Bind/Execute messages goes
// out when it reaches either bound, and the replies to one chunk are read
// after the next one has been written. The server's replies to two
// chunks (about 21 bytes a row, more with RETURNING) must fit in the
// socket buffers, or both sides would wait on each other.
const (
	execManyChunkBytes = 64 << 10
	execManyChunkRows  = 1024
)

// BatchError reports which item of ExecMany (Index: the row of args) or
// SendBatch (Index: the queued statement) failed, 0-based, and why.
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string {
	return fmt.Sprintf("pg: batch item %d failed: %v", e.Index, e.Err)
}

func (e *BatchError) Unwrap() error { return e.Err }

// ExecMany runs sql once for each row of args, like asyncpg's
// executemany: the statement is prepared once, and every Bind/Execute is
// pipelined with a single Sync at the end, so the whole batch costs about
// one round trip and runs as one unit. Outside an explicit transaction it
// is atomic: when any row fails, none of the batch is committed. Inside
// one, a failure aborts the transaction as any failed statement does.
//
// A row the server rejects is reported as a *BatchError with its index.
// A row whose arguments cannot be encoded is reported the same way; when
// earlier rows were already sent, the driver fails the batch on the
// server on purpose, so it still commits nothing. Rows returned by the
// statement (RETURNING) are discarded: FetchMany keeps them, and
// ExecManyTag reports how many rows the batch affected.
func (c *Conn) ExecMany(ctx context.Context, sql string, args [][]any) error {
	_, err := c.many(ctx, sql, args, false)
	return err
}

// ExecManyTag is ExecMany returning the command tag of the whole batch:
// the tag of the statement with the row counts of every execution added
// up, so RowsAffected is how many rows the batch inserted, updated or
// deleted ("INSERT 0 3" for three one-row inserts; "UPDATE 0" when no
// execution matched a row). A statement whose tag has no count (CALL)
// gives its tag as is. On error, and for an empty args, the tag is zero.
func (c *Conn) ExecManyTag(ctx context.Context, sql string, args [][]any) (CommandTag, error) {
	res, err := c.many(ctx, sql, args, false)
	return res.tag, err
}

// FetchMany is ExecMany keeping the rows each execution returns, like
// asyncpg's fetchmany: sql (an INSERT ... RETURNING, say) runs once per
// row of args in one pipelined, atomic unit, and the result is the rows
// of every execution in order. Errors are ExecMany's (*BatchError with the
// index of the row of args); on error no rows are returned.
func (c *Conn) FetchMany(ctx context.Context, sql string, args [][]any) ([]Record, error) {
	res, err := c.many(ctx, sql, args, true)
	return res.recs, err
}

// manyResult is what one ExecMany pipeline produced.
type manyResult struct {
	tag  CommandTag
	recs []Record // with keep: the rows of every execution
}

func (c *Conn) many(ctx context.Context, sql string, args [][]any, keep bool) (manyResult, error) {
	if len(args) == 0 {
		return manyResult{}, nil
	}
	if err := c.begin(ctx); err != nil {
		return manyResult{}, err
	}
	t := c.traceStart(ctx, traceExecMany, sql, nil, len(args))
	res, err := c.execMany(sql, args, keep)
	err = c.endCall(err)
	c.traceEnd(&t, sql, nil, res.tag, err)
	if err != nil {
		return manyResult{}, err
	}
	return res, nil
}

func (c *Conn) execMany(sql string, args [][]any, keep bool) (manyResult, error) {
	for i, row := range args {
		if err := checkArgCount(len(row)); err != nil {
			return manyResult{}, &BatchError{Index: i, Err: err}
		}
	}
	for attempt := 0; ; attempt++ {
		sd, err := c.stmtFor(sql)
		if err != nil {
			return manyResult{}, err
		}
		if err := checkManyArgs(sd, args); err != nil {
			return manyResult{}, err
		}
		res, err := c.runMany(sd, args, keep, attempt > 0)
		if be, ok := err.(*BatchError); ok && be.Index == 0 && c.retryStale(sd, be.Err) && attempt == 0 {
			continue
		}
		return res, err
	}
}

// checkManyArgs checks that every row of args has one value per
// parameter of sd.
func checkManyArgs(sd *stmtDesc, args [][]any) error {
	for i, row := range args {
		if len(row) != len(sd.paramOIDs) {
			return &BatchError{Index: i, Err: &ArgumentCountError{Want: len(sd.paramOIDs), Got: len(row)}}
		}
	}
	return nil
}

// runMany runs one pipeline of sd over args.
func (c *Conn) runMany(sd *stmtDesc, args [][]any, keep, inline bool) (manyResult, error) {
	p := execManyPipe{c: c, sd: sd, inline: inline, keep: keep}
	err := p.run(args)
	if err == nil {
		err = p.decodeErr
	}
	return manyResult{tag: p.tag(), recs: p.recs}, err
}
