package pg_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

func TestStmtDescribeAndRun(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "stmt t", "id int4 primary key, name text, price numeric(10,2)")
	_, err := c.Exec(ctx, "INSERT INTO "+tbl+" VALUES (1, 'a', 1.50), (2, 'b', 2.25)")
	require.NoError(t, err)

	stmt, err := c.Prepare(ctx, "SELECT id, name, price, id * 2 AS twice FROM "+tbl+" WHERE id >= $1 AND name <> $2 ORDER BY id")
	require.NoError(t, err)
	defer stmt.Close(ctx)

	params := stmt.Params()
	require.Len(t, params, 2)
	assert.Equal(t, pg.Param{TypeOID: 23, TypeName: "int4"}, params[0])
	assert.Equal(t, pg.Param{TypeOID: 25, TypeName: "text"}, params[1])

	cols := stmt.Columns()
	require.Len(t, cols, 4)
	tableOID, err := pg.FetchVal[uint32](ctx, c, "SELECT $1::regclass::oid", tbl)
	require.NoError(t, err)
	assert.Equal(t, "id", cols[0].Name)
	assert.Equal(t, "int4", cols[0].TypeName)
	assert.Equal(t, tableOID, cols[0].TableOID)
	assert.Equal(t, 1, cols[0].ColumnNumber)
	assert.Equal(t, "name", cols[1].Name)
	assert.Equal(t, 2, cols[1].ColumnNumber)
	assert.Equal(t, "numeric", cols[2].TypeName)
	assert.Equal(t, uint32(1700), cols[2].TypeOID)
	assert.Equal(t, "twice", cols[3].Name)
	assert.Zero(t, cols[3].TableOID)
	assert.Zero(t, cols[3].ColumnNumber)

	recs, err := stmt.Fetch(ctx, 1, "zzz")
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	rec, err := stmt.FetchRow(ctx, 2, "zzz")
	require.NoError(t, err)
	assert.Equal(t, "b", rec.Get("name"))
	_, err = stmt.FetchRow(ctx, 3, "zzz")
	assert.ErrorIs(t, err, pg.ErrNoRows)
	v, err := stmt.FetchVal(ctx, 2, "zzz")
	require.NoError(t, err)
	assert.Equal(t, int32(2), v)
	var name string
	require.NoError(t, stmt.QueryRow(ctx, 1, "a").Scan(nil, &name, nil, nil))
	assert.Equal(t, "b", name)
	_, err = stmt.Fetch(ctx, 1)
	var countErr *pg.ArgumentCountError
	assert.ErrorAs(t, err, &countErr)

	ins, err := c.Prepare(ctx, "INSERT INTO "+tbl+" VALUES ($1, $2, $3)")
	require.NoError(t, err)
	assert.Empty(t, ins.Columns())
	tag, err := ins.Exec(ctx, 3, "c", "3.75")
	require.NoError(t, err)
	assert.Equal(t, int64(1), tag.RowsAffected())
	_, err = ins.Exec(ctx, 3, "dup", "1")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23505", pgErr.Code)
	require.NoError(t, ins.Close(ctx))
	require.NoError(t, ins.Close(ctx))
	_, err = ins.Exec(ctx, 4, "d", "1")
	assert.ErrorIs(t, err, pg.ErrStmtClosed)
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM pg_prepared_statements WHERE name = $1", ins.Name())
	require.NoError(t, err)
	assert.Zero(t, n, "Close deallocates on the server")
}

func TestStmtPrepareNamedAndErrors(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	stmt, err := c.PrepareNamed(ctx, "my stmt", "SELECT $1::int8 + 1")
	require.NoError(t, err)
	assert.Equal(t, "my stmt", stmt.Name())
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM pg_prepared_statements WHERE name = 'my stmt'")
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	_, err = c.PrepareNamed(ctx, "my stmt", "SELECT 1")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "42P05", pgErr.Code)

	_, err = c.Prepare(ctx, "SELEC 1")
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "42601", pgErr.Code)

	// After the connection closes the Stmt says so.
	require.NoError(t, c.Close(ctx))
	_, err = stmt.Exec(ctx, 1)
	assert.ErrorIs(t, err, pg.ErrConnClosed)
	assert.Contains(t, err.Error(), "prepared statement")
	assert.NoError(t, stmt.Close(ctx))
}

func TestStmtExplain(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	tbl := uniqueTable(t, c, "stmt explain", "n int")
	stmt, err := c.Prepare(ctx, "INSERT INTO "+tbl+" SELECT generate_series(1, $1)")
	require.NoError(t, err)

	plan, err := stmt.Explain(ctx, false, 10)
	require.NoError(t, err)
	top := plan.([]any)[0].(map[string]any)
	node := top["Plan"].(map[string]any)
	assert.Equal(t, "ModifyTable", node["Node Type"])
	_, hasActual := node["Actual Rows"]
	assert.False(t, hasActual)

	plan, err = stmt.Explain(ctx, true, 10)
	require.NoError(t, err)
	node = plan.([]any)[0].(map[string]any)["Plan"].(map[string]any)
	_, hasActual = node["Actual Rows"]
	assert.True(t, hasActual, "ANALYZE reports actual rows")
	assert.Contains(t, plan.([]any)[0].(map[string]any), "Execution Time")

	// ANALYZE really ran the insert, and rolled it back.
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Zero(t, n)
	assert.False(t, c.InTransaction())

	// Inside a transaction: a savepoint, and the transaction goes on.
	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	defer tx.Rollback(context.Background())
	_, err = stmt.Explain(ctx, true, 5)
	require.NoError(t, err)
	assert.True(t, c.InTransaction())
	_, err = stmt.Exec(ctx, 3)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(ctx))
	n, err = pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+tbl)
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
}
