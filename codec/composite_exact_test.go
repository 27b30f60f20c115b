package codec

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A struct that maps to no attribute is refused as a composite; []any
// elements of an array of composites are composites.
func TestCompositeExactEncode(t *testing.T) {
	t.Parallel()
	comp := NewCompositeType(90001, "c3", "public", []Field{
		{Name: "a", Type: Default().Lookup(Int4OID)},
		{Name: "b", Type: Default().Lookup(TextOID)},
		{Name: "c", Type: Default().Lookup(Int8OID)},
	})
	dom := NewDomainType(90002, "c3dom", "public", comp)
	type hidden struct{ x int }
	type skipped struct {
		A int `pg:"-"`
	}
	for _, typ := range []*Type{comp, dom} {
		for _, v := range []any{time.Time{}, NumericFromInt64(1), hidden{1}, skipped{1}} {
			_, _, _, err := EncodeValue(typ, nil, v)
			if assert.Error(t, err, "%T as %s", v, typ.Name) {
				assert.Contains(t, err.Error(), "cannot encode Go type")
				assert.Contains(t, err.Error(), "as composite public.c3")
			}
		}
	}
	empty := NewCompositeType(90003, "c0", "public", nil)
	_, _, _, err := EncodeValue(empty, nil, struct{}{})
	assert.NoError(t, err, "a composite of no attributes takes a struct of no fields")

	for _, elem := range []*Type{comp, dom} {
		arr := NewArrayType(90010, "_"+elem.Name, elem)
		for _, format := range []int16{BinaryFormat, TextFormat} {
			c := arr.Codec(format)
			for _, v := range []any{
				[]any{[]any{nil, nil, 5}},
				[][]any{{nil, nil, 5}},
				Array[any]{Elements: []any{[]any{nil, nil, 5}}},
			} {
				out, err := c.Encode(nil, v)
				require.NoError(t, err, "%#v", v)
				got, err := c.Decode(out)
				require.NoError(t, err)
				elems := got.([]any)
				require.Len(t, elems, 1, "one element of %#v", v)
				rec := elems[0].(Record)
				assert.Equal(t, []any{nil, nil, int64(5)}, rec.Values())
				if format == TextFormat {
					assert.Equal(t, `{"(,,5)"}`, string(out))
				}
			}
		}
	}
	// The array's own shape is unchanged for other element types.
	ints := Default().Lookup(1007)
	out, err := ints.Text.Encode(nil, []any{[]any{1, 2}, []any{3, 4}})
	require.NoError(t, err)
	assert.Equal(t, "{{1,2},{3,4}}", string(out))
}
