package sqlquote

import "strings"

// FirstWord returns the first word of sql after white space, comments
// and opening parentheses (the statement's leading keyword), and what
// follows it.
func FirstWord(sql string) (word, rest string) {
	i := 0
	for i < len(sql) {
		switch ch := sql[i]; {
		case ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '(':
			i++
		case CommentEnd(sql, i) > i:
			i = CommentEnd(sql, i)
		default:
			j := i
			for j < len(sql) && isIdentChar(sql[j]) {
				j++
			}
			return sql[i:j], sql[j:]
		}
	}
	return "", ""
}

// CommentEnd returns the index just past the comment that starts at
// sql[i] (a -- comment ends with its line; block comments nest, as in
// PostgreSQL), or i when none starts there.
func CommentEnd(sql string, i int) int {
	switch {
	case strings.HasPrefix(sql[i:], "--"):
		if j := strings.IndexByte(sql[i:], '\n'); j >= 0 {
			return i + j
		}
		return len(sql)
	case strings.HasPrefix(sql[i:], "/*"):
		depth, j := 1, i+2
		for j < len(sql) && depth > 0 {
			switch {
			case strings.HasPrefix(sql[j:], "/*"):
				depth++
				j += 2
			case strings.HasPrefix(sql[j:], "*/"):
				depth--
				j += 2
			default:
				j++
			}
		}
		return j
	}
	return i
}
