package dsn

import "strings"

// RequireAuth is a parsed require_auth list (libpq 16): the authentication
// methods the server may use, or with Negated those it may not.
type RequireAuth struct {
	// Methods holds each listed method: password, md5, gss, sspi,
	// scram-sha-256 or none (the server asked for no authentication).
	Methods map[string]bool
	Negated bool
}

// Allows reports whether the server may authenticate the client by method
// ("none" when it asked for no authentication at all). An empty list
// allows everything.
func (r RequireAuth) Allows(method string) bool {
	if len(r.Methods) == 0 {
		return true
	}
	return r.Methods[method] != r.Negated
}

// ParseRequireAuth parses libpq's require_auth list: methods from
// password, md5, gss, sspi, scram-sha-256 and none, either all plain (the
// server must use one of them) or all negated with '!' (it must use none of
// them), each at most once. On failure it returns why, for an error
// message. An empty string is the empty list.
func ParseRequireAuth(v string) (RequireAuth, string) {
	var r RequireAuth
	if v == "" {
		return r, ""
	}
	r.Methods = make(map[string]bool)
	for i, m := range strings.Split(v, ",") {
		neg := strings.HasPrefix(m, "!")
		if i == 0 {
			r.Negated = neg
		} else if neg != r.Negated {
			return RequireAuth{}, "negated (!) and plain methods cannot be mixed"
		}
		m = strings.TrimPrefix(m, "!")
		switch m {
		case "password", "md5", "gss", "sspi", "scram-sha-256", "none":
		default:
			return RequireAuth{}, "methods must be password, md5, gss, sspi, scram-sha-256 or none, optionally all negated with !"
		}
		if r.Methods[m] {
			return RequireAuth{}, "method " + m + " is listed more than once"
		}
		r.Methods[m] = true
	}
	return r, ""
}
