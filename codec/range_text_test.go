package codec

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// Range.String is range_in's text (it is what database/sql binds): time
// bounds in PostgreSQL's ISO form, bounds range_in would split or trim
// double-quoted.
func TestRangeStringIsRangeIn(t *testing.T) {
	at := time.Date(1941, 3, 26, 0, 0, 0, 0, time.UTC)
	bc := time.Date(-4131, 11, 1, 12, 30, 0, 0, time.UTC)
	for _, tc := range []struct {
		r    Range[any]
		want string
	}{
		{Range[any]{Lower: int32(1), Upper: int32(5), LowerInc: true}, "[1,5)"},
		{Range[any]{Lower: at, UpperInf: true, LowerInc: true}, `["1941-03-26 00:00:00+00",)`},
		{Range[any]{Lower: bc, Upper: at}, `("4132-11-01 12:30:00+00 BC","1941-03-26 00:00:00+00")`},
		{Range[any]{Lower: `a "b"`, Upper: `c\d`, LowerInc: true, UpperInc: true}, `["a \"b\"","c\\d"]`},
		{Range[any]{Lower: "", UpperInf: true}, `("",)`},
		{Range[any]{Empty: true}, "empty"},
	} {
		assert.Equal(t, tc.want, tc.r.String())
	}
}
