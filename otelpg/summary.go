package otelpg

import "strings"

// summarize returns a statement's operation (its first keyword, upper
// case) and the one table it names plainly, for span names and
// db.operation.name / db.collection.name. It does not parse SQL: it reads
// the first keywords and gives up ("" for either) on anything less plain
// — a script of several statements, a join, a subquery as the source —
// as the conventions ask (no guessing).
func summarize(sql string) (op, coll string) {
	toks := tokens(sql, 64)
	if len(toks) == 0 || !isWord(toks[0]) {
		return "", ""
	}
	for i, t := range toks {
		if t == ";" && i != len(toks)-1 {
			return "", "" // several statements
		}
	}
	op = strings.ToUpper(toks[0])
	rest := toks[1:]
	switch op {
	case "INSERT":
		coll = after(rest, "INTO")
	case "DELETE":
		coll = after(skip(rest, "FROM"), "ONLY")
		if coll == "" && len(rest) > 1 && strings.EqualFold(rest[0], "FROM") {
			coll = ident(rest[1])
		}
	case "UPDATE":
		coll = after(rest, "ONLY")
		if coll == "" && len(rest) > 0 {
			coll = ident(rest[0])
		}
	case "COPY", "TRUNCATE":
		rest = skip(rest, "TABLE")
		if len(rest) > 0 {
			coll = ident(rest[0])
		}
	case "SELECT":
		coll = selectSource(rest)
	}
	return op, coll
}

// selectSource is the table of "SELECT ... FROM t [[AS] alias] [WHERE
// ...]": the FROM at depth 0, then one table and nothing but an alias
// before the next clause.
func selectSource(toks []string) string {
	depth := 0
	for i, t := range toks {
		switch t {
		case "(":
			depth++
		case ")":
			depth--
		}
		if depth != 0 || !strings.EqualFold(t, "FROM") {
			continue
		}
		src := toks[i+1:]
		if len(src) == 0 {
			return ""
		}
		name := ident(src[0])
		n := 1
		for n < len(src) && n < 3 {
			w := strings.ToUpper(src[n])
			if clauseEnd[w] || w == ";" {
				break
			}
			if !isWord(src[n]) {
				return "" // a join's comma, a function call's parenthesis
			}
			if w == "JOIN" || w == "NATURAL" || w == "CROSS" || w == "LEFT" || w == "RIGHT" || w == "INNER" || w == "FULL" {
				return ""
			}
			n++
		}
		if n < len(src) && !clauseEnd[strings.ToUpper(src[n])] && src[n] != ";" {
			return ""
		}
		return name
	}
	return ""
}

var clauseEnd = map[string]bool{
	"WHERE": true, "GROUP": true, "ORDER": true, "LIMIT": true, "OFFSET": true, "HAVING": true,
	"WINDOW": true, "FOR": true, "FETCH": true, "UNION": true, "INTERSECT": true, "EXCEPT": true,
}

// after returns the identifier following keyword kw at the start of toks.
func after(toks []string, kw string) string {
	if len(toks) > 1 && strings.EqualFold(toks[0], kw) {
		return ident(toks[1])
	}
	return ""
}

// skip drops keyword kw at the start of toks.
func skip(toks []string, kw string) []string {
	if len(toks) > 0 && strings.EqualFold(toks[0], kw) {
		return toks[1:]
	}
	return toks
}

// ident returns t when it is a (possibly qualified, possibly quoted) name.
func ident(t string) string {
	if t == "" || !isWord(t) || clauseEnd[strings.ToUpper(t)] {
		return ""
	}
	return t
}

func isWord(t string) bool {
	c := t[0]
	return c == '"' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// tokens splits the first max tokens of sql: names (with dots and
// quoted parts), and single punctuation; comments and string literals
// are skipped (a literal becomes "'").
func tokens(sql string, max int) []string {
	var out []string
	for i := 0; i < len(sql) && len(out) < max; {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return out
			}
			i += j + 1
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return out
			}
			i += j + 4
		case c == '\'':
			j := strings.IndexByte(sql[i+1:], '\'')
			if j < 0 {
				return out
			}
			out = append(out, "'")
			i += j + 2
		case c == '"' || c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(sql) {
				d := sql[j]
				if d == '"' {
					k := strings.IndexByte(sql[j+1:], '"')
					if k < 0 {
						return out
					}
					j += k + 2
					continue
				}
				if d == '_' || d == '.' || d == '$' || d >= 'a' && d <= 'z' || d >= 'A' && d <= 'Z' || d >= '0' && d <= '9' {
					j++
					continue
				}
				break
			}
			out = append(out, sql[i:j])
			i = j
		default:
			out = append(out, sql[i:i+1])
			i++
		}
	}
	return out
}
