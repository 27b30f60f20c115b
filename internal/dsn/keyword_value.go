package dsn

import "fmt"

// pair is one key/value of a connection string, in input order.
type pair struct {
	key, value string
	// start and end locate the value (with its quotes) in the input, for
	// Redact. Pairs built from a URI leave them zero.
	start, end int
	// authority marks host and port values taken from a URI's netloc.
	authority bool
}

// syntaxError is a malformed connection string. It quotes no input: the
// text around the fault may be a password.
type syntaxError struct {
	offset int // byte offset of the fault
	token  int // byte offset where the faulty pair starts, for Redact
	msg    string
}

func (e *syntaxError) toError() *Error {
	return &Error{Msg: fmt.Sprintf("syntax error at offset %d: %s", e.offset, e.msg)}
}

// isSpace is C's isspace in the "C" locale, which libpq uses to separate
// pairs.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'
}

// parseKeywordValue splits libpq's key=value form (the docs' "Keyword/Value
// Connection Strings"; fe-connect.c conninfo_parse): pairs separated by
// whitespace, optional whitespace around '=', values either bare (ending
// at whitespace) or in single quotes, with a backslash escaping the next
// character in both.
func parseKeywordValue(s string) ([]pair, *syntaxError) {
	var pairs []pair
	i := 0
	for i < len(s) {
		if isSpace(s[i]) {
			i++
			continue
		}
		tokenStart := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[tokenStart:i]
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		if i == len(s) || s[i] != '=' {
			// Quote the key only when it is an option name: an unknown word
			// may be the tail of a password with a space in it.
			what := "a key"
			if _, known := options[key]; known {
				what = fmt.Sprintf("%q", key)
			}
			return pairs, &syntaxError{offset: i, token: tokenStart, msg: `missing "=" after ` + what + `; quote values that contain spaces ('a b')`}
		}
		if key == "" {
			return pairs, &syntaxError{offset: i, token: tokenStart, msg: `empty key before "="`}
		}
		i++ // '='
		for i < len(s) && isSpace(s[i]) {
			i++
		}
		start := i
		var val []byte
		if i < len(s) && s[i] == '\'' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' {
					i++
					if i < len(s) {
						val = append(val, s[i])
						i++
					}
					continue
				}
				i++
				if c == '\'' {
					closed = true
					break
				}
				val = append(val, c)
			}
			if !closed {
				return pairs, &syntaxError{offset: start, token: tokenStart, msg: "unterminated quoted value"}
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' {
					i++
					if i == len(s) {
						break
					}
				}
				val = append(val, s[i])
				i++
			}
		}
		pairs = append(pairs, pair{key: key, value: string(val), start: start, end: i})
	}
	return pairs, nil
}
