package pkcs8

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecrypt feeds Decrypt arbitrary DER, seeded with OpenSSL's encrypted
// keys, and arbitrary passwords: it must not panic, and must return either
// a result or an error. The work bounds are lowered so that a fuzzed
// iteration count or scrypt cost cannot stall or exhaust the fuzzer.
func FuzzDecrypt(f *testing.F) {
	maxIterations, maxScryptBytes = 100_000, 64<<20
	files, err := filepath.Glob(filepath.Join(keyDir, "*.key"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no keys in %s: %v", keyDir, err)
	}
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if blk, _ := pem.Decode(b); blk != nil && blk.Type == "ENCRYPTED PRIVATE KEY" {
			f.Add(blk.Bytes, []byte(password))
			f.Add(blk.Bytes, []byte("wrong"))
		}
	}
	f.Fuzz(func(t *testing.T, der, pw []byte) {
		out, err := Decrypt(der, pw)
		if (err == nil) == (out == nil) {
			t.Fatalf("Decrypt returned %d bytes and error %v", len(out), err)
		}
	})
}
