package scram

import (
	"slices"
	"strings"
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
//  4. Normalise with NFKC. Here we depart from PostgreSQL: without Unicode
//     normalisation tables (golang.org/x/text is not a dependency) we apply
//     only nfkcFold, the compatibility mappings of a fixed set of common
//     characters, and compose nothing. The result equals PostgreSQL's
//     whenever the mapped password is NFKC-normalised apart from those
//     characters — true of ordinary precomposed (NFC) text without
//     compatibility characters. It differs for, say, decomposed accents
//     ("e" + U+0301), half-width katakana or circled digits, and such a
//     password fails authentication against a verifier PostgreSQL computed.
func saslPrep(s string) (string, bool) {
	if isASCII(s) {
		return s, true
	}
	if !utf8.ValidString(s) {
		return "", false
	}

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

	var b strings.Builder
	b.Grow(len(s))
	for _, r := range mapped {
		if f, ok := nfkcFold(r); ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// nfkcFold returns the NFKC form of r for the subset of compatibility
// characters we normalise: full-width ASCII and signs (U+FF01–U+FF5E,
// U+FFE0–U+FFE6), the Latin-1 compatibility characters, Latin ligatures and
// digraphs (IJ, DŽ, LJ, NJ, DZ, U+FB00–U+FB06), spacing diacritics, super-
// and subscript digits, Thai and Lao AM, and a few letterlike symbols and
// punctuation. Each result is the character's full NFKC
// mapping (checked in TestNFKCFold against values from a Unicode database).
func nfkcFold(r rune) (string, bool) {
	if r >= 0xFF01 && r <= 0xFF5E {
		// Full-width forms of U+0021–U+007E sit at a fixed offset.
		return string(r - 0xFEE0), true
	}
	f, ok := nfkcFoldTable[r]
	return f, ok
}

var nfkcFoldTable = map[rune]string{
	0x00A8: " \u0308",  // DIAERESIS
	0x00AA: "a",        // FEMININE ORDINAL INDICATOR
	0x00AF: " \u0304",  // MACRON
	0x00B2: "2",        // SUPERSCRIPT TWO
	0x00B3: "3",        // SUPERSCRIPT THREE
	0x00B4: " \u0301",  // ACUTE ACCENT
	0x00B5: "\u03BC",   // MICRO SIGN
	0x00B8: " \u0327",  // CEDILLA
	0x00B9: "1",        // SUPERSCRIPT ONE
	0x00BA: "o",        // MASCULINE ORDINAL INDICATOR
	0x00BC: "1\u20444", // VULGAR FRACTION ONE QUARTER
	0x00BD: "1\u20442", // VULGAR FRACTION ONE HALF
	0x00BE: "3\u20444", // VULGAR FRACTION THREE QUARTERS
	0x0132: "IJ",       // LATIN CAPITAL LIGATURE IJ
	0x0133: "ij",
	0x013F: "L\u00B7", // LATIN CAPITAL LETTER L WITH MIDDLE DOT
	0x0140: "l\u00B7",
	0x0149: "\u02BCn", // LATIN SMALL LETTER N PRECEDED BY APOSTROPHE
	0x017F: "s",       // LATIN SMALL LETTER LONG S
	0x01C4: "D\u017D", // LATIN CAPITAL LETTER DZ WITH CARON
	0x01C5: "D\u017E",
	0x01C6: "d\u017E",
	0x01C7: "LJ", // LATIN CAPITAL LETTER LJ
	0x01C8: "Lj",
	0x01C9: "lj",
	0x01CA: "NJ",
	0x01CB: "Nj",
	0x01CC: "nj",
	0x01F1: "DZ", // LATIN CAPITAL LETTER DZ
	0x01F2: "Dz",
	0x01F3: "dz",
	0x02D8: " \u0306", // BREVE
	0x02D9: " \u0307", // DOT ABOVE
	0x02DA: " \u030A", // RING ABOVE
	0x02DB: " \u0328", // OGONEK
	0x02DC: " \u0303", // SMALL TILDE
	0x02DD: " \u030B", // DOUBLE ACUTE ACCENT
	// Common in Thai and Lao words, e.g. "\u0E19\u0E49\u0E33".
	0x0E33: "\u0E4D\u0E32", // THAI CHARACTER SARA AM
	0x0EB3: "\u0ECD\u0EB2", // LAO VOWEL SIGN AM
	0x2026: "...",          // HORIZONTAL ELLIPSIS
	0x2070: "0",            // SUPERSCRIPT ZERO
	0x2071: "i",            // SUPERSCRIPT LATIN SMALL LETTER I
	0x2074: "4",            // SUPERSCRIPT FOUR
	0x2075: "5",
	0x2076: "6",
	0x2077: "7",
	0x2078: "8",
	0x2079: "9",
	0x2080: "0", // SUBSCRIPT ZERO
	0x2081: "1",
	0x2082: "2",
	0x2083: "3",
	0x2084: "4",
	0x2085: "5",
	0x2086: "6",
	0x2087: "7",
	0x2088: "8",
	0x2089: "9",
	0x2122: "TM",     // TRADE MARK SIGN
	0x2126: "\u03A9", // OHM SIGN
	0x212A: "K",      // KELVIN SIGN
	0x212B: "\u00C5", // ANGSTROM SIGN
	0xFB00: "ff",     // LATIN SMALL LIGATURE FF
	0xFB01: "fi",
	0xFB02: "fl",
	0xFB03: "ffi",
	0xFB04: "ffl",
	0xFB05: "st", // LATIN SMALL LIGATURE LONG S T
	0xFB06: "st",
	0xFFE0: "\u00A2",  // FULLWIDTH CENT SIGN
	0xFFE1: "\u00A3",  // FULLWIDTH POUND SIGN
	0xFFE2: "\u00AC",  // FULLWIDTH NOT SIGN
	0xFFE3: " \u0304", // FULLWIDTH MACRON, via U+00AF
	0xFFE4: "\u00A6",  // FULLWIDTH BROKEN BAR
	0xFFE5: "\u00A5",  // FULLWIDTH YEN SIGN
	0xFFE6: "\u20A9",  // FULLWIDTH WON SIGN
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
