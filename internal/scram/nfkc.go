package scram

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// graphemeJoiner is U+034F COMBINING GRAPHEME JOINER, which norm inserts
// to keep its output stream-safe (see nfkc).
const graphemeJoiner = '\u034F'

// nfkc returns the Unicode Normalization Form KC of s (UAX #15), as
// PostgreSQL's unicode_normalize computes it: SASLprep's last step.
//
// golang.org/x/text/unicode/norm does the work, with one exception. norm
// produces the Stream-Safe Text Format (UAX #15 section 13): after 30
// non-starters in a row it inserts a U+034F COMBINING GRAPHEME JOINER and
// reorders and composes on each side of it separately. PostgreSQL has no
// such limit, so a password with a run of more than 30 combining marks
// would hash differently. No character decomposes to U+034F, so norm's
// output has more of them than s exactly when it inserted one; only then
// nfkcLongRuns normalizes s without the limit. (In saslPrep the count in s
// is always zero: table B.1 maps U+034F to nothing.)
//
// Unicode versions: norm's tables are Unicode 15.0.0 under Go 1.26
// (norm.Version; x/text switches to 17.0.0 from Go 1.27). PostgreSQL 15's
// are 14.0.0: its normalize() maps U+10781, new in 14.0, and leaves
// U+1E030, new in 15.0, alone, where norm maps it to U+0430. Normal forms
// differ between versions only for strings holding a character that one
// of them does not know (the Normalization Stability Policy freezes the
// normal form of assigned characters from Unicode 4.1 on), and SASLprep
// refuses every code point unassigned in Unicode 3.2 (table A.1) before it
// normalizes, so the difference never shows in a password. Checked when
// norm replaced generated Unicode 14 tables (TestNFKCDifferential in
// commit dc81a3d, deleted with the tables): over 15.5 million inputs
// (every code point alone and with combining marks, composite parts with
// every combining character, Hangul, random sequences), raw NFKC differed
// on 748, each holding an A.1 code point (alone: the 62 modifier letters
// U+1E030..U+1E06D), and saslPrep on none.
func nfkc(s string) string {
	out := norm.NFKC.String(s)
	if strings.ContainsRune(out, graphemeJoiner) &&
		strings.Count(out, string(graphemeJoiner)) != strings.Count(s, string(graphemeJoiner)) {
		return nfkcLongRuns(s)
	}
	return out
}

// nfkcLongRuns is NFKC by the book (Unicode section 3.11, as
// PostgreSQL's unicode_normalize does it) with no limit on the number of
// non-starters: the full compatibility decomposition of each character,
// each run of non-starters sorted stably by combining class, then
// canonical composition. The character data comes from norm, one
// character or pair at a time, so norm's stream-safe limit never applies.
func nfkcLongRuns(s string) string {
	var d []rune
	var ccc []uint8
	for _, r := range s {
		for _, x := range norm.NFKD.String(string(r)) {
			d = append(d, x)
			ccc = append(ccc, combiningClass(x))
		}
	}

	// Canonical ordering: a stable sort of each run of non-starters.
	type mark struct {
		r   rune
		ccc uint8
	}
	var run []mark
	for i := 0; i < len(d); {
		if ccc[i] == 0 {
			i++
			continue
		}
		j := i
		for j < len(d) && ccc[j] != 0 {
			j++
		}
		run = run[:0]
		for k := i; k < j; k++ {
			run = append(run, mark{d[k], ccc[k]})
		}
		slices.SortStableFunc(run, func(a, b mark) int { return int(a.ccc) - int(b.ccc) })
		for k, m := range run {
			d[i+k], ccc[i+k] = m.r, m.ccc
		}
		i = j
	}

	// Canonical composition: a character joins the last starter before it
	// unless something in between blocks it (a starter, or a character of
	// the same or a higher combining class) or the pair has no primary
	// composite.
	out := d[:0]
	starter := -1 // index in out of the last starter
	last := -1    // combining class of the last character after it; -1 when none
	for i, r := range d {
		c := int(ccc[i])
		if starter >= 0 && last < c {
			if x, ok := primaryComposite(out[starter], r); ok {
				out[starter] = x
				continue
			}
		}
		if c == 0 {
			starter, last = len(out), -1
		} else {
			last = c
		}
		out = append(out, r)
	}
	return string(out)
}

// combiningClass is r's canonical combining class; 0 for starters.
func combiningClass(r rune) uint8 {
	var b [utf8.UTFMax]byte
	return norm.NFD.Properties(utf8.AppendRune(b[:0], r)).CCC()
}

// primaryComposite returns the primary composite of a starter a and a
// character b that nothing blocks from it, if there is one. a is either a
// character of a canonically ordered full decomposition or a composite
// built from one, so a followed by b is already in canonical order and
// NFC composes it to a single character exactly when the pair has a
// primary composite.
func primaryComposite(a, b rune) (rune, bool) {
	var buf [2 * utf8.UTFMax]byte
	c := norm.NFC.Append(nil, utf8.AppendRune(utf8.AppendRune(buf[:0], a), b)...)
	r, n := utf8.DecodeRune(c)
	if n == 0 || n != len(c) {
		return 0, false
	}
	return r, true
}
