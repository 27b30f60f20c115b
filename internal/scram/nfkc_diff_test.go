package scram

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// oldSASLPrep is saslPrep with the NFKC it had before norm replaced the
// generated tables.
func oldSASLPrep(s string) (string, bool) {
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
	return string(oldNFKC([]rune(mapped))), true
}

// TestNFKCDifferential compares the new NFKC (norm, with nfkcLongRuns for
// runs of more than 30 non-starters) and saslPrep built on it with the
// generated Unicode 14 tables they replace: every code point alone, every
// code point before and after a few combining marks, every composite's
// first part with every combining character, all Hangul jamo sequences,
// random combining sequences (long ones included) and random strings.
//
// Raw NFKC may differ where the Unicode versions do (14.0 in the old
// tables, norm.Version in the new); every such difference must involve a
// code point that is unassigned in Unicode 3.2 (table A.1), and saslPrep
// must never differ.
//
// It takes about two minutes of CPU, so it runs only when asked:
//
//	SCRAM_NFKC_DIFF=1 go test -run TestNFKCDifferential -v ./internal/scram
func TestNFKCDifferential(t *testing.T) {
	if os.Getenv("SCRAM_NFKC_DIFF") == "" {
		t.Skip("set SCRAM_NFKC_DIFF=1 to compare with the old NFKC tables over every code point")
	}
	t.Logf("norm.Version %s", norm.Version)
	var (
		inputs, nfkcDiff, normAloneDiff, longRunsDiff, prepDiff, prepOK int
		diffSingles                                                     []rune
	)
	check := func(in []rune) {
		inputs++
		s := string(in)
		want := string(oldNFKC(in))
		got := nfkc(s)
		if got != want {
			nfkcDiff++
			if !slices.ContainsFunc(in, func(r rune) bool { return inTable(r, unassignedCodePoints) }) {
				t.Errorf("nfkc(%+q) = %+q, old %+q, and no code point is unassigned in Unicode 3.2", s, got, want)
			}
			if len(in) == 1 {
				diffSingles = append(diffSingles, in[0])
			}
		}
		if norm.NFKC.String(s) != want {
			normAloneDiff++
		}
		if l := nfkcLongRuns(s); l != want {
			longRunsDiff++
		} else if l != got {
			t.Errorf("nfkcLongRuns(%+q) = %+q, nfkc %+q", s, l, got)
		}
		gotP, okP := saslPrep(s)
		wantP, wantOK := oldSASLPrep(s)
		if okP != wantOK || gotP != wantP {
			if prepDiff++; prepDiff <= 20 {
				t.Errorf("saslPrep(%+q) = %+q, %v; old %+q, %v", s, gotP, okP, wantP, wantOK)
			}
		}
		if okP {
			prepOK++
		}
	}

	marks := []rune{0x0301, 0x0323, 0x0308, 0x0345, 0x05B4, 0x093C, 0x0F71, 0x3099}
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		check([]rune{r})
		for _, m := range marks {
			check([]rune{r, m})
		}
		check([]rune{'a', r})
		check([]rune{0x0915, 0x0301, r})
	}
	singles := inputs

	// Every first part of a primary composite, and every character that
	// decomposes to one, with every combining character and every second
	// part of a composite.
	var firsts, seconds []rune
	for _, e := range composeTable {
		firsts = append(firsts, e.a)
		seconds = append(seconds, e.b)
	}
	for _, rg := range cccTable {
		for r := rg.lo; r <= rg.hi; r++ {
			seconds = append(seconds, r)
		}
	}
	for _, e := range nfkdTable {
		if d := []rune(e.d); slices.Contains(firsts, d[0]) {
			firsts = append(firsts, e.r)
		}
	}
	slices.Sort(firsts)
	firsts = slices.Compact(firsts)
	slices.Sort(seconds)
	seconds = slices.Compact(seconds)
	for _, a := range firsts {
		for _, b := range seconds {
			check([]rune{a, b})
		}
	}
	pairs := inputs - singles

	// Hangul: every L V and L V T, every syllable with every T.
	for l := rune(0); l < hangulLCount; l++ {
		for v := rune(0); v < hangulVCount; v++ {
			check([]rune{hangulLBase + l, hangulVBase + v})
			for tt := rune(1); tt < hangulTCount; tt++ {
				check([]rune{hangulLBase + l, hangulVBase + v, hangulTBase + tt})
			}
		}
	}
	for s := rune(0); s < hangulSCount; s++ {
		for tt := rune(0); tt < hangulTCount; tt++ {
			check([]rune{hangulSBase + s, hangulTBase + tt})
		}
	}

	// Random combining sequences, up to 80 marks, and random strings.
	rnd := rand.New(rand.NewPCG(3, 4))
	for i := range 300_000 {
		s := []rune{firsts[rnd.IntN(len(firsts))]}
		n := 1 + rnd.IntN(6)
		if i%10 == 0 {
			n = 25 + rnd.IntN(56)
		}
		for range n {
			s = append(s, seconds[rnd.IntN(len(seconds))])
		}
		if rnd.IntN(3) == 0 {
			s = append(s, firsts[rnd.IntN(len(firsts))])
		}
		check(s)
	}
	for range 300_000 {
		s := make([]rune, 1+rnd.IntN(6))
		for i := range s {
			switch rnd.IntN(3) {
			case 0:
				s[i] = rune(rnd.IntN(0x3000))
			case 1:
				s[i] = rune(rnd.IntN(0x10000))
			default:
				s[i] = rune(rnd.IntN(0x110000))
			}
			if s[i] >= 0xD800 && s[i] <= 0xDFFF {
				s[i] = 'x'
			}
		}
		check(s)
	}

	slices.Sort(diffSingles)
	diffSingles = slices.Compact(diffSingles)
	var ds []string
	for _, r := range diffSingles {
		ds = append(ds, fmt.Sprintf("%U", r))
	}
	t.Logf("%d inputs (%d with single code points, %d pairs); saslPrep accepted %d", inputs, singles, pairs, prepOK)
	t.Logf("raw NFKC differs from the old tables on %d inputs (norm alone, without the long-run fix: %d; nfkcLongRuns alone: %d)", nfkcDiff, normAloneDiff, longRunsDiff)
	t.Logf("single code points whose NFKC differs (%d): %s", len(diffSingles), strings.Join(ds, " "))
	t.Logf("saslPrep differs on %d inputs", prepDiff)
}

// FuzzSASLPrepDifferential compares saslPrep and nfkc with the old tables
// on arbitrary strings.
func FuzzSASLPrepDifferential(f *testing.F) {
	for _, s := range []string{"pencil", "I\u00ADX", "\u0627\u0031", "\uFF50\u00BD", "a\u0301\u0328", "\u1100\u1161\u11A8", "a" + strings.Repeat("\u0301", 31) + "\u0323", "\U0001E030"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := saslPrep(s)
		want, wantOK := oldSASLPrep(s)
		if got != want || ok != wantOK {
			t.Fatalf("saslPrep(%+q) = %+q, %v; old %+q, %v", s, got, ok, want, wantOK)
		}
		if !utf8.ValidString(s) || slices.ContainsFunc([]rune(s), func(r rune) bool { return inTable(r, unassignedCodePoints) }) {
			return
		}
		if got, want := nfkc(s), string(oldNFKC([]rune(s))); got != want {
			t.Fatalf("nfkc(%+q) = %+q, old %+q", s, got, want)
		}
	})
}
