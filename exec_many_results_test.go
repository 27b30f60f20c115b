package pg_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wirepg/pg"
)

// manyQuerier is what every querier with SQL offers for a batch of
// argument rows.
type manyQuerier interface {
	ExecManyTag(ctx context.Context, sql string, args [][]any) (pg.CommandTag, error)
	FetchMany(ctx context.Context, sql string, args [][]any) ([]pg.Record, error)
}

// ExecManyTag adds up the row counts of every execution and FetchMany
// keeps the rows of every execution, on each querier.
func TestExecManyTagAndFetchMany(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	admin := connect(t)
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 2})
	queriers := map[string]func(t *testing.T) manyQuerier{
		"Conn": func(t *testing.T) manyQuerier { return connect(t) },
		"Tx": func(t *testing.T) manyQuerier {
			tx, err := connect(t).Begin(ctx, pg.TxOptions{})
			require.NoError(t, err)
			t.Cleanup(func() { _ = tx.Rollback(bg()) })
			return tx
		},
		"PoolConn": func(t *testing.T) manyQuerier {
			pc := acquire(t, p)
			t.Cleanup(func() { _ = pc.Release() })
			return pc
		},
		"Pool": func(t *testing.T) manyQuerier { return p },
		"ConnNoCache": func(t *testing.T) manyQuerier {
			// The unnamed statement: parsed once in the batch's unit.
			cfg := testConfig(t)
			cfg.StatementCacheSize = 0
			return connectConfig(t, cfg)
		},
	}
	for name, open := range queriers {
		t.Run(name, func(t *testing.T) {
			table := uniqueTable(t, admin, "many_"+name, "id int PRIMARY KEY, v text")
			q := open(t)
			ins := "INSERT INTO " + table + " VALUES ($1, $2)"

			tag, err := q.ExecManyTag(ctx, ins, [][]any{{1, "a"}, {2, "b"}, {3, "c"}})
			require.NoError(t, err)
			assert.Equal(t, "INSERT 0 3", tag.String())
			assert.EqualValues(t, 3, tag.RowsAffected())
			assert.True(t, tag.Insert())

			tag, err = q.ExecManyTag(ctx, "UPDATE "+table+" SET v = v WHERE id = $1", [][]any{{10}, {11}})
			require.NoError(t, err)
			assert.Equal(t, "UPDATE 0", tag.String(), "no execution touched a row")
			assert.Zero(t, tag.RowsAffected())

			tag, err = q.ExecManyTag(ctx, "UPDATE "+table+" SET v = $2 WHERE id <= $1", [][]any{{2, "x"}, {3, "y"}})
			require.NoError(t, err)
			assert.Equal(t, "UPDATE 5", tag.String(), "2 rows, then 3")

			tag, err = q.ExecManyTag(ctx, ins+" RETURNING id", [][]any{{4, "d"}, {5, "e"}})
			require.NoError(t, err)
			assert.Equal(t, "INSERT 0 2", tag.String(), "RETURNING rows are counted, not kept")

			recs, err := q.FetchMany(ctx, ins+" RETURNING id, upper(v) AS up", [][]any{{6, "f"}, {7, "g"}})
			require.NoError(t, err)
			require.Len(t, recs, 2)
			assert.Equal(t, []any{int32(6), "F"}, recs[0].Values())
			assert.Equal(t, "G", recs[1].Get("up"))

			recs, err = q.FetchMany(ctx, "SELECT g FROM generate_series(1, $1::int) g", [][]any{{2}, {0}, {3}})
			require.NoError(t, err)
			var got []int32
			for _, r := range recs {
				got = append(got, r.Value(0).(int32))
			}
			assert.Equal(t, []int32{1, 2, 1, 2, 3}, got, "every execution's rows, in order")

			tag, err = q.ExecManyTag(ctx, ins, nil)
			require.NoError(t, err)
			assert.Zero(t, tag)
			recs, err = q.FetchMany(ctx, ins+" RETURNING id", nil)
			require.NoError(t, err)
			assert.Empty(t, recs)
		})
	}
}

// A failing row: FetchMany and ExecManyTag report its index as ExecMany
// does, return nothing else, and commit nothing.
func TestFetchManyFailingRow(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	table := uniqueTable(t, c, "fetchmany_fail", "id int PRIMARY KEY")
	ins := "INSERT INTO " + table + " VALUES ($1) RETURNING id"
	rows := [][]any{{1}, {2}, {1}, {3}}

	recs, err := c.FetchMany(ctx, ins, rows)
	var be *pg.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 2, be.Index)
	assert.Nil(t, recs)
	tag, err := c.ExecManyTag(ctx, ins, rows)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 2, be.Index)
	assert.Zero(t, tag)

	stmt, err := c.Prepare(ctx, ins)
	require.NoError(t, err)
	recs, err = stmt.FetchMany(ctx, rows)
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 2, be.Index)
	assert.Nil(t, recs)
	_, err = stmt.FetchMany(ctx, [][]any{{"not a number"}})
	require.ErrorAs(t, err, &be, "an argument that cannot be encoded")
	assert.Equal(t, 0, be.Index)
	_, err = stmt.ExecManyTag(ctx, [][]any{{1, 2}})
	require.ErrorAs(t, err, &be)
	var ace *pg.ArgumentCountError
	assert.ErrorAs(t, err, &ace)

	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+table)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing committed")
}

// Stmt.ExecMany, ExecManyTag and FetchMany bind the prepared statement
// for every row: no Parse goes out, and the batch is one write.
func TestStmtExecManyReusesStatement(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c, rec := recordedConn(t)
	table := uniqueTable(t, c, "stmt_execmany", "id int, v text")
	stmt, err := c.Prepare(ctx, "INSERT INTO "+table+" VALUES ($1, $2) RETURNING id")
	require.NoError(t, err)
	args := make([][]any, 50)
	for i := range args {
		args[i] = []any{i, fmt.Sprint("v", i)}
	}
	for _, run := range []func() error{
		func() error { return stmt.ExecMany(ctx, args) },
		func() error {
			tag, err := stmt.ExecManyTag(ctx, args)
			assert.Equal(t, "INSERT 0 50", tag.String())
			return err
		},
		func() error {
			recs, err := stmt.FetchMany(ctx, args)
			require.Len(t, recs, 50)
			assert.Equal(t, int32(49), recs[49].Value(0))
			return err
		},
	} {
		rec.take()
		require.NoError(t, run())
		writes := rec.take()
		assert.Len(t, writes, 1)
		types := frontendTypes(t, bytes.Join(writes, nil))
		assert.Equal(t, strings.Repeat("BE", 50)+"S", types, "Bind/Execute per row, one Sync, no Parse")
	}
	n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM "+table)
	require.NoError(t, err)
	assert.EqualValues(t, 150, n)

	// A Stmt of a lease ends with it.
	p, _ := newPool(t, pg.PoolConfig{MinSize: 1, MaxSize: 1})
	pc := acquire(t, p)
	ps, err := pc.Prepare(ctx, "SELECT $1::int")
	require.NoError(t, err)
	recs, err := ps.FetchMany(ctx, [][]any{{1}, {2}})
	require.NoError(t, err)
	assert.Len(t, recs, 2)
	require.NoError(t, pc.Release())
	err = ps.ExecMany(ctx, [][]any{{1}})
	assert.True(t, errors.Is(err, pg.ErrPoolConnReleased), "%v", err)
	_, err = ps.FetchMany(ctx, nil)
	assert.ErrorIs(t, err, pg.ErrPoolConnReleased)
}

// A row FetchMany cannot decode (a composite altered on the server after
// the connection cached it) is reported as that execution's *BatchError
// wrapping *OutdatedSchemaError; the pipeline is read to its end, so the
// connection stays in step, and the next call sees the new type.
func TestFetchManyOutdatedSchema(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	c := connect(t)
	setupSchema(t, c, "fetchmany_heal", "CREATE TYPE typ1 AS (x int, y int); CREATE TABLE tab1 (a int, b typ1); INSERT INTO tab1 VALUES (1, (2, 3))")
	const sql = "SELECT b FROM tab1 WHERE a = $1"
	args := [][]any{{1}, {1}, {1}}

	recs, err := c.FetchMany(ctx, sql, args)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, []any{int32(2), int32(3)}, recs[2].Value(0).(pg.Record).Values())

	_, err = c.Exec(ctx, "ALTER TYPE typ1 ADD ATTRIBUTE c text")
	require.NoError(t, err)
	recs, err = c.FetchMany(ctx, sql, args)
	var be *pg.BatchError
	require.ErrorAs(t, err, &be)
	assert.Equal(t, 0, be.Index)
	var outdated *pg.OutdatedSchemaError
	assert.ErrorAs(t, err, &outdated)
	assert.Nil(t, recs)

	recs, err = c.FetchMany(ctx, sql, args)
	require.NoError(t, err, "the next call reloads the type")
	require.Len(t, recs, 3)
	assert.Equal(t, []any{int32(2), int32(3), nil}, recs[0].Value(0).(pg.Record).Values())
}
