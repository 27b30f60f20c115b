package sqlquote

import (
	"fmt"
	"strconv"
	"strings"
)

// SubstitutePlaceholders replaces $n in sql with lits[n-1], skipping
// string constants ('...', E'...', $tag$...$tag$), quoted identifiers and
// comments.
func SubstitutePlaceholders(sql string, lits []string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(sql); {
		ch := sql[i]
		switch {
		case ch == '\'':
			escape := i > 0 && (sql[i-1] == 'E' || sql[i-1] == 'e') && (i < 2 || !isIdentChar(sql[i-2]))
			j := i + 1
			for j < len(sql) {
				if escape && sql[j] == '\\' {
					j += 2
					continue
				}
				if sql[j] == '\'' {
					if j+1 < len(sql) && sql[j+1] == '\'' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(sql))
			b.WriteString(sql[i:j])
			i = j
		case ch == '"':
			j := i + 1
			for j < len(sql) {
				if sql[j] == '"' {
					if j+1 < len(sql) && sql[j+1] == '"' {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(sql))
			b.WriteString(sql[i:j])
			i = j
		case CommentEnd(sql, i) > i:
			j := CommentEnd(sql, i)
			b.WriteString(sql[i:j])
			i = j
		case ch == '$' && (i == 0 || !isIdentChar(sql[i-1])):
			j := i + 1
			for j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
				j++
			}
			if j > i+1 {
				n, err := strconv.Atoi(sql[i+1 : j])
				if err != nil || n < 1 || n > len(lits) {
					return "", fmt.Errorf("pg: placeholder %s has no argument", sql[i:j])
				}
				b.WriteString(lits[n-1])
				i = j
				continue
			}
			// A dollar-quoted string: $tag$ ... $tag$.
			k := j
			for k < len(sql) && isIdentChar(sql[k]) {
				k++
			}
			if k < len(sql) && sql[k] == '$' {
				tag := sql[i : k+1]
				end := strings.Index(sql[k+1:], tag)
				stop := len(sql)
				if end >= 0 {
					stop = k + 1 + end + len(tag)
				}
				b.WriteString(sql[i:stop])
				i = stop
				continue
			}
			b.WriteByte(ch)
			i++
		default:
			b.WriteByte(ch)
			i++
		}
	}
	return b.String(), nil
}

func isIdentChar(ch byte) bool {
	return ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch >= 0x80
}
