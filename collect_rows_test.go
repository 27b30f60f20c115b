package pg_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

type scanPair struct {
	ID   int32
	Name string
}

// The collectors over *Rows work on every source of rows (Stmt, batch,
// cursor) and leave the connection free in every path.
func TestScanRowsOverAnyRows(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	free := func() {
		t.Helper()
		_, err := c.Exec(ctx, "SELECT 1")
		require.NoError(t, err, "the rows were closed")
	}
	const pairs = "SELECT g AS id, 'n' || g AS name FROM generate_series(1, $1::int) g"

	stmt, err := c.Prepare(ctx, pairs)
	require.NoError(t, err)
	rows, err := stmt.Query(ctx, 3)
	require.NoError(t, err)
	got, err := pg.ScanRows[scanPair](rows)
	require.NoError(t, err)
	assert.Equal(t, []scanPair{{1, "n1"}, {2, "n2"}, {3, "n3"}}, got)
	free()

	rows, err = stmt.Query(ctx, 2)
	require.NoError(t, err)
	one, err := pg.ScanOne[*scanPair](rows)
	require.NoError(t, err)
	assert.Equal(t, &scanPair{1, "n1"}, one, "later rows discarded")
	free()

	rows, err = stmt.Query(ctx, 2)
	require.NoError(t, err)
	name, err := pg.ScanVal[int64](rows) // the typed Stmt.FetchVal
	require.NoError(t, err)
	assert.EqualValues(t, 1, name)
	free()

	var b pg.Batch
	b.Queue(pairs, 2)
	b.Queue("SELECT 'x'::text WHERE false")
	b.Queue("SELECT 7::int8")
	br, err := c.SendBatch(ctx, &b)
	require.NoError(t, err)
	brows, err := br.Query()
	require.NoError(t, err)
	maps, err := pg.ScanRows[map[string]any](brows)
	require.NoError(t, err)
	assert.Equal(t, []map[string]any{{"id": int32(1), "name": "n1"}, {"id": int32(2), "name": "n2"}}, maps)
	brows, err = br.Query()
	require.NoError(t, err)
	_, err = pg.ScanOne[string](brows)
	assert.ErrorIs(t, err, pg.ErrNoRows)
	brows, err = br.Query()
	require.NoError(t, err)
	seven, err := pg.ScanVal[int](brows)
	require.NoError(t, err)
	assert.Equal(t, 7, seven)
	require.NoError(t, br.Close())
	free()

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	cur, err := tx.Cursor(ctx, "SELECT g FROM generate_series(1, 5) g")
	require.NoError(t, err)
	crows, err := cur.Query(ctx, 3)
	require.NoError(t, err)
	ints, err := pg.ScanRows[int32](crows)
	require.NoError(t, err)
	assert.Equal(t, []int32{1, 2, 3}, ints)
	crows, err = cur.Query(ctx, 3)
	require.NoError(t, err)
	recs, err := pg.ScanRows[pg.Record](crows)
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	require.NoError(t, tx.Rollback(ctx))

	// Failures close the rows too.
	rows, err = stmt.Query(ctx, 2)
	require.NoError(t, err)
	_, err = pg.ScanRows[struct{ ID int32 }](rows)
	var unmapped *pg.UnmappedColumnError
	assert.ErrorAs(t, err, &unmapped)
	free()
	rows, err = stmt.Query(ctx, 2)
	require.NoError(t, err)
	_, err = pg.ScanOne[int32](rows)
	assert.ErrorContains(t, err, "one-column result")
	free()
	rows, err = stmt.Query(ctx, 0)
	require.NoError(t, err)
	_, err = pg.ScanVal[int32](rows)
	assert.ErrorIs(t, err, pg.ErrNoRows)
	free()
	rows, err = c.Query(ctx, "SELECT 1/(g-2) FROM generate_series(1, 3) g") // fails at the second row
	require.NoError(t, err)
	_, err = pg.ScanRows[int32](rows)
	var pe *pg.PgError
	assert.ErrorAs(t, err, &pe)
	free()
	_, err = pg.ScanRows[int32](nil)
	assert.ErrorContains(t, err, "nil rows")
	_, err = pg.ScanOne[int32](nil)
	assert.Error(t, err)
	_, err = pg.ScanVal[int32](nil)
	assert.Error(t, err)
}

// FetchValColumn reads the column asked for, as asyncpg's fetchval(...,
// column=n), and says so when the result has no such column.
func TestFetchValColumn(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	const sql = "SELECT 1 AS a, $1::text AS b"

	b, err := pg.FetchValColumn[string](ctx, c, 1, sql, "two")
	require.NoError(t, err)
	assert.Equal(t, "two", b)
	a, err := pg.FetchValColumn[int64](ctx, c, 0, sql, "two")
	require.NoError(t, err)
	assert.EqualValues(t, 1, a)

	for _, col := range []int{2, -1} {
		_, err = pg.FetchValColumn[string](ctx, c, col, sql, "two")
		var se *pg.ScanError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, col, se.Column)
		assert.ErrorContains(t, err, "out of range: the result has 2 column(s)")
	}
	_, err = pg.FetchValColumn[int](ctx, c, 1, "SELECT 1, 2 WHERE false")
	assert.ErrorIs(t, err, pg.ErrNoRows)
	_, err = pg.FetchValColumn[int](ctx, c, 5, "SELECT 1/0")
	var pe *pg.PgError
	assert.ErrorAs(t, err, &pe, "the server's error comes before the column's")
	_, err = pg.FetchVal[int](ctx, c, "SELECT")
	assert.ErrorContains(t, err, "no columns")

	// On every Querier.
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	b, err = pg.FetchValColumn[string](ctx, p, 1, sql, "pool")
	require.NoError(t, err)
	assert.Equal(t, "pool", b)
	_, err = c.Exec(ctx, "SELECT 1")
	require.NoError(t, err)
}

// Rows.ColumnInfo and Stmt.Columns describe the same result the same way.
func TestRowsColumnInfo(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	table := uniqueTable(t, c, "column_info", "id int8 PRIMARY KEY, label varchar(12), price numeric(8, 2)")
	sql := "SELECT id, label, price, id + 1 AS next FROM " + table
	stmt, err := c.Prepare(ctx, sql)
	require.NoError(t, err)
	rows, err := c.Query(ctx, sql)
	require.NoError(t, err)
	info := rows.ColumnInfo()
	require.NoError(t, rows.Close())
	assert.Equal(t, stmt.Columns(), info)
	assert.Equal(t, stmt.Columns(), stmt.ColumnInfo())
	require.Len(t, info, 4)
	assert.Equal(t, "label", info[1].Name)
	assert.Equal(t, "varchar", info[1].TypeName)
	assert.EqualValues(t, 12+4, info[1].TypeModifier)
	assert.Equal(t, 2, info[1].ColumnNumber)
	assert.NotZero(t, info[1].TableOID)
	assert.Zero(t, info[3].TableOID, "a computed column")
	assert.Equal(t, "int8", info[3].TypeName)
}
