package sqlquote

import (
	"strings"
	"testing"
)

// FuzzSubstitutePlaceholders checks that any SQL text is handled without
// a panic, and that text without a dollar sign comes back unchanged.
func FuzzSubstitutePlaceholders(f *testing.F) {
	for _, s := range []string{
		"SELECT $1", "SELECT '$1'", `E'\'$1'`, "$q$ $1 $q$", "/* /* $1 */", "-- $1", `"$1"`, "$", "$$", "'", `E'\`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		out, err := SubstitutePlaceholders(sql, []string{"(1)", "(2)"})
		if !strings.Contains(sql, "$") && (err != nil || out != sql) {
			t.Fatalf("%q changed to %q (%v)", sql, out, err)
		}
	})
}

// FuzzQuoteTableName checks that any table name either fails cleanly or
// quotes into parts that split back the same way.
func FuzzQuoteTableName(f *testing.F) {
	for _, s := range []string{"t", "s.t", `"a.b"`, `"a""b".c`, `"`, "..", "ünï.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		q, err := TableName(name)
		if err != nil {
			return
		}
		parts, err := splitQualified(q)
		if err != nil {
			t.Fatalf("%q quoted to %q, which does not split: %v", name, q, err)
		}
		for _, p := range parts {
			if len(p) < 2 || p[0] != '"' || p[len(p)-1] != '"' || strings.Contains(strings.ReplaceAll(p[1:len(p)-1], `""`, ""), `"`) {
				t.Fatalf("%q quoted to %q: part %q is not one quoted identifier", name, q, p)
			}
		}
	})
}
