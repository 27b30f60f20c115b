package otelpg

import "testing"

func TestSummarize(t *testing.T) {
	for _, c := range []struct{ sql, op, coll string }{
		{"SELECT 1", "SELECT", ""},
		{"select * from users where id = $1", "SELECT", "users"},
		{"SELECT a FROM public.users u ORDER BY a", "SELECT", "public.users"},
		{`SELECT a FROM "My Table" AS t`, "SELECT", `"My Table"`},
		{"SELECT * FROM a JOIN b ON a.id = b.id", "SELECT", ""},
		{"SELECT * FROM a, b", "SELECT", ""},
		{"SELECT * FROM generate_series(1, 3)", "SELECT", ""},
		{"SELECT (SELECT 1 FROM x) FROM y WHERE true", "SELECT", "y"},
		{"INSERT INTO tr VALUES ($1, $2)", "INSERT", "tr"},
		{"update ONLY t SET a = 1", "UPDATE", "t"},
		{"UPDATE t SET a = 1", "UPDATE", "t"},
		{"DELETE FROM t WHERE a = 1", "DELETE", "t"},
		{`COPY "tr" ("a", "b") FROM STDIN (FORMAT binary)`, "COPY", `"tr"`},
		{"-- note\n/* c */ BEGIN", "BEGIN", ""},
		{"SELECT 1; SELECT 2", "", ""},
		{"SELECT 1;", "SELECT", ""},
		{"(SELECT 1)", "", ""},
		{"", "", ""},
	} {
		op, coll := summarize(c.sql)
		if op != c.op || coll != c.coll {
			t.Errorf("summarize(%q) = %q, %q; want %q, %q", c.sql, op, coll, c.op, c.coll)
		}
	}
}
