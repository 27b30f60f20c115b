package codec

import "testing"

func BenchmarkInt4ArrayIntoInt32s(b *testing.B) {
	r := Default()
	typ := r.LookupName("_int4")
	vals := make([]int32, 100)
	src, _ := typ.Binary.Encode(nil, vals)
	var dst []int32
	for b.Loop() {
		if _, err := typ.Binary.Scan(src, &dst); err != nil {
			b.Fatal(err)
		}
	}
}
