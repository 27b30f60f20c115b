package codec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// "char" text as the server writes and reads it (charout, charin): the
// zero byte is "", a byte of 0x80 or more is \ooo.
func TestCharText(t *testing.T) {
	for _, tc := range []struct {
		b    byte
		text string
	}{{0, ""}, {'b', "b"}, {0x7f, "\x7f"}, {0x80, `\200`}, {0xe6, `\346`}, {0xff, `\377`}} {
		assert.Equal(t, tc.text, charText(tc.b))
		b, err := parseCharText(tc.text)
		require.NoError(t, err, tc.text)
		assert.Equal(t, tc.b, b)
		out, err := encodeChar(nil, tc.text)
		require.NoError(t, err)
		assert.Equal(t, []byte{tc.b}, out, "binary: always one byte, the zero byte included")
		var s string
		ok, err := charType.Binary.Scan([]byte{tc.b}, &s)
		require.True(t, ok)
		require.NoError(t, err)
		assert.Equal(t, tc.text, s)
		ok, err = charType.Text.Scan([]byte(tc.text), &s)
		require.True(t, ok)
		require.NoError(t, err)
		assert.Equal(t, tc.text, s)
	}
	for _, bad := range []string{"ab", `\400`, `\38`, `\0000`} {
		_, err := parseCharText(bad)
		assert.Error(t, err, bad)
	}
}
