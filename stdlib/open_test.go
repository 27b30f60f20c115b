package stdlib_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math"
	"net"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
	"github.com/wirepg/pg/stdlib"
)

func TestPrepareFailsOnBadSQL(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	_, err := db.PrepareContext(ctx, "SELEC nonsense")
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr, "Prepare parses on the server")
	assert.Equal(t, sqlstate.SyntaxError, pgErr.Code)

	st, err := db.PrepareContext(ctx, "SELECT $1::int4 + $2::int4")
	require.NoError(t, err)
	defer st.Close()
	var n int
	require.NoError(t, st.QueryRowContext(ctx, 2, 3).Scan(&n))
	assert.Equal(t, 5, n)
	err = st.QueryRowContext(ctx, 2).Scan(&n)
	assert.ErrorContains(t, err, "expected 2 arguments", "database/sql checks NumInput")
}

func TestColumnTypes(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	c, err := db.Conn(ctx)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.ExecContext(ctx, `CREATE TYPE pg_temp.mood AS ENUM ('sad', 'ok');
		CREATE TEMP TABLE ct (id int8 NOT NULL, name varchar(20), code char(3), price numeric(10, 2), m pg_temp.mood, tags text[], body text, b bytea, at timestamptz, f float4, ok bool)`)
	require.NoError(t, err)
	const q = "SELECT id, name, code, price, m, tags, body, b, at, f, ok, 1 + 1 AS two FROM ct"
	check := func(rows *sql.Rows, nullableKnown bool) {
		types, err := rows.ColumnTypes()
		require.NoError(t, err)
		names := []string{"INT8", "VARCHAR", "BPCHAR", "NUMERIC", "MOOD", "_TEXT", "TEXT", "BYTEA", "TIMESTAMPTZ", "FLOAT4", "BOOL", "INT4"}
		scans := []any{int64(0), "", "", "", "", "", "", []byte{}, time.Time{}, float64(0), false, int64(0)}
		for i, ct := range types {
			assert.Equal(t, names[i], ct.DatabaseTypeName(), ct.Name())
			assert.Equal(t, reflect.TypeOf(scans[i]), ct.ScanType(), ct.Name())
		}
		l, ok := types[1].Length()
		assert.True(t, ok)
		assert.Equal(t, int64(20), l)
		l, ok = types[2].Length()
		assert.True(t, ok)
		assert.Equal(t, int64(3), l)
		l, ok = types[6].Length()
		assert.True(t, ok)
		assert.Equal(t, int64(math.MaxInt64), l)
		_, ok = types[0].Length()
		assert.False(t, ok)
		p, s, ok := types[3].DecimalSize()
		assert.True(t, ok)
		assert.Equal(t, [2]int64{10, 2}, [2]int64{p, s})
		_, _, ok = types[0].DecimalSize()
		assert.False(t, ok)
		if nullableKnown {
			null, ok := types[0].Nullable()
			assert.True(t, ok)
			assert.False(t, null, "id is NOT NULL")
			null, ok = types[1].Nullable()
			assert.True(t, ok)
			assert.True(t, null)
		}
		_, ok = types[11].Nullable()
		assert.False(t, ok, "a computed column's nullability is unknown")
	}
	// A prepared statement knows its tables' nullability at once.
	st, err := c.PrepareContext(ctx, q)
	require.NoError(t, err)
	rows, err := st.QueryContext(ctx)
	require.NoError(t, err)
	check(rows, true)
	require.NoError(t, rows.Close())
	require.NoError(t, st.Close())
	rows, err = c.QueryContext(ctx, q)
	require.NoError(t, err)
	check(rows, true)
	require.NoError(t, rows.Close())
}

func TestOpenDBOptions(t *testing.T) {
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	var before, after, reset atomic.Int32
	db := stdlib.OpenDB(cfg,
		stdlib.OptionBeforeConnect(func(ctx context.Context, c *pg.Config) error {
			before.Add(1)
			c.ApplicationName = "from-before-connect"
			return nil
		}),
		stdlib.OptionAfterConnect(func(ctx context.Context, c *pg.Conn) error {
			after.Add(1)
			_, err := c.Exec(ctx, "SET search_path = pg_temp, public")
			return err
		}),
		stdlib.OptionResetSession(func(ctx context.Context, c *pg.Conn) error {
			reset.Add(1)
			return nil
		}))
	defer db.Close()
	db.SetMaxOpenConns(1)
	ctx := ctxT(t)
	var app, path string
	require.NoError(t, db.QueryRowContext(ctx, "SELECT current_setting('application_name'), current_setting('search_path')").Scan(&app, &path))
	assert.Equal(t, "from-before-connect", app)
	assert.Equal(t, "pg_temp, public", path)
	assert.Equal(t, "", cfg.ApplicationName, "the caller's Config is not changed")
	require.NoError(t, db.PingContext(ctx))
	assert.Equal(t, int32(1), before.Load())
	assert.Equal(t, int32(1), after.Load())
	assert.Positive(t, reset.Load(), "ResetSession runs when database/sql reuses the connection")

	// A failing ResetSession with driver.ErrBadConn makes database/sql
	// open a new connection.
	fail := errors.New("no")
	db2 := stdlib.OpenDB(cfg, stdlib.OptionAfterConnect(func(ctx context.Context, c *pg.Conn) error { return fail }))
	defer db2.Close()
	assert.ErrorIs(t, db2.PingContext(ctx), fail)
}

func TestRegisterConnConfig(t *testing.T) {
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	var dials atomic.Int32
	cfg.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	cfg.ApplicationName = "registered"
	name := stdlib.RegisterConnConfig(cfg)
	defer stdlib.UnregisterConnConfig(name)
	db, err := sql.Open("pg", name)
	require.NoError(t, err)
	defer db.Close()
	var app string
	require.NoError(t, db.QueryRowContext(ctxT(t), "SELECT current_setting('application_name')").Scan(&app))
	assert.Equal(t, "registered", app)
	assert.Positive(t, dials.Load(), "the registered Config's DialFunc is used")
}

func TestOpenDBFromPool(t *testing.T) {
	ctx := ctxT(t)
	pool, err := pg.CreatePool(ctx, pgtest.Shared().DSN(), pg.PoolConfig{MinSize: -1, MaxSize: 2})
	require.NoError(t, err)
	defer pool.Close(ctx)
	db := stdlib.OpenDBFromPool(pool)
	db.SetMaxOpenConns(2)
	var pid int
	require.NoError(t, db.QueryRowContext(ctx, "SELECT pg_backend_pid()").Scan(&pid))
	assert.Positive(t, pid)
	assert.Equal(t, 1, pool.Stats().InUse, "database/sql holds its connection")
	require.NoError(t, db.Close())
	assert.Equal(t, 0, pool.Stats().InUse, "closing the DB releases its connections")
	_, err = pool.Exec(ctx, "SELECT 1")
	require.NoError(t, err, "the pool stays open")
}

// TestPgTypesAsArguments: pg's own types and Go slices go to the server
// as arguments through database/sql.
func TestPgTypesAsArguments(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	for _, tc := range []struct {
		arg  any
		typ  string
		want string
	}{
		{[]int32{1, 2}, "int4[]", "{1,2}"},
		{pg.Array[int32]{Elements: []int32{7, 8}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 0}}}, "int4[]", "[0:1]={7,8}"},
		{pg.Range[int32]{Lower: 1, Upper: 5, LowerInc: true}, "int4range", "[1,5)"},
		{pg.IntervalOf(90 * time.Minute), "interval", "01:30:00"},
		{pg.Money(1250), "money", "$12.50"},
		{pg.Point{X: 1, Y: 2}, "point", "(1,2)"},
	} {
		var got string
		require.NoError(t, db.QueryRowContext(ctx, "SELECT format('%s', $1::"+tc.typ+")", tc.arg).Scan(&got), "%T", tc.arg)
		assert.Equal(t, tc.want, got, "%T", tc.arg)
	}
	var _ driver.Valuer = stdlib.Array(&[]int{})
}

// TestPgTypesAsDestinations: pg's types that are sql.Scanners read what
// database/sql delivers for their PostgreSQL types.
func TestPgTypesAsDestinations(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	var iv pg.Interval
	var num pg.Numeric
	var id pg.UUID
	var d pg.Date
	var ts pg.Timestamp
	var m pg.Money
	require.NoError(t, db.QueryRowContext(ctx, `SELECT '1 mon 2 days 03:04:05'::interval, '-12.340'::numeric, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid,
		'infinity'::date, '2020-01-02 03:04:05'::timestamp, '-$1,234.56'::money`).Scan(&iv, &num, &id, &d, &ts, &m))
	assert.Equal(t, "1 mon 2 days 03:04:05", iv.String())
	assert.Equal(t, "-12.340", num.String())
	assert.Equal(t, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", id.String())
	assert.Equal(t, pg.Infinity, d.InfinityModifier)
	assert.Equal(t, time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC), ts.Time)
	assert.Equal(t, pg.Money(-123456), m)
}

// TestNullableLearnedAfterFirstQuery: rows of a plain query cannot look a
// table up while they stream, so the first query of a table on a
// connection reports nullability unknown, and the next one knows it.
func TestNullableLearnedAfterFirstQuery(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	c, err := db.Conn(ctx)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.ExecContext(ctx, "CREATE TEMP TABLE nl (a int4 NOT NULL, b text)")
	require.NoError(t, err)
	nullable := func() (a, b [2]bool) {
		rows, err := c.QueryContext(ctx, "SELECT a, b FROM nl")
		require.NoError(t, err)
		types, err := rows.ColumnTypes()
		require.NoError(t, err)
		require.NoError(t, rows.Close())
		a[0], a[1] = types[0].Nullable()
		b[0], b[1] = types[1].Nullable()
		return a, b
	}
	a, b := nullable()
	assert.False(t, a[1], "unknown the first time")
	assert.False(t, b[1])
	a, b = nullable()
	assert.Equal(t, [2]bool{false, true}, a, "a is NOT NULL")
	assert.Equal(t, [2]bool{true, true}, b)
}

// TestPgContainersAsDestinations: pg.Array and pg.Range read the text
// form database/sql delivers, with lower bounds, NULL elements and typed
// bounds.
func TestPgContainersAsDestinations(t *testing.T) {
	db := openDB(t)
	ctx := ctxT(t)
	var bounded pg.Array[int32]
	var nulls pg.Array[pg.Null[int64]]
	var texts pg.Array[any]
	var grid pg.Array[float64]
	require.NoError(t, db.QueryRowContext(ctx, `SELECT '[0:1]={7,8}'::int4[], '{1,NULL}'::int8[], '{"a b",NULL}'::text[], '{{1.5,2},{3,4}}'::float8[]`).Scan(&bounded, &nulls, &texts, &grid))
	assert.Equal(t, pg.Array[int32]{Elements: []int32{7, 8}, Dims: []pg.ArrayDimension{{Length: 2, LowerBound: 0}}}, bounded)
	assert.Equal(t, []pg.Null[int64]{{V: 1, Valid: true}, {}}, nulls.Elements)
	assert.Equal(t, []any{"a b", nil}, texts.Elements)
	assert.Equal(t, []pg.ArrayDimension{{Length: 2, LowerBound: 1}, {Length: 2, LowerBound: 1}}, grid.Dims)

	var ints pg.Range[int32]
	var nums pg.Range[pg.Numeric]
	var tstz, ts pg.Range[time.Time]
	var dates pg.Range[pg.Date]
	var empty pg.Range[int64]
	require.NoError(t, db.QueryRowContext(ctx, `SELECT '[1,5)'::int4range, '(1.5,]'::numrange, '[2020-01-01 10:00+00,2020-01-02 10:00+00)'::tstzrange,
		'[2020-01-01 10:00,)'::tsrange, '[2020-01-01,2020-02-01)'::daterange, 'empty'::int8range`).Scan(&ints, &nums, &tstz, &ts, &dates, &empty))
	assert.Equal(t, pg.Range[int32]{Lower: 1, Upper: 5, LowerInc: true}, ints)
	assert.Equal(t, "1.5", nums.Lower.String())
	assert.True(t, nums.UpperInf)
	assert.True(t, tstz.Lower.Equal(time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)), "%v", tstz.Lower)
	assert.True(t, ts.Lower.Equal(time.Date(2020, 1, 1, 10, 0, 0, 0, time.UTC)), "%v", ts.Lower)
	assert.Equal(t, time.Date(2020, 2, 1, 0, 0, 0, 0, time.UTC), dates.Upper.Time)
	assert.True(t, empty.Empty)

	var a pg.Array[int32]
	err := db.QueryRowContext(ctx, `SELECT NULL::int4[]`).Scan(&a)
	var nullErr *pg.NullError
	assert.ErrorAs(t, err, &nullErr)
}
