package soak

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/wirepg/pg"
)

// ops are the operations the workers pick from, by weight. Each checks
// every value it gets back against what it sent.
var ops = []op{
	{name: "scalar", weight: 25, lease: opScalar},
	{name: "pool scalar", weight: 15, pool: opPoolScalar},
	{name: "rows checksum", weight: 15, lease: opRowsChecksum},
	{name: "tx insert+read", weight: 15, lease: opTx},
	{name: "ExecMany", weight: 10, lease: opExecMany},
	{name: "COPY", weight: 10, lease: opCopy},
	{name: "slow", weight: 10, lease: opSlow},
}

var totalWeight = func() int {
	n := 0
	for _, o := range ops {
		n += o.weight
	}
	return n
}()

// schema is created once before the run; keys come from worker.key, so
// operations never see each other's rows.
const schema = `
CREATE TABLE soak_kv (k int8 PRIMARY KEY, v text NOT NULL);
CREATE TABLE soak_rows (batch int8 NOT NULL, j int4 NOT NULL, v text NOT NULL);
CREATE INDEX ON soak_rows (batch);`

// call counts one request sent to the server.
func (w *worker) call() { w.s.calls.Add(1) }

// checked counts one value compared with what it should be.
func (w *worker) checked() { w.s.checks.Add(1) }

// text returns a random string with characters that need care on the
// wire: multi-byte, quotes, backslashes, separators.
func (w *worker) text() string {
	const alphabet = "abcxyz019 ',\\\"\té€😀"
	rs := []rune(alphabet)
	n := w.rng.IntN(24)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[w.rng.IntN(len(rs))])
	}
	return b.String()
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func opScalar(w *worker, ctx context.Context, pc *pg.PoolConn) error {
	a, s := w.rng.Int64N(1<<40)-1<<39, w.text()
	var got int64
	var gs string
	w.call()
	if err := pc.QueryRow(ctx, "SELECT $1::int8 * 2, $2::text || 'x'", a, s).Scan(&got, &gs); err != nil {
		return err
	}
	w.checked()
	if got != 2*a || gs != s+"x" {
		return wrongf("SELECT %d*2, %q||'x' gave %d, %q", a, s, got, gs)
	}
	return nil
}

func opPoolScalar(w *worker, ctx context.Context) error {
	a, s := w.rng.Int64N(1<<40)-1<<39, w.text()
	var got int64
	var gs string
	w.call()
	if err := w.s.pool.QueryRow(ctx, "SELECT $1::int8 - 1, md5($2::text)", a, s).Scan(&got, &gs); err != nil {
		return err
	}
	w.checked()
	if got != a-1 || gs != md5hex(s) {
		return wrongf("SELECT %d-1, md5(%q) gave %d, %q", a, s, got, gs)
	}
	return nil
}

// opRowsChecksum streams up to 500 rows, each checked in order.
func opRowsChecksum(w *worker, ctx context.Context, pc *pg.PoolConn) error {
	n, salt := 1+w.rng.IntN(500), w.text()
	w.call()
	rows, err := pc.Query(ctx, "SELECT i, md5($2::text || i::text) FROM generate_series(1, $1::int4) AS s(i)", n, salt)
	if err != nil {
		return err
	}
	defer rows.Close()
	var i int32
	for rows.Next() {
		var gi int32
		var h string
		if err := rows.Scan(&gi, &h); err != nil {
			return err
		}
		i++
		w.checked()
		if gi != i || h != md5hex(salt+strconv.Itoa(int(i))) {
			return wrongf("row %d of %d (salt %q): got %d, %q", i, n, salt, gi, h)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if int(i) != n {
		return wrongf("generate_series(1, %d) gave %d rows", n, i)
	}
	return nil
}

// opTx inserts a row in a transaction, reads it back inside it, commits
// or rolls back, and checks after the end that the row is there or not.
func opTx(w *worker, ctx context.Context, pc *pg.PoolConn) (err error) {
	k, v := w.key(), w.text()
	w.call()
	tx, err := pc.Begin(ctx, pg.TxOptions{})
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			// Cleanup, not a checked call: its own context, since the
			// operation's may have ended.
			rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_ = tx.Rollback(rctx)
			cancel()
		}
	}()
	w.call()
	if _, err := tx.Exec(ctx, "INSERT INTO soak_kv (k, v) VALUES ($1, $2)", k, v); err != nil {
		return err
	}
	var got string
	w.call()
	if err := tx.QueryRow(ctx, "SELECT v FROM soak_kv WHERE k = $1", k).Scan(&got); err != nil {
		return err
	}
	w.checked()
	if got != v {
		return wrongf("read back %q for key %d in its transaction, wrote %q", got, k, v)
	}
	commit := w.rng.IntN(4) != 0
	w.call()
	if commit {
		err = tx.Commit(ctx)
	} else {
		err = tx.Rollback(ctx)
	}
	if err != nil {
		return err
	}
	var n int64
	w.call()
	if err := pc.QueryRow(ctx, "SELECT count(*) FROM soak_kv WHERE k = $1 AND v = $2", k, v).Scan(&n); err != nil {
		return err
	}
	w.checked()
	if want := map[bool]int64{true: 1, false: 0}[commit]; n != want {
		return wrongf("key %d: %d rows after commit=%v, want %d", k, n, commit, want)
	}
	return nil
}

// batchRows returns 2 to 21 rows for soak_rows under a fresh batch key.
func (w *worker) batchRows() (int64, [][]any) {
	b := w.key()
	rows := make([][]any, 2+w.rng.IntN(20))
	for j := range rows {
		rows[j] = []any{b, int32(j + 1), w.text()}
	}
	return b, rows
}

// checkBatch reads a batch back and compares count, sum and values.
func (w *worker) checkBatch(ctx context.Context, pc *pg.PoolConn, b int64, rows [][]any) error {
	var n, sum int64
	var agg string
	w.call()
	err := pc.QueryRow(ctx, "SELECT count(*), coalesce(sum(j), 0), coalesce(string_agg(v, ',' ORDER BY j), '') FROM soak_rows WHERE batch = $1", b).
		Scan(&n, &sum, &agg)
	if err != nil {
		return err
	}
	vs := make([]string, len(rows))
	for i, r := range rows {
		vs[i] = r[2].(string)
	}
	m := int64(len(rows))
	w.checked()
	if n != m || sum != m*(m+1)/2 || agg != strings.Join(vs, ",") {
		return wrongf("batch %d: count %d sum %d values %q, want %d %d %q", b, n, sum, agg, m, m*(m+1)/2, strings.Join(vs, ","))
	}
	return nil
}

func opExecMany(w *worker, ctx context.Context, pc *pg.PoolConn) error {
	b, rows := w.batchRows()
	w.call()
	if err := pc.ExecMany(ctx, "INSERT INTO soak_rows (batch, j, v) VALUES ($1, $2, $3)", rows); err != nil {
		return err
	}
	return w.checkBatch(ctx, pc, b, rows)
}

func opCopy(w *worker, ctx context.Context, pc *pg.PoolConn) error {
	b, rows := w.batchRows()
	w.call()
	n, err := pc.CopyRecordsToTable(ctx, "soak_rows", []string{"batch", "j", "v"}, pg.CopyFromRows(rows))
	if err != nil {
		return err
	}
	w.checked()
	if n != int64(len(rows)) {
		return wrongf("COPY of %d rows reported %d", len(rows), n)
	}
	return w.checkBatch(ctx, pc, b, rows)
}

// opSlow runs a query that takes a while (a sleep, or counting a long
// series), so that short deadlines and timed cancels land mid-query.
func opSlow(w *worker, ctx context.Context, pc *pg.PoolConn) error {
	w.call()
	if w.rng.IntN(2) == 0 {
		sleep, a := 0.005+w.rng.Float64()*0.05, w.rng.Int64N(1<<62)
		var got int64
		if err := pc.QueryRow(ctx, "SELECT $2::int8 + 1 FROM (SELECT pg_sleep($1::float8)) AS s", sleep, a).Scan(&got); err != nil {
			return err
		}
		w.checked()
		if got != a+1 {
			return wrongf("SELECT %d+1 after pg_sleep gave %d", a, got)
		}
		return nil
	}
	n := int64(10_000 + w.rng.IntN(290_000))
	var cnt, sum int64
	if err := pc.QueryRow(ctx, "SELECT count(*), sum(i) FROM generate_series(1, $1::int4) AS s(i)", n).Scan(&cnt, &sum); err != nil {
		return err
	}
	w.checked()
	if cnt != n || sum != n*(n+1)/2 {
		return wrongf("generate_series(1, %d): count %d sum %d", n, cnt, sum)
	}
	return nil
}
