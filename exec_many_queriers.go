package pg

import "context"

// ExecManyTag and FetchMany on the other queriers, as ExecMany is there.

// ExecManyTag runs sql for each row of args in the transaction and
// returns the batch's command tag; see Conn.ExecManyTag.
func (tx *Tx) ExecManyTag(ctx context.Context, sql string, args [][]any) (CommandTag, error) {
	if err := tx.usable(); err != nil {
		return CommandTag{}, err
	}
	tag, err := tx.c.ExecManyTag(ctx, sql, args)
	tx.note(err)
	return tag, err
}

// FetchMany runs sql for each row of args in the transaction and returns
// the rows of every execution; see Conn.FetchMany.
func (tx *Tx) FetchMany(ctx context.Context, sql string, args [][]any) ([]Record, error) {
	if err := tx.usable(); err != nil {
		return nil, err
	}
	recs, err := tx.c.FetchMany(ctx, sql, args)
	tx.note(err)
	return recs, err
}

// ExecManyTag runs sql once per argument list on the leased connection;
// see Conn.ExecManyTag.
func (pc *PoolConn) ExecManyTag(ctx context.Context, sql string, args [][]any) (CommandTag, error) {
	c, err := pc.conn()
	if err != nil {
		return CommandTag{}, err
	}
	tag, err := c.ExecManyTag(ctx, sql, args)
	return tag, callErr(c, err)
}

// FetchMany runs sql once per argument list on the leased connection and
// returns the rows of every execution; see Conn.FetchMany.
func (pc *PoolConn) FetchMany(ctx context.Context, sql string, args [][]any) ([]Record, error) {
	c, err := pc.conn()
	if err != nil {
		return nil, err
	}
	recs, err := c.FetchMany(ctx, sql, args)
	return recs, callErr(c, err)
}

// ExecManyTag acquires a connection, runs Conn.ExecManyTag and releases
// it.
func (p *Pool) ExecManyTag(ctx context.Context, sql string, args [][]any) (CommandTag, error) {
	return poolCall(p, ctx, true, func(c *Conn) (CommandTag, error) { return c.ExecManyTag(ctx, sql, args) })
}

// FetchMany acquires a connection, runs Conn.FetchMany and releases it.
func (p *Pool) FetchMany(ctx context.Context, sql string, args [][]any) ([]Record, error) {
	return poolCall(p, ctx, true, func(c *Conn) ([]Record, error) { return c.FetchMany(ctx, sql, args) })
}
