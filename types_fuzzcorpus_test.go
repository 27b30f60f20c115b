package pg_test

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/codec"
)

// TestWriteFuzzCorpus regenerates codec/testdata/fuzz/FuzzDecodeBinary from
// the binary values the server sends for every literal of the round-trip
// tables. It is a generator, run on demand:
//
//	PG_WRITE_FUZZ_CORPUS=1 go test -run TestWriteFuzzCorpus .
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("PG_WRITE_FUZZ_CORPUS") == "" {
		t.Skip("generator: set PG_WRITE_FUZZ_CORPUS=1 to rewrite codec/testdata/fuzz")
	}
	c := connect(t)
	ctx := ctxT(t)
	pg.LockExtension(t, c, "hstore")
	setupSchema(t, c, "types_corpus", derivedDDL+"CREATE EXTENSION IF NOT EXISTS hstore SCHEMA types_corpus;")
	dir := filepath.Join("codec", "testdata", "fuzz", "FuzzDecodeBinary")
	textDir := filepath.Join("codec", "testdata", "fuzz", "FuzzDecodeText")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.MkdirAll(textDir, 0o755))
	// The fuzz registry's OIDs for the introspected types (codec/fuzz_test.go).
	fuzzOID := map[string]uint32{"mood": 90001, "posint": 90002, "floatrange": 90006, "floatmultirange": 90007, "hstore": 90008}
	cases := append(append(scalarCases(), containerCases()...), derivedCases()...)
	extra := []string{`ROW(1, 'a', NULL::int8, ROW(2.5::float8))`, `ARRAY[ROW(1,'x'), ROW(2,NULL)]`, `'a=>1, b=>NULL'::hstore`, `'"k é"=>"q\"x"'::hstore`}
	lits := make([]string, 0, len(cases)+len(extra))
	for _, tc := range cases {
		if !tc.textFormat && len(tc.lit) < 4096 {
			lits = append(lits, fmt.Sprintf("%s::%s", sqlQuote(tc.lit), tc.typ))
		}
	}
	lits = append(lits, extra...)
	written := 0
	for _, lit := range lits {
		rows, err := c.Query(ctx, "SELECT "+lit+", ("+lit+")::text")
		require.NoError(t, err, lit)
		require.True(t, rows.Next(), lit)
		oid := rows.FieldDescriptions()[0].DataTypeOID
		raw := append([]byte(nil), rows.RawValues()[0]...)
		text := string(rows.RawValues()[1])
		require.NoError(t, rows.Close())
		typ := strings.TrimPrefix(lit[strings.LastIndex(lit, "::")+2:], `"`)
		if o, ok := fuzzOID[typ]; ok {
			oid = o
		} else if oid >= 16384 && !strings.HasPrefix(lit, "ROW") && !strings.HasPrefix(lit, "ARRAY[ROW") {
			continue // an introspected type the fuzz registry does not have
		}
		if oid == codec.RecordArrayOID || oid == codec.RecordOID || oid < 16384 || fuzzOID[typ] != 0 {
			body := fmt.Sprintf("go test fuzz v1\nuint32(%d)\n[]byte(%q)\n", oid, raw)
			sum := sha256.Sum256([]byte(body))
			name := fmt.Sprintf("server-%d-%x", oid, sum[:6])
			require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
			body = fmt.Sprintf("go test fuzz v1\nuint32(%d)\nstring(%q)\n", oid, text)
			sum = sha256.Sum256([]byte(body))
			name = fmt.Sprintf("server-%d-%x", oid, sum[:6])
			require.NoError(t, os.WriteFile(filepath.Join(textDir, name), []byte(body), 0o644))
			written++
		}
	}
	t.Logf("wrote %d corpus files to %s", written, dir)
}
