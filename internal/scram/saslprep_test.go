package scram

import (
	"strings"
	"testing"
)

// Expected values come from a reference implementation of PostgreSQL's
// pg_saslprep written against Python's stringprep and unicodedata modules
// (full NFKC), not from this package. ok=false means pg_saslprep fails and
// the raw password is used.
func TestSASLPrep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		{"ascii", "pencil", "pencil", true},
		// pg_saslprep returns ASCII unchanged, so unlike RFC 4013's example
		// a control character is not rejected.
		{"ascii control", "\x07", "\x07", true},
		{"rfc4013 soft hyphen", "I\u00ADX", "IX", true},
		{"rfc4013 user", "user", "user", true},
		{"rfc4013 feminine ordinal", "\u00AA", "a", true},
		{"rfc4013 bidi", "\u0627\u0031", "", false},
		{"only nbsp", "\u00A0", " ", true},
		{"only soft hyphen", "\u00AD", "", false},
		{"nbsp", "pass\u00A0word", "pass word", true},
		{"ideographic space", "pass\u3000word", "pass word", true},
		{"zero width space is a space", "\u200Bx", " x", true},
		{"zero width joiner", "a\u200Db", "ab", true},
		{"byte order mark", "\uFEFFsecret", "secret", true},
		{"full-width", "\uFF50\uFF41\uFF53\uFF53\uFF01", "pass!", true},
		{"precomposed", "na\u00EFve", "na\u00EFve", true},
		{"superscript", "p\u00E4ss\u00B2", "p\u00E4ss2", true},
		{"ligature and ellipsis", "\uFB01le\u2026", "file...", true},
		{"letterlike", "\u2126\u212A\u212B", "\u03A9K\u00C5", true},
		{"trade mark", "caf\u00E9 \u2122", "caf\u00E9 TM", true},
		{"thai sara am", "\u0E19\u0E49\u0E33", "\u0E19\u0E49\u0E4D\u0E32", true},
		{"unassigned in unicode 3.2", "pw\U0001F600", "", false},
		// pg_saslprep checks bidi before it normalizes: the ligature is
		// R/AL, its NFKC form ends with a combining mark.
		{"checked before normalization", "\uFC90", "\u0649\u0670", true},
		{"private use", "\uE000x", "", false},
		{"non-character", "x\uFFFE", "", false},
		{"non-ascii control", "x\u0085", "", false},
		{"tag character", "x\U000E0041", "", false},
		{"invalid utf-8", "\xff\xfe", "", false},
		{"hebrew", "\u05D0\u05D1", "\u05D0\u05D1", true},
		{"hebrew with space", "\u05D0 \u05D1", "\u05D0 \u05D1", true},
		{"arabic", "\u0627\u0628", "\u0627\u0628", true},
		{"hebrew and latin", "\u05D0a", "", false},
		{"arabic inside latin", "x\u0627y", "", false},
	}
	for _, tt := range tests {
		got, ok := saslPrep(tt.in)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: saslPrep(%+q) = %+q, %v; want %+q, %v", tt.name, tt.in, got, ok, tt.want, tt.ok)
		}
		wantPW := tt.want
		if !tt.ok {
			wantPW = tt.in
		}
		if got := preparePassword(tt.in); got != wantPW {
			t.Errorf("%s: preparePassword(%+q) = %+q, want %+q", tt.name, tt.in, got, wantPW)
		}
	}
}

// TestSASLPrepNFKC covers what needs the full NFKC: composition of
// decomposed accents, compatibility characters outside any short list,
// Hangul, and canonical reordering of combining marks. Expected values
// from Python's unicodedata.normalize("NFKC", ...); TestSASLprepNormalize
// in the root package checks against PostgreSQL's own normalize().
func TestSASLPrepNFKC(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"e\u0301", "\u00E9"},             // decomposed accent composes
		{"\u2168", "IX"},                  // ROMAN NUMERAL NINE
		{"\uFF76\uFF9E", "\u30AC"},        // half-width KA + voiced mark: GA
		{"\u1100\u1161\u11A8", "\uAC01"},  // conjoining jamo compose to a syllable
		{"\uAC01", "\uAC01"},              // and a syllable stays
		{"a\u0328\u0301", "\u0105\u0301"}, // ogonek (202) before acute (230)
		{"a\u0301\u0328", "\u0105\u0301"}, // reordered first
		{"\u212B", "\u00C5"},              // ANGSTROM SIGN
		{"\u1E9B\u0323", "\u1E69"},        // UAX #15's example: long s with dot above, dot below
		{"\u0958", "\u0915\u093C"},        // composition exclusion stays decomposed
		{"\u00BD", "1\u20442"},            // VULGAR FRACTION ONE HALF
		{"\u0E19\u0E49\u0E33", "\u0E19\u0E49\u0E4D\u0E32"},
		{"\uFB01\uFF38", "fiX"},
		{"\u3300", "\u30A2\u30D1\u30FC\u30C8"}, // SQUARE APAATO
		// More than 30 combining marks in a row: PostgreSQL normalizes the
		// whole run, where norm alone would insert U+034F after 30.
		{"a" + strings.Repeat("\u0301", 31), "\u00E1" + strings.Repeat("\u0301", 30)},
		{"a" + strings.Repeat("\u0301", 31) + "\u0323", "\u1EA1" + strings.Repeat("\u0301", 31)},
		{"\u1100" + strings.Repeat("\u0301", 40) + "\u1161", "\u1100" + strings.Repeat("\u0301", 40) + "\u1161"},
		{"e" + strings.Repeat("\u0301\u0328", 20), "\u0119" + strings.Repeat("\u0328", 19) + strings.Repeat("\u0301", 20)},
	}
	for _, tt := range tests {
		if got, ok := saslPrep(tt.in); !ok || got != tt.want {
			t.Errorf("saslPrep(%+q) = %+q, %v; want %+q, true", tt.in, got, ok, tt.want)
		}
	}
}

func TestTablesSorted(t *testing.T) {
	t.Parallel()
	tables := map[string][]runeRange{
		"nonASCIISpace":        nonASCIISpace,
		"mappedToNothing":      mappedToNothing,
		"prohibitedOutput":     prohibitedOutput,
		"unassignedCodePoints": unassignedCodePoints,
		"randALCat":            randALCat,
		"lCat":                 lCat,
	}
	for name, table := range tables {
		for i, rr := range table {
			if rr.lo > rr.hi || rr.hi > 0x10FFFF {
				t.Errorf("%s[%d] = %X..%X is not a range", name, i, rr.lo, rr.hi)
			}
			if i > 0 && table[i-1].hi >= rr.lo {
				t.Errorf("%s[%d] = %X..%X overlaps or precedes %X..%X", name, i, rr.lo, rr.hi, table[i-1].lo, table[i-1].hi)
			}
		}
	}
	// Spot checks against RFC 3454: first and last entries and one from the
	// middle of each table.
	checks := []struct {
		table []runeRange
		r     rune
		want  bool
	}{
		{unassignedCodePoints, 0x0221, true},
		{unassignedCodePoints, 0x0222, false},
		{unassignedCodePoints, 0x1F600, true},
		{unassignedCodePoints, 0xE0080, true},
		{unassignedCodePoints, 0xEFFFD, true},
		{unassignedCodePoints, 0xEFFFE, false},
		{prohibitedOutput, 0x0000, true},
		{prohibitedOutput, 0x0020, false},
		{prohibitedOutput, 0xD800, true},
		{prohibitedOutput, 0x10FFFF, true},
		{randALCat, 0x05BE, true},
		{randALCat, 0x05D0, true},
		{randALCat, 0xFEFC, true},
		{randALCat, 0x0041, false},
		{lCat, 0x0041, true},
		{lCat, 0x05D0, false},
		{lCat, 0x10FFFD, true},
		{lCat, 0x10FFFE, false},
	}
	for _, c := range checks {
		if got := inTable(c.r, c.table); got != c.want {
			t.Errorf("inTable(%U) = %v, want %v", c.r, got, c.want)
		}
	}
}
