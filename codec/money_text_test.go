package codec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseMoneyText(t *testing.T) {
	for in, want := range map[string]Money{
		"$1,234.56": 123456, "(1.50)": -150, "1.005": 101, "-1.005": -101, "1.0049": 100, "7": 700,
		"-$92,233,720,368,547,758.08": -1 << 63, "$92,233,720,368,547,758.07": 1<<63 - 1,
	} {
		m, err := parseMoneyText(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, m, in)
	}
	for _, in := range []string{"", "$", "12,34 €", "1.2.3", "$92,233,720,368,547,758.08", "184467440737095516.19", "99999999999999999999999"} {
		_, err := parseMoneyText(in)
		assert.Error(t, err, in)
	}
}
