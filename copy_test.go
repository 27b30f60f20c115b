package pg_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// bigTests reports whether PG_TEST_BIG=1 asks for the full-size COPY
// tests (1M rows, a few hundred MB); by default they run smaller so the
// suite stays fast under -race.
func bigTests() bool { return os.Getenv("PG_TEST_BIG") == "1" }

// copyTableName needs quoting: mixed case, spaces, quotes, unicode.
const copyTableName = `Copy "Tëst" Tbl`

// copyRow is row i of the round-trip data: NULLs, quotes, backslashes,
// delimiters, newlines and unicode.
func copyRow(i int) []any {
	var note any
	switch i % 5 {
	case 0:
		note = nil
	case 1:
		note = `say "hi", it's ok`
	case 2:
		note = "tab\tnew\nline\\back ünïcødé ✓ 日本"
	case 3:
		note = ""
	case 4:
		note = `\N`
	}
	var amount any = float64(i) / 4
	if i%7 == 0 {
		amount = nil
	}
	return []any{int64(i), note, amount, i%2 == 0}
}

func createCopyTable(t *testing.T, c *pg.Conn, name string) string {
	t.Helper()
	q := `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
	_, err := c.Exec(ctxT(t), fmt.Sprintf("DROP TABLE IF EXISTS %s; CREATE TABLE %s (id int8, note text, amount float8, flag bool)", q, q))
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = c.Exec(context.Background(), "DROP TABLE IF EXISTS "+q) })
	return q
}

func TestCopyRoundTripAllFormats(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	n := 100_000
	if bigTests() {
		n = 1_000_000
	}
	src := createCopyTable(t, c, copyTableName)
	seq := func(yield func([]any, error) bool) {
		for i := range n {
			if !yield(copyRow(i), nil) {
				return
			}
		}
	}
	got, err := c.CopyRecordsToTable(ctx, copyTableName, []string{"id", "note", "amount", "flag"}, pg.CopyFromSeq(seq))
	require.NoError(t, err)
	require.Equal(t, int64(n), got)
	// Spot checks of the binary load.
	rec, err := c.FetchRow(ctx, "SELECT note, amount FROM "+src+" WHERE id = 2")
	require.NoError(t, err)
	assert.Equal(t, "tab\tnew\nline\\back ünïcødé ✓ 日本", rec.Value(0))
	assert.Equal(t, 0.5, rec.Value(1))
	rec, err = c.FetchRow(ctx, "SELECT note, amount FROM "+src+" WHERE id = 7")
	require.NoError(t, err)
	assert.Nil(t, rec.Value(1))

	for _, format := range []string{"text", "csv", "binary"} {
		t.Run(format, func(t *testing.T) {
			dstName := copyTableName + " " + format
			dst := createCopyTable(t, c, dstName)
			opts := pg.CopyOptions{Format: format}
			if format == "csv" {
				opts.Header = true
				opts.Null = new(`<null>`)
			}
			// Stream out of one table and into the other through a pipe,
			// on two connections.
			c2 := connect(t)
			pr, pw := io.Pipe()
			outDone := make(chan error, 1)
			var outRows int64
			go func() {
				var err error
				outRows, err = c.CopyFromTable(ctx, copyTableName, pw, opts)
				pw.CloseWithError(err)
				outDone <- err
			}()
			inRows, err := c2.CopyToTable(ctx, dstName, pr, opts)
			require.NoError(t, err)
			require.NoError(t, <-outDone)
			assert.Equal(t, int64(n), outRows)
			assert.Equal(t, int64(n), inRows)
			diff, err := pg.FetchVal[int64](ctx, c, fmt.Sprintf(
				"SELECT count(*) FROM ((TABLE %s EXCEPT ALL TABLE %s) UNION ALL (TABLE %s EXCEPT ALL TABLE %s)) d", src, dst, dst, src))
			require.NoError(t, err)
			assert.Zero(t, diff, "the copy differs from the original")
		})
	}
}

func TestCopyRecordsSourcesAndNames(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS "Copy Schema"`)
	require.NoError(t, err)
	_, err = c.Exec(ctx, `DROP TABLE IF EXISTS "Copy Schema"."my.table"; CREATE TABLE "Copy Schema"."my.table" ("Id" int4, "the note" text, u uuid, ts timestamptz, n numeric, tags text[])`)
	require.NoError(t, err)
	defer c.Exec(context.Background(), `DROP TABLE "Copy Schema"."my.table"`)

	table := `Copy Schema."my.table"`
	cols := []string{"Id", "the note", "u", "ts", "n", "tags"}
	ts := time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)
	n, err := c.CopyRecordsToTable(ctx, table, cols, pg.CopyFromRows([][]any{
		{1, "a", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ts, "12.50", []string{"x", "y"}},
		{2, nil, nil, nil, nil, nil},
	}))
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)

	i := 2
	n, err = c.CopyRecordsToTable(ctx, table, []string{"Id"}, pg.CopyFromFunc(func() ([]any, error) {
		if i == 5 {
			return nil, nil
		}
		i++
		return []any{int32(i)}, nil
	}))
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)

	var seq iter.Seq2[[]any, error] = func(yield func([]any, error) bool) {
		yield([]any{int64(6), "six", nil, ts, 6, nil}, nil)
	}
	// No column list: all columns in order.
	n, err = c.CopyRecordsToTable(ctx, table, nil, pg.CopyFromSeq(seq))
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)

	rec, err := c.FetchRow(ctx, `SELECT "the note", u::text, ts, n::text, tags FROM "Copy Schema"."my.table" WHERE "Id" = 1`)
	require.NoError(t, err)
	assert.Equal(t, "a", rec.Value(0))
	assert.Equal(t, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", rec.Value(1))
	assert.True(t, ts.Equal(rec.Value(2).(time.Time)))
	assert.Equal(t, "12.50", rec.Value(3))
	total, err := pg.FetchVal[int64](ctx, c, `SELECT count(*) FROM "Copy Schema"."my.table"`)
	require.NoError(t, err)
	assert.Equal(t, int64(6), total)

	_, err = c.CopyRecordsToTable(ctx, "no_such_table", nil, pg.CopyFromRows(nil))
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "42P01", pgErr.Code)
	_, err = c.CopyRecordsToTable(ctx, `bad"name`, nil, pg.CopyFromRows(nil))
	assert.Error(t, err)
}

func TestCopyFailureMidStream(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	// The server rejects row failRow (a CHECK constraint).
	failRow := 50_001
	if bigTests() {
		failRow = 500_001
	}
	_, err := c.Exec(ctx, fmt.Sprintf(`DROP TABLE IF EXISTS copy_fail; CREATE TABLE copy_fail (id int4 PRIMARY KEY CHECK (id <> %d), note text)`, failRow))
	require.NoError(t, err)
	defer c.Exec(context.Background(), "DROP TABLE copy_fail")
	count := func() int64 {
		n, err := pg.FetchVal[int64](ctx, c, "SELECT count(*) FROM copy_fail")
		require.NoError(t, err)
		return n
	}
	rows := func(n int, bad func(i int) []any) pg.CopySource {
		return pg.CopyFromSeq(func(yield func([]any, error) bool) {
			for i := 1; i <= n; i++ {
				row := []any{int32(i), "x"}
				if bad != nil {
					if r := bad(i); r != nil {
						row = r
					}
				}
				if !yield(row, nil) {
					return
				}
			}
		})
	}

	// The server rejects row failRow: the sending stops early, nothing is
	// committed, the error names the row.
	// The source could hold far more rows than a healthy driver reads
	// after the error: how soon the error is noticed depends on scheduling,
	// so only a driver that ignores it reads all of them.
	produced, endless := 0, 20_000_000
	_, err = c.CopyRecordsToTable(ctx, "copy_fail", nil, rows(endless, func(int) []any { produced++; return nil }))
	var ce *pg.CopyError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(failRow), ce.Row)
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "23514", pgErr.Code)
	assert.Contains(t, err.Error(), fmt.Sprintf("row %d", failRow))
	assert.Less(t, produced, endless, "the source was not read to its end after the server failed the COPY")
	assert.Zero(t, count())

	// A value the driver cannot encode in row 30,000: CopyFail.
	_, err = c.CopyRecordsToTable(ctx, "copy_fail", nil, rows(100_000, func(i int) []any {
		if i == 30000 {
			return []any{struct{}{}, "x"}
		}
		return nil
	}))
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(30000), ce.Row)
	assert.Contains(t, err.Error(), `column "id"`)
	assert.Zero(t, count())

	// A row with the wrong number of values.
	_, err = c.CopyRecordsToTable(ctx, "copy_fail", nil, rows(10, func(i int) []any {
		if i == 4 {
			return []any{int32(4)}
		}
		return nil
	}))
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(4), ce.Row)

	// The source fails.
	boom := errors.New("source broke")
	_, err = c.CopyRecordsToTable(ctx, "copy_fail", nil, pg.CopyFromFunc(func() ([]any, error) { return nil, boom }))
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, count())

	// A reader that fails half way through CopyToTable.
	r := io.MultiReader(strings.NewReader("1\ta\n2\tb\n"), iotestErrReader{boom})
	_, err = c.CopyToTable(ctx, "copy_fail", r, pg.CopyOptions{})
	assert.ErrorIs(t, err, boom)
	assert.Zero(t, count())

	// A bad line in text data: the server's line number.
	_, err = c.CopyToTable(ctx, "copy_fail", strings.NewReader("1\ta\n2\tb\nthree\tc\n"), pg.CopyOptions{})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, int64(3), ce.Row)
	require.ErrorAs(t, err, &pgErr)
	assert.Equal(t, "22P02", pgErr.Code)

	// Cancelled mid-stream.
	cctx, cancel := context.WithCancel(ctx)
	i := 0
	_, err = c.CopyRecordsToTable(cctx, "copy_fail", nil, pg.CopyFromFunc(func() ([]any, error) {
		i++
		if i == 20000 {
			cancel()
		}
		if i > 1_000_000 {
			return nil, nil
		}
		return []any{int32(i), "x"}, nil
	}))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, i, 1_000_000)

	// The connection is fine throughout, and a good load works.
	assert.False(t, c.IsClosed())
	assert.False(t, c.InTransaction())
	n, err := c.CopyRecordsToTable(ctx, "copy_fail", nil, rows(1000, nil))
	require.NoError(t, err)
	assert.Equal(t, int64(1000), n)
	assert.Equal(t, int64(1000), count())
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

type failingWriter struct {
	n     int
	limit int
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n += len(p); w.n > w.limit {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestCopyOutOptionsAndFailures(t *testing.T) {
	t.Parallel()
	c := connect(t)
	ctx := ctxT(t)
	_, err := c.Exec(ctx, `DROP TABLE IF EXISTS copy_opts; CREATE TABLE copy_opts (a int4, "B" text, c text)`)
	require.NoError(t, err)
	defer c.Exec(context.Background(), "DROP TABLE copy_opts")
	_, err = c.Exec(ctx, `INSERT INTO copy_opts VALUES (1, 'x;y', NULL), (2, 'q"uote', ''), (3, NULL, 'z')`)
	require.NoError(t, err)

	var buf bytes.Buffer
	n, err := c.CopyFromTable(ctx, "copy_opts", &buf, pg.CopyOptions{
		Columns: []string{"a", "B", "c"}, Format: "csv", Header: true, Delimiter: ";",
		Null: new("NULL"), Quote: "'", Escape: `\`, ForceQuote: []string{"c"}, Encoding: "UTF8",
	})
	require.NoError(t, err)
	assert.Equal(t, int64(3), n)
	assert.Equal(t, "a;B;c\n1;'x;y';NULL\n2;q\"uote;''\n3;NULL;'z'\n", buf.String())

	buf.Reset()
	_, err = c.CopyFromTable(ctx, "copy_opts", &buf, pg.CopyOptions{Format: "csv", ForceQuote: []string{"*"}})
	require.NoError(t, err)
	assert.Equal(t, "\"1\",\"x;y\",\n\"2\",\"q\"\"uote\",\"\"\n\"3\",,\"z\"\n", buf.String())

	buf.Reset()
	n, err = c.CopyFromQuery(ctx, "SELECT a, $1::text AS s, 'it''s $2' FROM copy_opts WHERE a >= $2 -- $3 in a comment\n ORDER BY a", &buf,
		pg.CopyOptions{Format: "text"}, `o'k\`, 2)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	assert.Equal(t, "2\to'k\\\\\tit's $2\n3\to'k\\\\\tit's $2\n", buf.String())

	_, err = c.CopyFromQuery(ctx, "SELECT $1::int4", &buf, pg.CopyOptions{}, "nope")
	assert.Error(t, err)

	// COPY FROM options: WHERE, FORCE_NOT_NULL, FORCE_NULL, HEADER MATCH, FREEZE.
	_, err = c.Exec(ctx, "TRUNCATE copy_opts")
	require.NoError(t, err)
	in := "a,B,c\n1,\"\",\n2,,\"\"\n3,x,y\n"
	n, err = c.CopyToTable(ctx, "copy_opts", strings.NewReader(in), pg.CopyOptions{
		Format: "csv", HeaderMatch: true, ForceNotNull: []string{"B"}, ForceNull: []string{"c"}, Where: "a < 3",
	})
	require.NoError(t, err)
	assert.Equal(t, int64(2), n)
	recs, err := c.Fetch(ctx, `SELECT "B", c FROM copy_opts ORDER BY a`)
	require.NoError(t, err)
	require.Len(t, recs, 2)
	assert.Equal(t, "", recs[0].Value(0))
	assert.Nil(t, recs[0].Value(1))
	assert.Equal(t, "", recs[1].Value(0), "FORCE_NOT_NULL")
	assert.Nil(t, recs[1].Value(1), "FORCE_NULL")

	_, err = c.CopyToTable(ctx, "copy_opts", strings.NewReader("x,y,z\n"), pg.CopyOptions{Format: "csv", HeaderMatch: true})
	var pgErr *pg.PgError
	require.ErrorAs(t, err, &pgErr)

	tx, err := c.Begin(ctx, pg.TxOptions{})
	require.NoError(t, err)
	_, err = tx.Exec(ctx, "TRUNCATE copy_opts")
	require.NoError(t, err)
	n, err = c.CopyToTable(ctx, "copy_opts", strings.NewReader("7\t\\N\tq\n"), pg.CopyOptions{Freeze: true, Null: new(`\N`)})
	require.NoError(t, err)
	assert.Equal(t, int64(1), n)
	require.NoError(t, tx.Commit(ctx))

	// A failing writer: the COPY is cancelled and the connection usable.
	_, err = c.Exec(ctx, "INSERT INTO copy_opts SELECT i, repeat('x', 100), NULL FROM generate_series(1, 200000) i")
	require.NoError(t, err)
	_, err = c.CopyFromTable(ctx, "copy_opts", &failingWriter{limit: 1 << 20}, pg.CopyOptions{})
	assert.ErrorContains(t, err, "disk full")
	v, err := pg.FetchVal[int32](ctx, c, "SELECT 42")
	require.NoError(t, err)
	assert.Equal(t, int32(42), v)

	_, err = c.CopyFromTable(ctx, "copy_opts", &buf, pg.CopyOptions{Where: "a > 1"})
	assert.Error(t, err)
}

// TestCopyStreamsInConstantMemory pushes a few hundred MB (PG_TEST_BIG=1;
// 64 MB by default) from a generator through an io.Pipe into
// CopyToTable, and back out through CopyFromQuery, watching the heap.
func TestCopyStreamsInConstantMemory(t *testing.T) {
	// Not parallel: the heap it watches is the whole process's.
	c := connect(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	total := 64 << 20
	if bigTests() {
		total = 400 << 20
	}
	_, err := c.Exec(ctx, "DROP TABLE IF EXISTS copy_stream; CREATE UNLOGGED TABLE copy_stream (id int8, pad text)")
	require.NoError(t, err)
	defer c.Exec(context.Background(), "DROP TABLE copy_stream")

	line := strings.Repeat("y", 1000)
	base := heapAfterGC()
	var peak uint64
	pr, pw := io.Pipe()
	go func() {
		sent := 0
		for i := 0; sent < total; i++ {
			s := fmt.Sprintf("%d\t%s\n", i, line)
			if _, err := io.WriteString(pw, s); err != nil {
				return
			}
			sent += len(s)
			if i%8000 == 0 { // about every 8 MB
				h := heapAfterGC()
				if h > peak {
					peak = h
				}
			}
		}
		pw.Close()
	}()
	n, err := c.CopyToTable(ctx, "copy_stream", pr, pg.CopyOptions{})
	require.NoError(t, err)
	assert.Greater(t, n, int64(total/1010))
	assert.Less(t, int64(peak)-int64(base), int64(32<<20), "COPY FROM memory grew with the data")

	var written int64
	peak = 0
	w := writerFunc(func(p []byte) (int, error) {
		written += int64(len(p))
		if written%(16<<20) < int64(len(p)) {
			peak = max(peak, heapAfterGC())
		}
		return len(p), nil
	})
	m, err := c.CopyFromQuery(ctx, "SELECT * FROM copy_stream", w, pg.CopyOptions{})
	require.NoError(t, err)
	assert.Equal(t, n, m)
	assert.Greater(t, written, int64(total-2000))
	assert.Less(t, int64(peak)-int64(base), int64(32<<20), "COPY TO memory grew with the data")
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
