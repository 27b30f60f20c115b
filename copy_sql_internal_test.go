package pg

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestQuoteTableName(t *testing.T) {
	cases := []struct{ in, want string }{
		{"t", `"t"`},
		{"MyTable", `"MyTable"`},
		{"public.t", `"public"."t"`},
		{`my "odd" name`, `"my ""odd"" name"`},
		{`"my.table"`, `"my.table"`},
		{`s."my.table"`, `"s"."my.table"`},
		{`"a""b".c`, `"a""b"."c"`},
		{"db.s.t", `"db"."s"."t"`},
		{"ünï", `"ünï"`},
	}
	for _, tc := range cases {
		got, err := quoteTableName(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", `"unterminated`, "a..b", "a.b.c.d", `"x"y`, "t.", `"a" ; DROP TABLE x; "b"`, `"a"b"`} {
		_, err := quoteTableName(bad)
		assert.Error(t, err, bad)
	}
}

func TestQuoteLiteral(t *testing.T) {
	assert.Equal(t, `E'it''s \\ ok'`, quoteLiteral(`it's \ ok`))
	assert.Equal(t, "E'\t'", quoteLiteral("\t"))
}

func TestSubstitutePlaceholders(t *testing.T) {
	lits := []string{"(1)", "('x'::text)"}
	cases := []struct{ in, want string }{
		{"SELECT $1, $2", "SELECT (1), ('x'::text)"},
		{"SELECT '$1', $1", "SELECT '$1', (1)"},
		{"SELECT 'it''s $1', $2", "SELECT 'it''s $1', ('x'::text)"},
		{`SELECT E'\'$1', $1`, `SELECT E'\'$1', (1)`},
		{`SELECT "col$1", $1`, `SELECT "col$1", (1)`},
		{"SELECT $1 -- $2\n, $2", "SELECT (1) -- $2\n, ('x'::text)"},
		{"SELECT /* $1 /* $2 */ */ $2", "SELECT /* $1 /* $2 */ */ ('x'::text)"},
		{"SELECT $q$ $1 $q$, $$ $2 $$, $1", "SELECT $q$ $1 $q$, $$ $2 $$, (1)"},
		{"SELECT a$1 FROM t", "SELECT a$1 FROM t"},
	}
	for _, tc := range cases {
		got, err := substitutePlaceholders(tc.in, lits)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	_, err := substitutePlaceholders("SELECT $3", lits)
	assert.Error(t, err)
}

func TestCopyOptionsWithClause(t *testing.T) {
	assert.Equal(t, "", (&CopyOptions{}).withClause())
	o := CopyOptions{
		Format: "CSV", Freeze: true, Delimiter: "|", Null: new(""), Header: true,
		Quote: `'`, Escape: `\`, ForceQuote: []string{"a", `B"`}, ForceNotNull: []string{"c"},
		ForceNull: []string{"d"}, Encoding: "LATIN1",
	}
	assert.Equal(t, ` WITH (FORMAT "csv", FREEZE, DELIMITER E'|', NULL E'', HEADER, QUOTE E'''', ESCAPE E'\\', FORCE_QUOTE ("a", "B"""), FORCE_NOT_NULL ("c"), FORCE_NULL ("d"), ENCODING E'LATIN1')`, o.withClause())
	assert.Equal(t, ` WITH (FORCE_QUOTE *)`, (&CopyOptions{ForceQuote: []string{"*"}}).withClause())
	assert.Equal(t, ` WITH (HEADER MATCH)`, (&CopyOptions{Header: true, HeaderMatch: true}).withClause())
}
