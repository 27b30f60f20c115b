package pg

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// CopyFail's message fits the server's limit for it, is valid UTF-8 and
// has no NUL, whatever the cause's text.
func TestCopyFailMessage(t *testing.T) {
	for _, text := range []string{
		"short",
		strings.Repeat("x", 20_000),
		strings.Repeat("日", 5_000),
		strings.Repeat("\xff", 20_000),
		"before\x00after" + strings.Repeat("y", 20_000),
		strings.Repeat("a", copyFailMax-30) + "ü日ü日ü日ü日",
	} {
		msg := copyFailMessage(errors.New(text))
		assert.LessOrEqual(t, len(msg), copyFailMax)
		assert.True(t, utf8.ValidString(msg))
		assert.NotContains(t, msg, "\x00")
		assert.True(t, strings.HasPrefix(msg, "COPY aborted by the client: "+text[:min(len(text), 5)]) || text[0] == 0xff)
	}
	assert.Equal(t, "COPY aborted by the client: short", copyFailMessage(errors.New("short")))
	assert.Equal(t, "COPY aborted by the client: before", copyFailMessage(errors.New("before\x00after")))
}
