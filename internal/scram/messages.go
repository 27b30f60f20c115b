package scram

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// serverFirst holds the fields of a server-first-message.
type serverFirst struct {
	nonce      string // client nonce followed by the server's part
	salt       []byte
	iterations int
}

// parseServerFirst parses
//
//	server-first-message = [reserved-mext ","] nonce "," salt "," iteration-count ["," extensions]
//
// (RFC 5802 section 7). Like libpq it accepts exactly r=, s= and i= in that
// order: PostgreSQL sends no extensions, and a mandatory extension (m=) is
// one we cannot honour.
func parseServerFirst(msg string, maxIterations int) (serverFirst, error) {
	var sf serverFirst
	if v, ok := strings.CutPrefix(msg, "e="); ok {
		return sf, serverError(v)
	}
	if strings.HasPrefix(msg, "m=") {
		return sf, errors.New("scram: server-first-message requires an unsupported SCRAM extension (m=)")
	}
	fields := strings.SplitN(msg, ",", 4)
	if len(fields) != 3 {
		return sf, malformed("server-first-message", "want r=,s=,i=", msg)
	}

	nonce, err := attribute(fields[0], 'r', "server-first-message")
	if err != nil {
		return sf, err
	}
	if !printable(nonce) {
		return sf, malformed("server-first-message", "nonce has characters outside printable ASCII", msg)
	}
	sf.nonce = nonce

	salt, err := attribute(fields[1], 's', "server-first-message")
	if err != nil {
		return sf, err
	}
	if sf.salt, err = decodeBase64(salt); err != nil || len(sf.salt) == 0 {
		return sf, malformed("server-first-message", "salt is not non-empty base64", msg)
	}

	iter, err := attribute(fields[2], 'i', "server-first-message")
	if err != nil {
		return sf, err
	}
	// Digits only (strconv.Atoi would take a sign), and few enough of them
	// that the conversion cannot overflow.
	if iter == "" || len(iter) > 9 || strings.Trim(iter, "0123456789") != "" {
		return sf, malformed("server-first-message", "iteration count is not a number", msg)
	}
	n, _ := strconv.Atoi(iter)
	if n < 1 || n > maxIterations {
		return sf, fmt.Errorf("scram: server asked for %d PBKDF2 iterations; accepted range is 1 to %d", n, maxIterations)
	}
	sf.iterations = n
	return sf, nil
}

// parseServerFinal parses
//
//	server-final-message = (server-error / verifier) ["," extensions]
//
// and returns the decoded server signature. Extensions are rejected, as by
// libpq.
func parseServerFinal(msg string) ([]byte, error) {
	if v, ok := strings.CutPrefix(msg, "e="); ok {
		return nil, serverError(v)
	}
	v, err := attribute(msg, 'v', "server-final-message")
	if err != nil {
		return nil, err
	}
	if strings.IndexByte(v, ',') >= 0 {
		return nil, malformed("server-final-message", "unexpected data after v=", msg)
	}
	sig, err := decodeBase64(v)
	if err != nil {
		return nil, malformed("server-final-message", "server signature is not base64", msg)
	}
	return sig, nil
}

// attribute returns the value of field, which must be key followed by '='.
func attribute(field string, key byte, message string) (string, error) {
	if len(field) < 2 || field[0] != key || field[1] != '=' {
		return "", malformed(message, "want attribute "+string(key)+"=", field)
	}
	return field[2:], nil
}

// decodeBase64 decodes standard, padded base64 and nothing else: the
// encoding/base64 decoder would skip CR and LF.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("newline in base64")
	}
	return base64.StdEncoding.Strict().DecodeString(s)
}

// printable reports whether s matches RFC 5802's printable rule: %x21-7E
// except ','.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x21 || s[i] > 0x7E || s[i] == ',' {
			return false
		}
	}
	return true
}

// encodeSASLName escapes ',' and '=' as RFC 5802 section 5.1 requires.
func encodeSASLName(name string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(name)
}

// serverErrorHints explains the server-error values of RFC 5802 section 7
// that a PostgreSQL client can provoke.
var serverErrorHints = map[string]string{
	"invalid-proof":                       "the password is wrong",
	"channel-bindings-dont-match":         "the TLS channel differs from the server's view; a proxy may be terminating TLS",
	"server-does-support-channel-binding": "the server offered " + SHA256Plus + " but the client did not see it; the connection may have been tampered with",
	"channel-binding-not-supported":       "the server does not support channel binding; use " + SHA256,
	"unsupported-channel-binding-type":    "use channel-binding type " + TLSServerEndPoint,
}

// serverError renders an e= value. The value is quoted and truncated: it
// comes from the server and may be arbitrary bytes.
func serverError(value string) error {
	const maxLen = 100
	if len(value) > maxLen {
		value = value[:maxLen]
	}
	if hint, ok := serverErrorHints[value]; ok {
		return fmt.Errorf("scram: server reported error %q: %s", value, hint)
	}
	return fmt.Errorf("scram: server reported error %q", value)
}

// malformed describes a message that does not follow RFC 5802's grammar,
// quoting a bounded prefix of the offending text.
func malformed(message, what, text string) error {
	const maxLen = 64
	if len(text) > maxLen {
		text = text[:maxLen] + "..."
	}
	return fmt.Errorf("scram: malformed %s (%s): %q", message, what, text)
}
