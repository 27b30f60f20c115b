package sqlquote

import (
	"errors"
	"fmt"
	"strings"
)

// Identifier quotes s as an SQL identifier: in double quotes, with
// embedded double quotes doubled, so any text (case, spaces, keywords) is
// taken literally. A NUL byte cannot be sent at all; the server rejects
// the statement.
func Identifier(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// TableName quotes a table name given as "table" or "schema.table".
// Each part is taken literally (case kept, any character allowed) and
// quoted, as asyncpg does; a part already in double quotes is kept as
// written, so a name holding a dot is passed as `"my.table"` or
// `public."my.table"`.
func TableName(name string) (string, error) {
	parts, err := splitQualified(name)
	if err != nil {
		return "", err
	}
	for i, p := range parts {
		if !strings.HasPrefix(p, `"`) {
			parts[i] = Identifier(p)
		}
	}
	return strings.Join(parts, "."), nil
}

// splitQualified splits name at the dots outside double quotes.
func splitQualified(name string) ([]string, error) {
	if name == "" {
		return nil, errors.New("pg: empty table name")
	}
	var parts []string
	start, inQuote := 0, false
	for i := 0; i < len(name); i++ {
		switch name[i] {
		case '"':
			if inQuote && i+1 < len(name) && name[i+1] == '"' {
				i++ // a doubled quote inside a quoted part
				continue
			}
			inQuote = !inQuote
		case '.':
			if !inQuote {
				parts = append(parts, name[start:i])
				start = i + 1
			}
		}
	}
	if inQuote {
		return nil, fmt.Errorf("pg: table name %q has an unterminated double quote", name)
	}
	parts = append(parts, name[start:])
	if len(parts) > 3 {
		return nil, fmt.Errorf("pg: table name %q has more than three dotted parts", name)
	}
	for _, p := range parts {
		if p == "" || p == `""` {
			return nil, fmt.Errorf("pg: table name %q has an empty part", name)
		}
		if strings.HasPrefix(p, `"`) && (len(p) < 2 || !strings.HasSuffix(p, `"`) ||
			strings.Contains(strings.ReplaceAll(p[1:len(p)-1], `""`, ""), `"`)) {
			// A quoted part must be exactly one quoted identifier: it is
			// sent as written.
			return nil, fmt.Errorf("pg: table name %q: a part that starts with a double quote must be one quoted identifier (double any quote inside it)", name)
		}
	}
	return parts, nil
}

// ColumnList renders a column list " (a, b)", with its leading space, or
// "" for none.
func ColumnList(cols []string) string {
	if len(cols) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" (")
	for i, col := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(Identifier(col))
	}
	b.WriteByte(')')
	return b.String()
}

// Literal renders s as an escape string literal (E'...'), which means
// the same whatever standard_conforming_strings is.
func Literal(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 3)
	b.WriteString("E'")
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			b.WriteString("''")
		case '\\':
			b.WriteString(`\\`)
		default:
			b.WriteByte(s[i])
		}
	}
	b.WriteByte('\'')
	return b.String()
}
