package scram

import (
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wirepg/pg/pgtest"
)

// TestNFKCAgainstPostgreSQL compares nfkc with PostgreSQL's own
// normalize(text, NFKC) — the unicode_normalize its SASLprep uses when it
// stores a SCRAM verifier — on every code point SASLprep lets through to
// normalization (assigned in Unicode 3.2, not prohibited), every primary
// composite's parts, Hangul jamo, and random runs of combining marks.
func TestNFKCAgainstPostgreSQL(t *testing.T) {
	t.Parallel()
	srv, err := pgtest.Start(pgtest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })

	var inputs [][]rune
	for r := rune(0x80); r <= 0x2FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF || inTable(r, unassignedCodePoints) || inTable(r, prohibitedOutput) {
			continue
		}
		inputs = append(inputs, []rune{r})
	}
	for _, e := range composeTable {
		inputs = append(inputs, []rune{e.a, e.b}, []rune{e.a, e.b, 0x0323}, []rune{e.a, 0x0323, e.b})
	}
	for l := rune(0); l < hangulLCount; l += 3 {
		for v := rune(0); v < hangulVCount; v += 4 {
			inputs = append(inputs, []rune{hangulLBase + l, hangulVBase + v}, []rune{hangulLBase + l, hangulVBase + v, hangulTBase + 1 + v})
		}
	}
	var marks []rune
	for _, rg := range cccTable {
		for r := rg.lo; r <= rg.hi && r < 0x2000; r++ {
			if !inTable(r, unassignedCodePoints) && !inTable(r, prohibitedOutput) {
				marks = append(marks, r)
			}
		}
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	bases := []rune("aeiouAEOUnsczg\u03B1\u03C9\u0430\u05D0\u0915\u1100\u3042\u30AB\uFF76")
	for range 3000 {
		s := []rune{bases[rnd.IntN(len(bases))]}
		for range 1 + rnd.IntN(3) {
			if rnd.IntN(4) == 0 {
				s = append(s, 0x0300+rune(rnd.IntN(0x70)))
			} else {
				s = append(s, marks[rnd.IntN(len(marks))])
			}
		}
		inputs = append(inputs, s)
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
		if got := string(nfkc([]rune(string(inB)))); got != string(wantB) {
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
