package codec

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Text-format arrays use the element type's delimiter (box: ';'), quoting
// and NULL rules of array_out; text-format composites those of record_out.
func TestArrayTextFormat(t *testing.T) {
	r := Default()
	boxes := r.LookupName("_box")
	var got []Box
	require.NoError(t, ScanValue(boxes, TextFormat, []byte("{(3,4),(1,2);(7,8),(5,6)}"), &got))
	assert.Equal(t, []Box{{P: [2]Point{{3, 4}, {1, 2}}}, {P: [2]Point{{7, 8}, {5, 6}}}}, got)
	out, err := boxes.Text.Encode(nil, got)
	require.NoError(t, err)
	assert.Equal(t, "{(3,4),(1,2);(7,8),(5,6)}", string(out))

	texts := r.LookupName("_text")
	for _, tc := range []struct {
		in   string
		want []*string
	}{
		{`{}`, []*string{}},
		{`{a,NULL,"NULL","",  " b ",c}`, []*string{ptr("a"), nil, ptr("NULL"), ptr(""), ptr(" b "), ptr("c")}},
		{`{"a\"b","c\\d","{x}",null}`, []*string{ptr(`a"b`), ptr(`c\d`), ptr("{x}"), nil}},
		{`[3:4]={x,y}`, []*string{ptr("x"), ptr("y")}},
	} {
		var s []*string
		require.NoError(t, ScanValue(texts, TextFormat, []byte(tc.in), &s), tc.in)
		assert.Equal(t, tc.want, s, tc.in)
		enc, err := texts.Text.Encode(nil, s)
		require.NoError(t, err)
		var back []*string
		require.NoError(t, ScanValue(texts, TextFormat, enc, &back), string(enc))
		assert.Equal(t, tc.want, back, "re-encoded as %s", enc)
	}
	var nested [][]int32
	require.NoError(t, ScanValue(r.LookupName("_int4"), TextFormat, []byte("{{1,2},{3,4}}"), &nested))
	assert.Equal(t, [][]int32{{1, 2}, {3, 4}}, nested)
	for _, bad := range []string{`{1,2`, `{{1},2}`, `{{1,2},{3}}`, `{"a}`, `[1:x]={1}`, `x`, `{1,,2}`} {
		var s []string
		assert.Error(t, ScanValue(texts, TextFormat, []byte(bad), &s), bad)
	}
}

func TestCompositeTextFormat(t *testing.T) {
	r := Default()
	typ := NewCompositeType(90100, "c", "public", []Field{
		{Name: "a", Type: r.LookupName("int4")}, {Name: "b", Type: r.LookupName("text")}, {Name: "v", Type: r.LookupName("tsvector")},
	})
	require.False(t, typ.HasBinary(), "a text-only attribute makes the composite text")
	var rec Record
	require.NoError(t, ScanValue(typ, TextFormat, []byte(`(1,"x ""y"" \\z",)`), &rec))
	assert.Equal(t, []any{int32(1), `x "y" \z`, nil}, rec.Values())
	require.NoError(t, ScanValue(typ, TextFormat, []byte(`(,"",'a')`), &rec))
	assert.Equal(t, []any{nil, "", "'a'"}, rec.Values())
	out, err := typ.Text.Encode(nil, map[string]any{"a": 1, "b": `q"uo,te`})
	require.NoError(t, err)
	assert.Equal(t, `(1,"q""uo,te",)`, string(out))
	for _, bad := range []string{`(1,2`, `1,2,3)`, `(1,2,3,4)`, `(x,,)`} {
		assert.Error(t, ScanValue(typ, TextFormat, []byte(bad), &rec), bad)
	}
}

func ptr[T any](v T) *T { return &v }
