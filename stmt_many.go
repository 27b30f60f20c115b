package pg

import "context"

// ExecMany runs the statement once for each row of args, pipelined as
// Conn.ExecMany is, with no Parse at all: every Bind reuses the prepared
// statement. Errors are Conn.ExecMany's (*BatchError with the index of
// the row of args).
func (s *Stmt) ExecMany(ctx context.Context, args [][]any) error {
	_, err := s.many(ctx, args, false)
	return err
}

// ExecManyTag is ExecMany returning the batch's command tag with the row
// counts added up; see Conn.ExecManyTag.
func (s *Stmt) ExecManyTag(ctx context.Context, args [][]any) (CommandTag, error) {
	res, err := s.many(ctx, args, false)
	return res.tag, err
}

// FetchMany is ExecMany keeping the rows every execution returns; see
// Conn.FetchMany.
func (s *Stmt) FetchMany(ctx context.Context, args [][]any) ([]Record, error) {
	res, err := s.many(ctx, args, true)
	return res.recs, err
}

func (s *Stmt) many(ctx context.Context, args [][]any, keep bool) (manyResult, error) {
	if len(args) == 0 {
		// Nothing to run; a statement that cannot run still says so.
		return manyResult{}, s.usable()
	}
	if err := s.begin(ctx); err != nil {
		return manyResult{}, err
	}
	c, sd := s.c, s.sd
	t := c.traceStart(ctx, traceExecMany, sd.sql, nil, len(args))
	var res manyResult
	err := checkManyArgs(sd, args)
	if err == nil {
		res, err = c.runMany(sd, args, keep, false)
		if be, ok := err.(*BatchError); ok && be.Index == 0 && c.retryInline(sd, be.Err) {
			// As startBound: the server does not know the statement
			// (behind a pooler); parse it again in the batch's own unit.
			res, err = c.runMany(sd, args, keep, true)
		}
	}
	err = c.endCall(err)
	c.traceEnd(&t, sd.sql, nil, res.tag, err)
	if err != nil {
		return manyResult{}, err
	}
	return res, nil
}
