package sqlquote

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
		got, err := TableName(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	for _, bad := range []string{"", `"unterminated`, "a..b", "a.b.c.d", `"x"y`, "t.", `"a" ; DROP TABLE x; "b"`, `"a"b"`} {
		_, err := TableName(bad)
		assert.Error(t, err, bad)
	}
}

func TestQuoteLiteral(t *testing.T) {
	assert.Equal(t, `E'it''s \\ ok'`, Literal(`it's \ ok`))
	assert.Equal(t, "E'\t'", Literal("\t"))
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
		got, err := SubstitutePlaceholders(tc.in, lits)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got, tc.in)
	}
	_, err := SubstitutePlaceholders("SELECT $3", lits)
	assert.Error(t, err)
}

func TestIdentifier(t *testing.T) {
	assert.Equal(t, `"t"`, Identifier("t"))
	assert.Equal(t, `"My Table"`, Identifier("My Table"))
	assert.Equal(t, `"a""b"`, Identifier(`a"b`))
	assert.Equal(t, `"x""; DROP TABLE t; --"`, Identifier(`x"; DROP TABLE t; --`))
	assert.Equal(t, `""`, Identifier(""))
}

func TestColumnList(t *testing.T) {
	assert.Equal(t, "", ColumnList(nil))
	assert.Equal(t, ` ("a")`, ColumnList([]string{"a"}))
	assert.Equal(t, ` ("a", "B""c")`, ColumnList([]string{"a", `B"c`}))
}
