package scram

import (
	"slices"
	"unicode/utf8"
)

// preparePassword returns the byte string SCRAM hashes for password: its
// SASLprep form when that exists, else the password unchanged. This is
// libpq's rule (fe-auth-scram.c): a password that is not valid UTF-8 or that
// SASLprep rejects is used as raw bytes, because PostgreSQL passwords need
// not be UTF-8 and the server applies the same fallback when it stores the
// verifier.
func preparePassword(password string) string {
	if p, ok := saslPrep(password); ok {
		return p
	}
	return password
}

// saslPrep applies SASLprep (RFC 4013) the way PostgreSQL's pg_saslprep
// does, and reports false where pg_saslprep fails (invalid UTF-8, nothing
// left after mapping, a prohibited or unassigned code point, or a
// bidirectional-text violation).
//
// Steps, in PostgreSQL's order:
//
//  1. Pure ASCII input is returned unchanged, control characters included;
//     ASCII passwords are therefore always exact.
//  2. Map: table C.1.2 spaces become U+0020, table B.1 characters are
//     deleted.
//  3. Prohibit (tables C.1.2–C.9 and A.1) and check bidi (tables D.1, D.2),
//     both on the mapped string, as pg_saslprep does.
//  4. Normalise with NFKC (nfkc.go: golang.org/x/text/unicode/norm), as
//     PostgreSQL's unicode_normalize does.
func saslPrep(s string) (string, bool) {
	if isASCII(s) {
		return s, true
	}
	if !utf8.ValidString(s) {
		return "", false
	}
	mapped, ok := mapAndCheck(s)
	if !ok {
		return "", false
	}
	return nfkc(mapped), true
}

// mapAndCheck does steps 2 and 3 of saslPrep on a valid UTF-8 string: it
// returns the mapped string, or false when nothing is left or a check
// fails. Every character of a mapped string it returns is assigned in
// Unicode 3.2, which is what makes the Unicode version of the NFKC tables
// unobservable (see nfkc).
func mapAndCheck(s string) (string, bool) {
	mapped := make([]rune, 0, len(s))
	for _, r := range s {
		switch {
		case inTable(r, nonASCIISpace):
			mapped = append(mapped, ' ')
		case inTable(r, mappedToNothing):
		default:
			mapped = append(mapped, r)
		}
	}
	if len(mapped) == 0 {
		return "", false
	}

	hasRandAL := false
	for _, r := range mapped {
		if inTable(r, prohibitedOutput) || inTable(r, unassignedCodePoints) {
			return "", false
		}
		if inTable(r, randALCat) {
			hasRandAL = true
		}
	}
	// RFC 3454 section 6: a string with any R/AL character must contain no L
	// character and must begin and end with an R/AL character.
	if hasRandAL {
		if !inTable(mapped[0], randALCat) || !inTable(mapped[len(mapped)-1], randALCat) {
			return "", false
		}
		for _, r := range mapped {
			if inTable(r, lCat) {
				return "", false
			}
		}
	}

	return string(mapped), true
}

// runeRange is an inclusive range of code points.
type runeRange struct{ lo, hi rune }

// inTable reports whether r lies in one of the sorted, disjoint ranges.
func inTable(r rune, table []runeRange) bool {
	_, found := slices.BinarySearchFunc(table, r, func(rr runeRange, r rune) int {
		switch {
		case rr.hi < r:
			return -1
		case rr.lo > r:
			return 1
		}
		return 0
	})
	return found
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
