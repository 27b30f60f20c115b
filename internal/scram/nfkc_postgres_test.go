package scram

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/wirepg/pg/pgtest"
)

// TestNFKCAgainstPostgreSQL compares nfkc with PostgreSQL's own
// normalize(text, NFKC) — the unicode_normalize its SASLprep uses when it
// stores a SCRAM verifier — on every code point SASLprep lets through to
// normalization (assigned in Unicode 3.2, not prohibited), the parts of
// every canonical composite, Hangul jamo, random runs of combining marks,
// and runs longer than the 30 non-starters after which norm would insert
// a grapheme joiner.
func TestNFKCAgainstPostgreSQL(t *testing.T) {
	t.Parallel()
	srv, err := pgtest.Start(pgtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })

	allowed := func(r rune) bool {
		return !(r >= 0xD800 && r <= 0xDFFF) && !inTable(r, unassignedCodePoints) && !inTable(r, prohibitedOutput)
	}
	var inputs [][]rune
	var marks []rune
	for r := rune(0x80); r <= 0x2FFFF; r++ {
		if !allowed(r) {
			continue
		}
		inputs = append(inputs, []rune{r})
		if combiningClass(r) != 0 && r < 0x2000 {
			marks = append(marks, r)
		}
		// A canonical composite: its full decomposition, and the
		// composite of all but its last part followed by that part.
		d := []rune(norm.NFD.String(string(r)))
		if len(d) < 2 || norm.NFC.String(string(d)) != string(r) {
			continue
		}
		head := []rune(norm.NFC.String(string(d[:len(d)-1])))
		for _, in := range [][]rune{d, append(head, d[len(d)-1])} {
			inputs = append(inputs, in, append(slices.Clone(in), 0x0323), slices.Insert(slices.Clone(in), 1, 0x0323))
		}
	}
	for l := rune(0); l < 19; l += 3 {
		for v := rune(0); v < 21; v += 4 {
			inputs = append(inputs, []rune{0x1100 + l, 0x1161 + v}, []rune{0x1100 + l, 0x1161 + v, 0x11A8 + v})
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	bases := []rune("aeiouAEOUnsczg\u03B1\u03C9\u0430\u05D0\u0915\u1100\u3042\u30AB\uFF76")
	randomRun := func(n int) []rune {
		s := []rune{bases[rnd.IntN(len(bases))]}
		for range n {
			if rnd.IntN(4) == 0 {
				s = append(s, 0x0300+rune(rnd.IntN(0x70)))
			} else {
				s = append(s, marks[rnd.IntN(len(marks))])
			}
		}
		return s
	}
	for range 3000 {
		inputs = append(inputs, randomRun(1+rnd.IntN(3)))
	}
	for n := 28; n <= 70; n++ {
		for range 10 {
			inputs = append(inputs, randomRun(n))
		}
		inputs = append(inputs, append([]rune("a"), slices.Repeat([]rune{0x0301}, n)...), slices.Repeat([]rune{0x0328, 0x0301}, n))
	}

	var sql strings.Builder
	sql.WriteString("CREATE DATABASE nfkc_oracle TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C';\n\\c nfkc_oracle\n")
	sql.WriteString("SELECT h || '|' || encode(convert_to(normalize(convert_from(decode(h, 'hex'), 'UTF8'), NFKC), 'UTF8'), 'hex') FROM unnest(ARRAY[")
	for i, in := range inputs {
		if i > 0 {
			sql.WriteByte(',')
		}
		fmt.Fprintf(&sql, "'%x'", string(in))
	}
	sql.WriteString("]) h;\n")
	out, err := srv.SQL(sql.String())
	if err != nil {
		t.Fatal(err)
	}

	lines := strings.Split(out, "\n")
	if len(lines) != len(inputs) {
		t.Fatalf("PostgreSQL returned %d results for %d inputs", len(lines), len(inputs))
	}
	bad := 0
	for _, line := range lines {
		in, want, ok := strings.Cut(line, "|")
		if !ok {
			t.Fatalf("unexpected psql output line %q", line)
		}
		inB, err1 := hex.DecodeString(in)
		wantB, err2 := hex.DecodeString(want)
		if err1 != nil || err2 != nil {
			t.Fatalf("unexpected psql output line %q", line)
		}
		if got := nfkc(string(inB)); got != string(wantB) {
			if bad++; bad <= 20 {
				t.Errorf("nfkc(%+q) = %+q, PostgreSQL says %+q", inB, got, wantB)
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%d of %d inputs differ", bad, len(inputs))
	}
	t.Logf("%d inputs agree with PostgreSQL", len(inputs))
}
