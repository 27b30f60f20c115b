//go:build unix

package tlsconfig

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCheckKeyFileMode: libpq's rule (fe-secure-openssl.c): 0600 or less,
// or 0640 or less when root owns the key.
func TestCheckKeyFileMode(t *testing.T) {
	t.Parallel()
	asRoot := os.Geteuid() == 0 // the files below are the test user's
	for _, tc := range []struct {
		mode os.FileMode
		ok   bool
	}{
		{0o600, true},
		{0o400, true},
		{0o640, asRoot},
		{0o660, false},
		{0o644, false},
		{0o604, false},
	} {
		p := writeFile(t, "client.key", nil)
		if err := os.Chmod(p, tc.mode); err != nil {
			t.Fatal(err)
		}
		err := checkKeyFileMode(p)
		if tc.ok {
			assert.NoError(t, err, "%v", tc.mode)
			continue
		}
		var e *Error
		if assert.ErrorAs(t, err, &e, "%v", tc.mode) {
			assert.Equal(t, "sslkey", e.Option)
			assert.Contains(t, e.Msg, "group or world access")
		}
	}
	assert.ErrorContains(t, checkKeyFileMode(t.TempDir()), "is not a regular file")
	assert.ErrorContains(t, checkKeyFileMode(filepath.Join(t.TempDir(), "none")), "cannot read sslkey")
}
