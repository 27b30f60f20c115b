package pg_test

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"math/rand"
	"net"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgtest"
	_ "github.com/wirepg/pg/stdlib"
)

// TestRandomCompareWithServer is issue 19's seeded random comparison: for
// every built-in type of the server (base types, arrays of them, ranges
// and multiranges), random values are generated as text, made canonical
// by the server (its input then output function), and each value is taken
// through pg's paths and compared with the server's text of it:
//
//   - result, binary: Query/Rows.Scan into any, and Fetch/Record.Value;
//   - result, text: the server's text decoded by pg's text codec;
//   - parameter, binary: each of those Go values bound as $1::type, the
//     server's text of the parameter compared;
//   - parameter, text: the value in pg's text encoding, $1::text::type;
//   - CopyRecordsToTable: the Go value, and the canonical text (converted
//     by the text codec), loaded and read back as text;
//   - database/sql: the value scanned into any, bound again.
//
// It runs for PG_COMPARE_SECONDS (20 by default) after one full pass over
// the types, with the seed PG_COMPARE_SEED (logged), and logs the number
// of values compared. Every mismatch is an error: a value pg changed
// silently, or refused though the server took it.
func TestRandomCompareWithServer(t *testing.T) {
	budget := 20 * time.Second
	if s := os.Getenv("PG_COMPARE_SECONDS"); s != "" {
		n, err := strconv.ParseFloat(s, 64)
		require.NoError(t, err, "PG_COMPARE_SECONDS")
		budget = time.Duration(n * float64(time.Second))
	}
	seed := time.Now().UnixNano()
	if s := os.Getenv("PG_COMPARE_SEED"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		require.NoError(t, err, "PG_COMPARE_SEED")
		seed = n
	}
	t.Logf("seed %d (PG_COMPARE_SEED=%d to repeat), budget %s", seed, seed, budget)

	ctx, cancel := context.WithTimeout(context.Background(), budget+5*time.Minute)
	defer cancel()
	c := connect(t)
	db, err := sql.Open("pg", pgtest.Shared().DSN())
	require.NoError(t, err)
	defer db.Close()
	sqlConn, err := db.Conn(ctx) // one session, for its temporary function
	require.NoError(t, err)
	defer sqlConn.Close()

	cr := &compareRun{t: t, ctx: ctx, c: c, sqlConn: sqlConn, r: rand.New(rand.NewSource(seed)), bad: map[string]*mismatchGroup{}}
	cr.setup()

	deadline := time.Now().Add(budget)
	for round := 0; round == 0 || time.Now().Before(deadline); round++ {
		for _, ty := range cr.types {
			if round > 0 && !time.Now().Before(deadline) {
				break
			}
			cr.batch(ty)
		}
	}
	t.Logf("%d values compared over %d types (%d paths each); %d generated values were dropped (the server refused them, or could not read its own text of them back)",
		cr.compared, len(cr.types), len(comparePaths), cr.refused)
	for d, n := range cr.known {
		t.Logf("known (openDefect), not counted as a failure here: %s: %d mismatches", d, n)
	}
	keys := make([]string, 0, len(cr.bad))
	for k := range cr.bad {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := cr.bad[k]
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %d mismatches", k, g.n)
		for _, m := range g.examples {
			fmt.Fprintf(&b, "\n\tinput %s\n\t\tserver: %s\n\t\tpg:     %s", m.input, m.server, m.pg)
		}
		t.Error(b.String())
	}
}

var comparePaths = []string{"Query", "Record", "text decode", "param text", "CopyRecordsToTable", "CopyRecordsToTable text", "database/sql"}

type cmpType struct {
	oid   uint32
	name  string // pg_type.typname
	sql   string // pg_catalog."name": no typmod (bit is not bit(1))
	gen   func(r *rand.Rand) string
	codec *codec.Type
	table string
	// binaryCopy: pg and the server both have the type's binary form, so
	// CopyRecordsToTable (binary COPY) can load it; it refuses the others
	// with an error, as documented.
	binaryCopy bool
}

type mismatch struct{ input, server, pg string }

type mismatchGroup struct {
	n        int
	examples []mismatch
}

type compareRun struct {
	t        *testing.T
	ctx      context.Context
	c        *pg.Conn
	sqlConn  *sql.Conn
	r        *rand.Rand
	types    []*cmpType
	compared int64
	refused  int64
	bad      map[string]*mismatchGroup
	regLists map[string][]string
	role     string
	known    map[string]int // mismatches of open defects (openDefect)
}

// Types with no text input the server accepts from a client.
var compareNoInput = map[string]string{
	"pg_node_tree":                 "no input function",
	"pg_ndistinct":                 "no input function",
	"pg_dependencies":              "no input function",
	"pg_mcv_list":                  "no input function",
	"pg_brin_bloom_summary":        "no input function",
	"pg_brin_minmax_multi_summary": "no input function",
	"gtsvector":                    "no input function",
}

func (cr *compareRun) setup() {
	t, ctx, c := cr.t, cr.ctx, cr.c
	_, err := c.Exec(ctx, `CREATE FUNCTION pg_temp.canon(v text, typ text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text; again text; q text := 'SELECT %L::%s::text';
BEGIN
	-- xml's cast to text keeps the document as stored; its output function
	-- (which concat calls), the text every client reads, drops a default
	-- XML declaration and the white space before the root element.
	IF typ LIKE '%"xml"' THEN
		q := 'SELECT concat(%L::%s)';
	END IF;
	EXECUTE format(q, v, typ) INTO r;
	-- The comparison's own temporary tables (cmp_...) and their row
	-- types exist in this session only (another run's print with their
	-- pg_temp_N schema): database/sql's session cannot name them back.
	-- A random numeric OID can name one.
	IF (typ LIKE '%regclass%' OR typ LIKE '%regtype%') AND r ~ '(^|[{,".])cmp_' THEN
		RETURN NULL;
	END IF;
	-- A value whose text the server cannot read back as itself has no
	-- oracle: regproc and regoper print an overloaded name ambiguously.
	EXECUTE format(q, r, typ) INTO again;
	IF again IS DISTINCT FROM r THEN
		RETURN NULL;
	END IF;
	RETURN r;
EXCEPTION WHEN others THEN
	RETURN NULL;
END $$`)
	require.NoError(t, err)
	// parse reads v with typ's input function, as a literal does (a cast
	// from text may differ: text::regclass refuses a numeric OID).
	const parse = `CREATE FUNCTION pg_temp.parse(v text, typ text, t anyelement) RETURNS anyelement LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('SELECT %L::%s', v, typ) INTO t;
	RETURN t;
END $$`
	_, err = c.Exec(ctx, parse)
	require.NoError(t, err)
	_, err = cr.sqlConn.ExecContext(ctx, parse)
	require.NoError(t, err)
	require.NoError(t, c.QueryRow(ctx, "SELECT current_user").Scan(&cr.role))

	// Temporary objects, this session's (the cmp_ tables and their row
	// types) and other tests' alike, are left out: database/sql's session
	// cannot name this one's, and another session's vanish when it ends.
	const tempSchemas = `SELECT oid FROM pg_namespace WHERE nspname LIKE 'pg\_temp\_%' OR nspname LIKE 'pg\_toast\_temp\_%'`
	cr.regLists = map[string][]string{}
	for name, q := range map[string]string{
		"regproc":       "SELECT p.oid::regproc::text FROM pg_proc p WHERE to_regproc(p.oid::regproc::text) IS NOT NULL",
		"regprocedure":  "SELECT p.oid::regprocedure::text FROM pg_proc p",
		"regoper":       "SELECT o.oid::regoper::text FROM pg_operator o WHERE to_regoper(o.oid::regoper::text) IS NOT NULL",
		"regoperator":   "SELECT o.oid::regoperator::text FROM pg_operator o",
		"regclass":      "SELECT c.oid::regclass::text FROM pg_class c WHERE c.relnamespace NOT IN (" + tempSchemas + ")",
		"regtype":       "SELECT t.oid::regtype::text FROM pg_type t WHERE t.typnamespace NOT IN (" + tempSchemas + ")",
		"regnamespace":  "SELECT n.oid::regnamespace::text FROM pg_namespace n",
		"regrole":       "SELECT r.oid::regrole::text FROM pg_roles r",
		"regcollation":  "SELECT c.oid::regcollation::text FROM pg_collation c WHERE to_regcollation(c.oid::regcollation::text) IS NOT NULL",
		"regconfig":     "SELECT c.oid::regconfig::text FROM pg_ts_config c",
		"regdictionary": "SELECT d.oid::regdictionary::text FROM pg_ts_dict d",
	} {
		rows, err := c.Query(ctx, q+" ORDER BY 1")
		require.NoError(t, err)
		for rows.Next() {
			var s string
			require.NoError(t, rows.Scan(&s))
			cr.regLists[name] = append(cr.regLists[name], s)
		}
		require.NoError(t, rows.Err())
	}

	recs, err := c.Fetch(ctx, `
SELECT t.oid, t.typname::text, t.typtype::text, e.typname::text, t.typdelim::text, coalesce(s.typname::text, ''), coalesce(rs.typname::text, ''),
	t.typreceive <> 0 AND coalesce(e.typreceive <> 0, true)
FROM pg_type t
LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typsubscript = 'array_subscript_handler'::regproc AND t.typname NOT IN ('int2vector', 'oidvector')
LEFT JOIN pg_range r ON r.rngtypid = t.oid LEFT JOIN pg_type s ON s.oid = r.rngsubtype
LEFT JOIN pg_range mr ON mr.rngmultitypid = t.oid LEFT JOIN pg_type rs ON rs.oid = mr.rngtypid
WHERE t.typnamespace = 'pg_catalog'::regnamespace AND t.typtype IN ('b', 'r', 'm') AND t.typisdefined
	-- not the arrays of the catalogs' row types and of pseudo-types
	AND NOT EXISTS (SELECT FROM pg_type x WHERE x.oid = t.typelem AND x.typtype NOT IN ('b', 'r', 'm'))
ORDER BY t.oid`)
	require.NoError(t, err)
	elemDelim := map[string]byte{}
	for _, rec := range recs {
		elemDelim[rec.Values()[1].(string)] = rec.Values()[4].(string)[0]
	}
	scalar := cr.scalarGens()
	var missing, noCopy []string
	for _, rec := range recs {
		v := rec.Values()
		oid, name, typtype := uint32(v[0].(uint32)), v[1].(string), v[2].(string)
		var elem string
		if v[3] != nil {
			elem = v[3].(string)
		}
		sub, rng := v[5].(string), v[6].(string)
		if _, ok := compareNoInput[name]; ok {
			continue
		}
		if elem != "" {
			if _, ok := compareNoInput[elem]; ok {
				continue
			}
		}
		if only := os.Getenv("PG_COMPARE_TYPES"); only != "" && !strings.Contains(","+only+",", ","+name+",") {
			continue
		}
		ty := &cmpType{oid: oid, name: name, sql: `pg_catalog."` + name + `"`}
		switch {
		case elem != "":
			eg := scalar[elem]
			if typtype == "b" && eg == nil && rangeSubtypeOf(elem) != "" {
				eg = cr.rangeGen(rangeSubtypeOf(elem))
			}
			if eg == nil && strings.HasSuffix(elem, "multirange") {
				eg = cr.multirangeGen(strings.TrimSuffix(elem, "multirange") + "range")
			}
			if eg != nil {
				ty.gen = arrayGen(eg, elemDelim[elem])
			}
		case typtype == "r":
			ty.gen = cr.rangeGen(sub)
		case typtype == "m":
			ty.gen = cr.multirangeGen(rng)
		default:
			ty.gen = scalar[name]
		}
		if ty.gen == nil {
			missing = append(missing, name)
			continue
		}
		ty.codec = codec.Default().Lookup(oid)
		if ty.codec == nil {
			cr.fail(ty.name, "registry", "", "a built-in type", "pg has no codec for OID "+strconv.Itoa(int(oid)))
			continue
		}
		ty.binaryCopy = v[7].(bool) && ty.codec.HasBinary()
		if !ty.binaryCopy {
			noCopy = append(noCopy, name)
		}
		ty.table = "cmp_" + strconv.Itoa(int(oid))
		_, err := c.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE %s (i int4, v %s)", ty.table, ty.sql))
		require.NoError(t, err)
		cr.types = append(cr.types, ty)
	}
	require.Empty(t, missing, "built-in types without a generator")
	t.Logf("not loaded with CopyRecordsToTable (no binary form in pg or the server, refused as documented): %s", strings.Join(noCopy, " "))
}

// openDefect names the known, still open issue-19 defect a mismatch is an
// instance of (or a server limit pg reports with an error), or "". These
// are real bugs the comparison found (values
// refused, or changed, where the server keeps them); each is listed in
// issue 19's note and logged with its count at every run, so that the rest
// of the comparison guards everything else. Remove an entry when it is
// fixed.
func openDefect(typ, path, server, got string) string {
	switch {
	case strings.HasPrefix(path, "CopyRecordsToTable") && strings.Contains(got, "(empty) in binary"):
		// Not pg's defect: the server's own binary form of an empty
		// int2vector/oidvector is refused by int2vectorrecv, so binary
		// COPY cannot load one; pg says so instead of sending it.
		return "binary COPY cannot load an empty int2vector/oidvector (server limit, refused with an error)"
	}
	return ""
}

func (cr *compareRun) fail(typ, path, input, server, got string) {
	if d := openDefect(typ, path, server, got); d != "" {
		if cr.known == nil {
			cr.known = map[string]int{}
		}
		cr.known[d]++
		return
	}
	k := typ + " / " + path
	g := cr.bad[k]
	if g == nil {
		g = &mismatchGroup{}
		cr.bad[k] = g
	}
	g.n++
	if len(g.examples) < 3 {
		g.examples = append(g.examples, mismatch{input: clip(input), server: clip(server), pg: clip(got)})
	}
}

func clip(s string) string {
	if len(s) <= 300 {
		return s
	}
	cut := 300
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("… (%d bytes)", len(s))
}

// compare counts one comparison of pg's result with the server's text.
func (cr *compareRun) compare(ty *cmpType, path, input string, server *string, got any, err error) {
	cr.compared++
	want := "NULL"
	if server != nil {
		want = strconv.Quote(*server)
	}
	if err != nil {
		cr.fail(ty.name, path, input, want, "error: "+err.Error())
		return
	}
	var g string
	switch v := got.(type) {
	case nil:
		g = "NULL"
	case string:
		g = strconv.Quote(v)
	default:
		g = fmt.Sprintf("%T %v", got, got)
	}
	if g != want {
		cr.fail(ty.name, path, input, want, g)
	}
}

const compareBatch = 12

// batch runs one batch of random values of ty through every path.
func (cr *compareRun) batch(ty *cmpType) {
	ctx, c := cr.ctx, cr.c
	lits := make([]string, compareBatch)
	for i := range lits {
		lits[i] = ty.gen(cr.r)
	}
	// The server's canonical text of each value; NULL when it refused it.
	var canon []*string
	var inputs []string
	rows, err := c.Query(ctx, "SELECT pg_temp.canon(v, $2) FROM unnest($1::text[]) WITH ORDINALITY AS u(v, i) ORDER BY i", lits, ty.sql)
	require.NoError(cr.t, err)
	i := 0
	for rows.Next() {
		var s *string
		require.NoError(cr.t, rows.Scan(&s))
		if s != nil {
			canon = append(canon, s)
			inputs = append(inputs, lits[i])
		} else {
			cr.refused++
		}
		i++
	}
	require.NoError(cr.t, rows.Err())
	canon = append(canon, nil) // and a NULL
	inputs = append(inputs, "NULL")
	n := len(canon)

	// Results, binary: Query and Record.
	sel := "SELECT pg_temp.parse(c, $2, NULL::" + ty.sql + ") FROM unnest($1::text[]) WITH ORDINALITY AS u(c, i) ORDER BY i"
	rows, err = c.Query(ctx, sel, canon, ty.sql)
	qvals, qerrs := scanEach(rows, err, n)
	rvals := make([]any, n)
	rerrs := make([]error, n)
	recs, err := c.Fetch(ctx, sel, canon, ty.sql)
	for i := range rvals {
		if err != nil {
			rerrs[i] = err
		} else {
			rvals[i] = recs[i].Value(0)
		}
	}
	// Results, text: the server's text through pg's text codec.
	tvals := make([]any, n)
	terrs := make([]error, n)
	for i, s := range canon {
		if s != nil {
			tvals[i], terrs[i] = codec.DecodeValue(ty.codec, codec.TextFormat, []byte(*s))
		}
	}
	cr.paramCheck(ty, "Query", inputs, canon, qvals, qerrs)
	cr.paramCheck(ty, "Record", inputs, canon, rvals, rerrs)
	cr.paramCheck(ty, "text decode", inputs, canon, tvals, terrs)

	// Parameters, text: the server's text as a Go string, bound as
	// $n::type.
	strs := make([]any, n)
	for i, s := range canon {
		if s != nil {
			strs[i] = *s
		}
	}
	cr.serverText(ty, "param text", "$%d::"+ty.sql, inputs, canon, strs, make([]error, n))

	// CopyRecordsToTable: the Go values, and the canonical texts.
	cr.copyCheck(ty, "CopyRecordsToTable", inputs, canon, qvals, qerrs)
	cr.copyCheck(ty, "CopyRecordsToTable text", inputs, canon, strs, make([]error, n))

	// database/sql: scanned into any, bound again.
	sqlRows, err := cr.sqlConn.QueryContext(ctx, "SELECT pg_temp.parse(c, $2, NULL::"+ty.sql+") FROM unnest(string_to_array($1, chr(1), chr(2))) WITH ORDINALITY AS u(c, i) ORDER BY i", joinCanon(canon), ty.sql)
	svals, serrs := scanEach(sqlRows, err, n)
	cr.sqlCheck(ty, inputs, canon, svals, serrs)
}

// joinCanon joins the texts with U+0001 (no generator writes it), NULL as
// U+0002, for string_to_array: database/sql has no array parameters.
// eachRow is what pg.Rows and sql.Rows share.
type eachRow interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// scanEach scans n rows of one column into any, with each row's error: the
// query's (err) for all when it failed, the rows' for those never reached.
func scanEach[R eachRow](rows R, err error, n int) ([]any, []error) {
	vals, errs := make([]any, n), make([]error, n)
	i := 0
	if err == nil {
		for ; i < n && rows.Next(); i++ {
			errs[i] = rows.Scan(&vals[i])
		}
		err = rows.Err()
		_ = rows.Close()
	}
	for ; err != nil && i < n; i++ {
		errs[i] = err
	}
	return vals, errs
}

func joinCanon(canon []*string) string {
	parts := make([]string, len(canon))
	for i, s := range canon {
		if s == nil {
			parts[i] = "\x02"
		} else {
			parts[i] = *s
		}
	}
	return strings.Join(parts, "\x01")
}

// paramCheck binds vals as $n::type and compares the server's text of
// each with canon.
func (cr *compareRun) paramCheck(ty *cmpType, path string, inputs []string, canon []*string, vals []any, errs []error) {
	cr.serverText(ty, path, "$%d::"+ty.sql, inputs, canon, vals, errs)
}

// serverText runs SELECT expr($1)::text, expr($2)::text ... with vals
// (those without an error) and compares each with canon.
func (cr *compareRun) serverText(ty *cmpType, path, expr string, inputs []string, canon []*string, vals []any, errs []error) {
	var q strings.Builder
	q.WriteString("SELECT ")
	var args []any
	var idx []int
	for i := range vals {
		if errs[i] != nil {
			cr.compare(ty, path, inputs[i], canon[i], nil, errs[i])
			continue
		}
		if len(args) > 0 {
			q.WriteString(", ")
		}
		args = append(args, vals[i])
		idx = append(idx, i)
		fmt.Fprintf(&q, "("+expr+")::text", len(args))
	}
	if len(args) == 0 {
		return
	}
	rec, err := cr.c.FetchRow(cr.ctx, q.String(), args...)
	if err != nil {
		// Find the values that fail one by one.
		for _, i := range idx {
			rec, err := cr.c.FetchRow(cr.ctx, "SELECT ("+fmt.Sprintf(expr, 1)+")::text", vals[i])
			var got any
			if err == nil {
				got = rec.Value(0)
			}
			cr.compare(ty, path, inputs[i], canon[i], got, err)
		}
		return
	}
	for k, i := range idx {
		cr.compare(ty, path, inputs[i], canon[i], rec.Value(k), nil)
	}
}

func (cr *compareRun) copyCheck(ty *cmpType, path string, inputs []string, canon []*string, vals []any, errs []error) {
	ctx, c := cr.ctx, cr.c
	if !ty.binaryCopy {
		return
	}
	_, err := c.Exec(ctx, "TRUNCATE "+ty.table)
	require.NoError(cr.t, err)
	var rows [][]any
	var idx []int
	for i := range vals {
		if errs[i] != nil {
			cr.compare(ty, path, inputs[i], canon[i], nil, errs[i])
			continue
		}
		rows = append(rows, []any{int32(i), vals[i]})
		idx = append(idx, i)
	}
	if len(rows) == 0 {
		return
	}
	if _, err := c.CopyRecordsToTable(ctx, ty.table, []string{"i", "v"}, pg.CopyFromRows(rows)); err != nil {
		// One by one, to name the values that fail.
		for _, i := range idx {
			_, err := c.Exec(ctx, "TRUNCATE "+ty.table)
			require.NoError(cr.t, err)
			_, err = c.CopyRecordsToTable(ctx, ty.table, []string{"i", "v"}, pg.CopyFromRows([][]any{{int32(i), vals[i]}}))
			var got any
			if err == nil {
				got, err = pg.FetchVal[any](ctx, c, "SELECT v::text FROM "+ty.table)
			}
			cr.compare(ty, path, inputs[i], canon[i], got, err)
		}
		return
	}
	recs, err := c.Fetch(ctx, "SELECT i, v::text FROM "+ty.table+" ORDER BY i")
	require.NoError(cr.t, err)
	require.Len(cr.t, recs, len(idx))
	for k, i := range idx {
		cr.compare(ty, path, inputs[i], canon[i], recs[k].Value(1), nil)
	}
}

func (cr *compareRun) sqlCheck(ty *cmpType, inputs []string, canon []*string, vals []any, errs []error) {
	var q strings.Builder
	q.WriteString("SELECT ")
	var args []any
	var idx []int
	for i := range vals {
		if errs[i] != nil {
			cr.compare(ty, "database/sql", inputs[i], canon[i], nil, errs[i])
			continue
		}
		if len(args) > 0 {
			q.WriteString(", ")
		}
		args = append(args, vals[i])
		idx = append(idx, i)
		fmt.Fprintf(&q, "$%d::%s::text", len(args), ty.sql)
	}
	if len(args) == 0 {
		return
	}
	got := make([]sql.NullString, len(args))
	dst := make([]any, len(args))
	for k := range got {
		dst[k] = &got[k]
	}
	if err := cr.sqlConn.QueryRowContext(cr.ctx, q.String(), args...).Scan(dst...); err != nil {
		for _, i := range idx {
			var s sql.NullString
			err := cr.sqlConn.QueryRowContext(cr.ctx, "SELECT $1::"+ty.sql+"::text", vals[i]).Scan(&s)
			cr.compare(ty, "database/sql", inputs[i], canon[i], nullString(s), err)
		}
		return
	}
	for k, i := range idx {
		cr.compare(ty, "database/sql", inputs[i], canon[i], nullString(got[k]), nil)
	}
}

func nullString(s sql.NullString) any {
	if !s.Valid {
		return nil
	}
	return s.String
}

// ---- generators: random text literals of each type ----

func (cr *compareRun) scalarGens() map[string]func(*rand.Rand) string {
	g := map[string]func(*rand.Rand) string{
		"bool": func(r *rand.Rand) string {
			return []string{"true", "false", "t", "f", "yes", "off", "1", "0"}[r.Intn(8)]
		},
		"int2":   func(r *rand.Rand) string { return strconv.FormatInt(randInt(r, 16), 10) },
		"int4":   func(r *rand.Rand) string { return strconv.FormatInt(randInt(r, 32), 10) },
		"int8":   func(r *rand.Rand) string { return strconv.FormatInt(randInt(r, 64), 10) },
		"oid":    func(r *rand.Rand) string { return strconv.FormatUint(uint64(randUint32(r)), 10) },
		"xid":    func(r *rand.Rand) string { return strconv.FormatUint(uint64(randUint32(r)), 10) },
		"cid":    func(r *rand.Rand) string { return strconv.FormatUint(uint64(randUint32(r)), 10) },
		"xid8":   func(r *rand.Rand) string { return strconv.FormatUint(r.Uint64()>>uint(r.Intn(64)), 10) },
		"float8": func(r *rand.Rand) string { return floatLit(randFloat64(r), 64) },
		"float4": func(r *rand.Rand) string { return floatLit(float64(float32(randFloat64(r))), 32) },
		"numeric": func(r *rand.Rand) string {
			switch r.Intn(30) {
			case 0:
				return "NaN"
			case 1:
				return "Infinity"
			case 2:
				return "-Infinity"
			}
			return randDecimal(r)
		},
		"money": func(r *rand.Rand) string {
			c := r.Int63() >> uint(r.Intn(63))
			s := fmt.Sprintf("%d.%02d", c/100, c%100)
			if r.Intn(2) == 0 {
				s = "-" + s
			}
			return s
		},
		"text":      randText,
		"varchar":   randText,
		"bpchar":    randText,
		"name":      randText,
		"refcursor": randText,
		"char": func(r *rand.Rand) string {
			return []string{"", "a", "Z", "0", " ", "'", `"`, `\`, "é", "\x7f", "日"}[r.Intn(11)]
		},
		"bytea": func(r *rand.Rand) string {
			b := make([]byte, r.Intn(40))
			r.Read(b)
			return fmt.Sprintf(`\x%x`, b)
		},
		"date": func(r *rand.Rand) string {
			switch r.Intn(30) {
			case 0:
				return "infinity"
			case 1:
				return "-infinity"
			case 2:
				return "4713-11-24 BC"
			case 3:
				return "5874897-12-31"
			}
			return fmtDate(randTime(r, r.Intn(10) == 0))
		},
		"time": func(r *rand.Rand) string {
			if r.Intn(30) == 0 {
				return "24:00:00"
			}
			return fmtClock(randTime(r, false))
		},
		"timetz": func(r *rand.Rand) string {
			if r.Intn(30) == 0 {
				return "24:00:00+15:59"
			}
			return fmtClock(randTime(r, false)) + fmtOffset(r)
		},
		"timestamp": func(r *rand.Rand) string {
			switch r.Intn(30) {
			case 0:
				return "infinity"
			case 1:
				return "-infinity"
			}
			return fmtTimestamp(randTime(r, false))
		},
		"timestamptz": func(r *rand.Rand) string {
			switch r.Intn(30) {
			case 0:
				return "infinity"
			case 1:
				return "-infinity"
			case 2:
				return fmtTimestamp(randTime(r, false)) + " Europe/Amsterdam"
			}
			return fmtTimestamp(randTime(r, false)) + fmtOffset(r)
		},
		"interval": func(r *rand.Rand) string {
			months := randInt(r, 32)
			days := randInt(r, 32)
			us := r.Int63() >> uint(r.Intn(63))
			sign := ""
			if r.Intn(2) == 0 {
				sign = "-"
			}
			return fmt.Sprintf("%d mons %d days %s%d:%02d:%02d.%06d", months, days, sign,
				us/3_600_000_000, us/60_000_000%60, us/1_000_000%60, us%1_000_000)
		},
		"uuid": func(r *rand.Rand) string {
			b := make([]byte, 16)
			r.Read(b)
			s := fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
			if r.Intn(4) == 0 {
				s = "{" + strings.ToUpper(s) + "}"
			}
			return s
		},
		"macaddr":  func(r *rand.Rand) string { return randMAC(r, 6) },
		"macaddr8": func(r *rand.Rand) string { return randMAC(r, 8) },
		"inet":     func(r *rand.Rand) string { return randInet(r, false) },
		"cidr":     func(r *rand.Rand) string { return randInet(r, true) },
		"bit":      randBits,
		"varbit":   randBits,
		"point":    func(r *rand.Rand) string { return randPoint(r) },
		"lseg":     func(r *rand.Rand) string { return "[" + randPoint(r) + "," + randPoint(r) + "]" },
		"box":      func(r *rand.Rand) string { return randPoint(r) + "," + randPoint(r) },
		"path": func(r *rand.Rand) string {
			open, close := "(", ")"
			if r.Intn(2) == 0 {
				open, close = "[", "]"
			}
			return open + randPoints(r) + close
		},
		"polygon": func(r *rand.Rand) string { return "(" + randPoints(r) + ")" },
		"circle": func(r *rand.Rand) string {
			return "<" + randPoint(r) + "," + floatLit(math.Abs(randGeomFloat(r)), 64) + ">"
		},
		"line": func(r *rand.Rand) string {
			a, b := randGeomFloat(r), randGeomFloat(r)
			if a == 0 && b == 0 {
				a = 1
			}
			return "{" + floatLit(a, 64) + "," + floatLit(b, 64) + "," + floatLit(randGeomFloat(r), 64) + "}"
		},
		"json":     func(r *rand.Rand) string { return randJSON(r, 0) },
		"jsonb":    func(r *rand.Rand) string { return randJSON(r, 0) },
		"jsonpath": randJSONPath,
		"xml":      randXML,
		"tid": func(r *rand.Rand) string {
			return fmt.Sprintf("(%d,%d)", randUint32(r), randUint32(r)&0xffff)
		},
		"int2vector": func(r *rand.Rand) string {
			parts := make([]string, r.Intn(5))
			for i := range parts {
				parts[i] = strconv.FormatInt(randInt(r, 16), 10)
			}
			return strings.Join(parts, " ")
		},
		"oidvector": func(r *rand.Rand) string {
			parts := make([]string, r.Intn(5))
			for i := range parts {
				parts[i] = strconv.FormatUint(uint64(randUint32(r)), 10)
			}
			return strings.Join(parts, " ")
		},
		"pg_lsn": func(r *rand.Rand) string {
			return fmt.Sprintf("%X/%X", randUint32(r), randUint32(r))
		},
		"txid_snapshot": randSnapshot,
		"pg_snapshot":   randSnapshot,
		"tsvector":      randTSVector,
		"tsquery":       randTSQuery,
		"aclitem": func(r *rand.Rand) string {
			privs := "arwdDxtXUCTcsA"
			var p strings.Builder
			for i := range privs {
				if r.Intn(3) == 0 {
					p.WriteByte(privs[i])
					if r.Intn(4) == 0 {
						p.WriteByte('*')
					}
				}
			}
			grantee := cr.role
			if r.Intn(3) == 0 {
				grantee = ""
			}
			return quoteACLName(grantee) + "=" + p.String() + "/" + quoteACLName(cr.role)
		},
	}
	for name, list := range cr.regLists {
		g[name] = func(r *rand.Rand) string {
			if r.Intn(5) == 0 || len(list) == 0 {
				return strconv.FormatUint(uint64(randUint32(r)), 10)
			}
			return list[r.Intn(len(list))]
		}
	}
	return g
}

func quoteACLName(s string) string {
	if s == "" {
		return ""
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func randInt(r *rand.Rand, bits uint) int64 {
	max := int64(1)<<(bits-1) - 1
	min := -max - 1
	switch r.Intn(10) {
	case 0:
		return []int64{min, max, 0, 1, -1, min + 1, max - 1}[r.Intn(7)]
	}
	v := r.Int63() >> (63 - (bits - 1)) >> uint(r.Intn(int(bits)))
	if r.Intn(2) == 0 {
		v = -v - 1
	}
	return v
}

func randUint32(r *rand.Rand) uint32 {
	if r.Intn(10) == 0 {
		return []uint32{0, 1, math.MaxUint32, math.MaxInt32, math.MaxInt32 + 1}[r.Intn(5)]
	}
	return r.Uint32() >> uint(r.Intn(32))
}

func randFloat64(r *rand.Rand) float64 {
	if r.Intn(4) == 0 {
		return []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1.0 / 3, math.MaxFloat64, -math.MaxFloat64,
			math.SmallestNonzeroFloat64, -math.SmallestNonzeroFloat64, 2.2250738585072014e-308, math.Inf(1), math.Inf(-1), math.NaN(),
			math.MaxFloat32, math.SmallestNonzeroFloat32, 1e15, 123456789012345678, 9007199254740993}[r.Intn(19)]
	}
	switch r.Intn(3) {
	case 0:
		return float64(r.Int63()>>uint(r.Intn(63))) / math.Pow(10, float64(r.Intn(20)))
	case 1:
		return (r.Float64() - 0.5) * math.Pow(10, float64(r.Intn(80)-40))
	}
	for {
		f := math.Float64frombits(r.Uint64())
		if !math.IsNaN(f) {
			return f
		}
	}
}

func floatLit(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(f, 'g', -1, bits)
}

func randDecimal(r *rand.Rand) string {
	var b strings.Builder
	if r.Intn(2) == 0 {
		b.WriteByte('-')
	}
	digits := func(n int) {
		for i := 0; i < n; i++ {
			b.WriteByte(byte('0' + r.Intn(10)))
		}
	}
	lens := []int{0, 1, 2, 4, 8, 15, 16, 17, 19, 20, 30, 40, 100}
	ip, fp := lens[r.Intn(len(lens))], lens[r.Intn(len(lens))]
	if ip == 0 {
		b.WriteByte('0')
	}
	digits(ip)
	if fp > 0 || r.Intn(4) == 0 {
		b.WriteByte('.')
		digits(fp)
	}
	if r.Intn(8) == 0 {
		fmt.Fprintf(&b, "e%d", r.Intn(200)-100)
	}
	return b.String()
}

var textPool = []string{"a", "b", "Z", "0", " ", "  ", "'", `"`, `\`, ",", "{", "}", "(", ")", "[", "]", ";", ":", "\t", "\n", "\r",
	"é", "ü", "日本", "😀", "\u0301", "\u00a0", "NULL", "null", "x", "y", "-", "+", ".", "=", ">", "<", "&", "$1", "\u2028", "\x7f", "ß"}

func randText(r *rand.Rand) string {
	n := r.Intn(12)
	if r.Intn(20) == 0 {
		n = 200 + r.Intn(300)
	}
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(textPool[r.Intn(len(textPool))])
	}
	return b.String()
}

// randTime is a random instant in timestamp's range (4713 BC to 294276
// AD), beyond it for dates when wide.
func randTime(r *rand.Rand, wide bool) time.Time {
	var year int
	switch {
	case wide:
		year = r.Intn(5874897) + 1
	case r.Intn(3) == 0:
		year = 1900 + r.Intn(200)
	default:
		year = r.Intn(294276+4712) - 4711
	}
	return time.Date(year, time.January, 1, 0, 0, 0, 0, time.UTC).
		Add(time.Duration(r.Int63n(365*24*3600*1_000_000)) * time.Microsecond)
}

func fmtDate(t time.Time) string {
	y, bc := t.Year(), ""
	if y <= 0 {
		y, bc = 1-y, " BC"
	}
	return fmt.Sprintf("%04d-%02d-%02d%s", y, t.Month(), t.Day(), bc)
}

func fmtClock(t time.Time) string {
	return fmt.Sprintf("%02d:%02d:%02d.%06d", t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
}

func fmtTimestamp(t time.Time) string {
	d := fmtDate(t)
	if i := strings.Index(d, " BC"); i >= 0 {
		return d[:i] + " " + fmtClock(t) + " BC"
	}
	return d + " " + fmtClock(t)
}

func fmtOffset(r *rand.Rand) string {
	secs := r.Intn(2*(15*3600+59*60+59)+1) - (15*3600 + 59*60 + 59)
	if r.Intn(2) == 0 {
		secs -= secs % 900
	}
	sign := "+"
	if secs < 0 {
		sign, secs = "-", -secs
	}
	s := fmt.Sprintf("%s%02d:%02d", sign, secs/3600, secs/60%60)
	if secs%60 != 0 {
		s += fmt.Sprintf(":%02d", secs%60)
	}
	return s
}

func randMAC(r *rand.Rand, n int) string {
	b := make([]byte, n)
	r.Read(b)
	parts := make([]string, n)
	for i := range b {
		parts[i] = fmt.Sprintf("%02x", b[i])
	}
	return strings.Join(parts, ":")
}

func randInet(r *rand.Rand, cidr bool) string {
	n := 4
	if r.Intn(2) == 0 {
		n = 16
	}
	ip := make(net.IP, n)
	r.Read(ip)
	bits := r.Intn(8*n + 1)
	if cidr {
		ip = ip.Mask(net.CIDRMask(bits, 8*n))
	}
	s := ip.String()
	if n == 16 && ip.To4() != nil {
		s = "::ffff:" + ip.To4().String()
	}
	if cidr || r.Intn(2) == 0 {
		s += "/" + strconv.Itoa(bits)
	}
	return s
}

func randBits(r *rand.Rand) string {
	b := make([]byte, r.Intn(70))
	for i := range b {
		b[i] = byte('0' + r.Intn(2))
	}
	return string(b)
}

func randGeomFloat(r *rand.Rand) float64 {
	f := randFloat64(r)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return float64(r.Intn(100))
	}
	return f
}

func randPoint(r *rand.Rand) string {
	return "(" + floatLit(randGeomFloat(r), 64) + "," + floatLit(randGeomFloat(r), 64) + ")"
}

func randPoints(r *rand.Rand) string {
	pts := make([]string, 1+r.Intn(4))
	for i := range pts {
		pts[i] = randPoint(r)
	}
	return strings.Join(pts, ",")
}

func randJSON(r *rand.Rand, depth int) string {
	ws := func() string { return []string{"", "", " ", "\n", "\t "}[r.Intn(5)] }
	k := r.Intn(8)
	if depth > 2 {
		k = 2 + r.Intn(6)
	}
	switch k {
	case 0:
		parts := make([]string, r.Intn(4))
		for i := range parts {
			key := randText(r)
			if r.Intn(5) == 0 && i > 0 {
				key = "dup"
			}
			parts[i] = ws() + strconv.Quote(strings.ToValidUTF8(key, "")) + ws() + ":" + randJSON(r, depth+1)
		}
		return ws() + "{" + strings.Join(parts, ",") + "}" + ws()
	case 1:
		parts := make([]string, r.Intn(4))
		for i := range parts {
			parts[i] = randJSON(r, depth+1)
		}
		return ws() + "[" + strings.Join(parts, ","+ws()) + "]"
	case 2:
		return jsonString(randText(r))
	case 3:
		return randDecimal(r)
	case 4:
		return floatLit(randGeomFloat(r), 64)
	case 5:
		return []string{"true", "false", "null"}[r.Intn(3)]
	case 6:
		return strconv.FormatInt(randInt(r, 64), 10)
	}
	return `"\u00e9\n\"\\\/"`
}

// jsonString quotes s as a JSON string (strconv.Quote's \x and \U escapes
// are not JSON).
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteRune(c)
		case c < 0x20:
			fmt.Fprintf(&b, `\u%04x`, c)
		default:
			b.WriteRune(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func randJSONPath(r *rand.Rand) string {
	n := strconv.Itoa(r.Intn(100))
	return []string{
		"$", "$.a", `$."k y"[*]`, "$.a ? (@ > " + n + ")", "strict $.x[" + n + " to last]", "$.a.b.type()",
		`lax $ ? (@ like_regex "^a.*" flag "i")`, "$.x + " + floatLit(randGeomFloat(r), 64), "$.a[*].b ? (@ == \"x\" && @ != null)",
		"$.datetime()", "-$.a", "$.a.keyvalue()", "exists($.a)", "$ ? (@ starts with \"ab\")", "$.a[" + n + "," + n + "]",
	}[r.Intn(15)]
}

func xmlEscape(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\x7f', '\u2028':
			b.WriteString("x")
		default:
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				continue
			}
			b.WriteRune(c)
		}
	}
	return b.String()
}

func randXML(r *rand.Rand) string {
	t := xmlEscape(randText(r))
	return []string{
		"<a>" + t + "</a>", `<a b="` + t + `"/>`, t, `<?xml version="1.0"?><r>` + t + "</r>", "<a><b>" + t + "</b><!-- c --></a>",
	}[r.Intn(5)]
}

func randSnapshot(r *rand.Rand) string {
	xmin := uint64(1 + r.Intn(1<<30))
	xmax := xmin + uint64(r.Intn(50))
	var xip []string
	for x := xmin; x < xmax; x++ {
		if r.Intn(4) == 0 {
			xip = append(xip, strconv.FormatUint(x, 10))
		}
	}
	return fmt.Sprintf("%d:%d:%s", xmin, xmax, strings.Join(xip, ","))
}

var tsWords = []string{"a", "cat", "Fat", "rat's", `back\slash`, "日本", "é", "x y", "don't", "a:b", "!", "&"}

func tsWord(r *rand.Rand) string {
	w := tsWords[r.Intn(len(tsWords))]
	w = strings.ReplaceAll(w, `\`, `\\`)
	return "'" + strings.ReplaceAll(w, "'", "''") + "'"
}

func randTSVector(r *rand.Rand) string {
	parts := make([]string, r.Intn(5))
	for i := range parts {
		parts[i] = tsWord(r)
		if r.Intn(2) == 0 {
			pos := make([]string, 1+r.Intn(3))
			for j := range pos {
				pos[j] = strconv.Itoa(1+r.Intn(16383)) + []string{"", "A", "B", "C", "D"}[r.Intn(5)]
			}
			parts[i] += ":" + strings.Join(pos, ",")
		}
	}
	return strings.Join(parts, " ")
}

func randTSQuery(r *rand.Rand) string {
	var node func(d int) string
	node = func(d int) string {
		if d > 2 || r.Intn(3) == 0 {
			w := tsWord(r)
			if r.Intn(4) == 0 {
				w += ":*" + []string{"", "A", "BC"}[r.Intn(3)]
			}
			return w
		}
		switch r.Intn(5) {
		case 0:
			return "!" + node(d+1)
		case 1:
			return "(" + node(d+1) + " & " + node(d+1) + ")"
		case 2:
			return "(" + node(d+1) + " | " + node(d+1) + ")"
		case 3:
			return "(" + node(d+1) + " <-> " + node(d+1) + ")"
		}
		return "(" + node(d+1) + " <" + strconv.Itoa(r.Intn(5)) + "> " + node(d+1) + ")"
	}
	return node(0)
}

// arrayGen writes arrays of elem's values: one or two dimensions, NULLs,
// sometimes explicit bounds; every element double-quoted.
func arrayGen(elem func(*rand.Rand) string, delim byte) func(*rand.Rand) string {
	el := func(r *rand.Rand) string {
		if r.Intn(10) == 0 {
			return "NULL"
		}
		e := elem(r)
		e = strings.ReplaceAll(e, `\`, `\\`)
		return `"` + strings.ReplaceAll(e, `"`, `\"`) + `"`
	}
	d := string(delim)
	return func(r *rand.Rand) string {
		if r.Intn(8) == 0 {
			rows, cols := 1+r.Intn(3), 1+r.Intn(3)
			parts := make([]string, rows)
			for i := range parts {
				inner := make([]string, cols)
				for j := range inner {
					inner[j] = el(r)
				}
				parts[i] = "{" + strings.Join(inner, d) + "}"
			}
			return "{" + strings.Join(parts, d) + "}"
		}
		parts := make([]string, r.Intn(5))
		for i := range parts {
			parts[i] = el(r)
		}
		s := "{" + strings.Join(parts, d) + "}"
		if len(parts) > 0 && r.Intn(6) == 0 {
			lo := r.Intn(20) - 10
			s = fmt.Sprintf("[%d:%d]=%s", lo, lo+len(parts)-1, s)
		}
		return s
	}
}

func rangeSubtypeOf(rangeName string) string {
	return map[string]string{"int4range": "int4", "int8range": "int8", "numrange": "numeric",
		"tsrange": "timestamp", "tstzrange": "timestamptz", "daterange": "date"}[rangeName]
}

// rangeBounds returns two ordered random values of a range's subtype.
func rangeBounds(r *rand.Rand, sub string) (string, string) {
	switch sub {
	case "int4", "int8":
		bits := uint(32)
		if sub == "int8" {
			bits = 64
		}
		a, b := randInt(r, bits), randInt(r, bits)
		if a > b {
			a, b = b, a
		}
		return strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)
	case "numeric":
		a, b := randDecimal(r), randDecimal(r)
		ra, _ := new(big.Rat).SetString(a)
		rb, _ := new(big.Rat).SetString(b)
		if ra != nil && rb != nil && ra.Cmp(rb) > 0 {
			a, b = b, a
		}
		return a, b
	}
	ta, tb := randTime(r, false), randTime(r, false)
	if ta.After(tb) {
		ta, tb = tb, ta
	}
	switch sub {
	case "date":
		return fmtDate(ta), fmtDate(tb)
	case "timestamp":
		return fmtTimestamp(ta), fmtTimestamp(tb)
	}
	return fmtTimestamp(ta) + "+00", fmtTimestamp(tb) + "+00"
}

func (cr *compareRun) rangeGen(sub string) func(*rand.Rand) string {
	if sub == "" {
		return nil
	}
	return func(r *rand.Rand) string {
		if r.Intn(15) == 0 {
			return "empty"
		}
		lo, hi := rangeBounds(r, sub)
		if r.Intn(8) == 0 {
			lo = ""
		} else {
			lo = `"` + lo + `"`
		}
		if r.Intn(8) == 0 {
			hi = ""
		} else {
			hi = `"` + hi + `"`
		}
		return []string{"[", "("}[r.Intn(2)] + lo + "," + hi + []string{"]", ")"}[r.Intn(2)]
	}
}

func (cr *compareRun) multirangeGen(rangeName string) func(*rand.Rand) string {
	rg := cr.rangeGen(rangeSubtypeOf(rangeName))
	if rg == nil {
		return nil
	}
	return func(r *rand.Rand) string {
		parts := make([]string, r.Intn(4))
		for i := range parts {
			parts[i] = rg(r)
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
}
