package pg_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
)

// A COPY the client abandons tells the server why in CopyFail, whose
// message the server caps (PQ_SMALL_MESSAGE_LIMIT, 10,000 bytes, in
// copyfromparse.c; beyond it the server drops the connection). A failure
// with a long text — an invalid value of 20 KB, a source error of
// 20 KB — is still reported as that row's error, the error quotes the
// value cut short, and the connection stays usable with nothing loaded.
func TestCopyRecordsLongFailure(t *testing.T) {
	t.Parallel()
	ctx := ctxT(t)
	_, err := connect(t).Exec(ctx, "DROP TABLE IF EXISTS copy_long_fail; CREATE TABLE copy_long_fail (id int4, n int4, ts timestamptz)")
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = connect(t).Exec(ctxT(t), "DROP TABLE IF EXISTS copy_long_fail") })

	long := strings.Repeat("9", 20_000)
	longUnicode := strings.Repeat("ü日", 5_000) // multi-byte runes across any cut
	srcErr := errors.New("source broke: " + strings.Repeat("é", 10_000))
	cases := []struct {
		name    string
		rows    [][]any
		srcErr  error
		row     int64
		contain []string
		quoted  string // a piece of the value the message must not exceed
	}{
		{"int value", [][]any{{1, 1, nil}, {2, long, nil}}, nil, 2, []string{`column "n"`, "9999"}, long},
		{"time value", [][]any{{1, 1, nil}, {2, 2, longUnicode}}, nil, 2, []string{`column "ts"`, "ü日"}, longUnicode},
		{"source error", [][]any{{1, 1, nil}}, srcErr, 0, []string{"source broke"}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := connect(t)
			i := 0
			n, err := c.CopyRecordsToTable(ctx, "copy_long_fail", nil, pg.CopyFromFunc(func() ([]any, error) {
				if i == len(tc.rows) {
					return nil, tc.srcErr
				}
				i++
				return tc.rows[i-1], nil
			}))
			require.Error(t, err)
			assert.Zero(t, n)
			assert.False(t, c.IsClosed(), "the connection was closed: %v", err)
			var ce *pg.CopyError
			require.ErrorAs(t, err, &ce, "%v", err)
			assert.Equal(t, tc.row, ce.Row)
			if tc.srcErr != nil {
				assert.ErrorIs(t, err, tc.srcErr)
			}
			t.Log(err)
			for _, s := range tc.contain {
				assert.Contains(t, err.Error(), s)
			}
			if tc.quoted != "" {
				assert.Less(t, len(err.Error()), 1000, "the error quotes the whole value")
			}
			// Usable, and nothing was loaded.
			var count int64
			require.NoError(t, c.QueryRow(ctx, "SELECT count(*) FROM copy_long_fail").Scan(&count))
			assert.Zero(t, count)
		})
	}
}
