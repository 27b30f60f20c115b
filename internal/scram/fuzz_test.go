package scram

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzClient is the RFC 7677 client with PBKDF2 work capped so that each
// fuzz execution stays fast.
func fuzzClient(t *testing.T) *Client {
	c := newRFCClient(t)
	c.maxIterations = 4096
	return c
}

func FuzzServerFirst(f *testing.F) {
	f.Add([]byte(rfcServerFirst))
	f.Add([]byte("r=" + rfcNonce + "x,s=AAAA,i=1"))
	f.Add([]byte("r=" + rfcNonce + "x,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,x=ext"))
	f.Add([]byte("m=ext,r=" + rfcNonce + "x,s=AAAA,i=1"))
	f.Add([]byte("e=other-error"))
	f.Add([]byte("r=" + rfcNonce + ",s=,i="))
	f.Add([]byte("r=,s=,i=-1"))
	f.Add([]byte(""))
	f.Add([]byte(",,,"))
	f.Add([]byte("r=" + rfcNonce + "\x00\xff,s=A\nAAA,i=99999999999"))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c := fuzzClient(t)
		final, err := c.ServerFirst(msg)
		if err != nil {
			if final != nil || c.step != stepFailed {
				t.Fatalf("error %v with result %q and step %d", err, final, c.step)
			}
			return
		}
		if c.step != stepServerFinal {
			t.Fatalf("step %d after success", c.step)
		}
		if !bytes.HasPrefix(final, []byte("c=biws,r="+rfcNonce)) || !bytes.Contains(final, []byte(",p=")) {
			t.Fatalf("client-final-message %q", final)
		}
		// Whatever the server sends next must not panic, and only the
		// genuine signature may pass.
		if c.ServerFinal(msg) == nil {
			t.Fatalf("ServerFinal accepted %q", msg)
		}
	})
}

func FuzzServerFinal(f *testing.F) {
	f.Add([]byte(rfcServerFinal))
	f.Add([]byte("v="))
	f.Add([]byte("v=AAAA,x=1"))
	f.Add([]byte("e=invalid-proof"))
	f.Add([]byte("e="))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, msg []byte) {
		c := fuzzClient(t)
		if _, err := c.ServerFirst([]byte(rfcServerFirst)); err != nil {
			t.Fatal(err)
		}
		err := c.ServerFinal(msg)
		if (err == nil) != (string(msg) == rfcServerFinal) {
			t.Fatalf("ServerFinal(%q) = %v", msg, err)
		}
		if c.Done() != (err == nil) {
			t.Fatalf("Done = %v with error %v", c.Done(), err)
		}
	})
}

func FuzzSASLPrep(f *testing.F) {
	for _, s := range []string{"pencil", "I\u00ADX", "\u0627\u0031", "\u05D0 \u05D1", "\uFF50\u00BD", "\xff", "\u00AD", "pw\U0001F600", "a" + strings.Repeat("\u0301", 31) + "\u0323"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := saslPrep(s)
		if !ok {
			if out != "" {
				t.Fatalf("saslPrep(%+q) failed but returned %+q", s, out)
			}
			return
		}
		if isASCII(s) && out != s {
			t.Fatalf("ASCII %q changed to %q", s, out)
		}
		if !utf8.ValidString(out) || (out == "" && s != "") {
			t.Fatalf("saslPrep(%+q) = %+q", s, out)
		}
		// The output is NFKC-normalized, and a fixed point wherever it
		// passes the checks again. pg_saslprep runs the prohibition and
		// bidi checks on the mapped string before it normalizes, and we
		// must derive the server's keys, so an output may fail a second
		// pass: U+FC90 becomes U+0649 U+0670, whose last character is not
		// R/AL (testdata/fuzz/FuzzSASLPrep/250adfaa6fbdca2a).
		if n := nfkc(out); n != out {
			t.Fatalf("saslPrep(%+q) = %+q, which NFKC changes to %+q", s, out, n)
		}
		if again, ok := saslPrep(out); ok && again != out {
			t.Fatalf("saslPrep(%+q) = %+q but saslPrep of that = %+q", s, out, again)
		}
	})
}
