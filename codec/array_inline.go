package codec

import (
	"encoding/binary"
	"math"
)

// Array scans into []int32, []string and the other plain slices of the
// common element types decode the elements in place: one loop over the
// binary body with the element's length checked and its value stored,
// where the general path (scanFlat) calls ScanValue, and through it the
// element codec's Scan and its destination type switch, once per element.
// Anything that loop does not expect (a NULL, an element of another
// length, a value out of the destination's range, trailing bytes) sends
// the whole value to the general path, which gives the exact error, so the
// two paths cannot disagree.

// elemKind is how an array element of a built-in type is laid out.
type elemKind uint8

const (
	elemSigned   elemKind = iota + 1 // int2, int4, int8: big-endian two's complement
	elemUnsigned                     // oid, xid, cid: big-endian unsigned
	elemFloat                        // float4, float8: IEEE 754 bits
	elemBool                         // one byte, 0 or not
	elemText                         // text, varchar, name, bpchar ...: the bytes themselves
)

// inlineElem describes a built-in codec's elements for inline decoding.
type inlineElem struct {
	codec *Codec // the codec marked, see Codec.inline
	kind  elemKind
	size  int // bytes per element; 0 for text
}

// markInline marks c as a built-in codec of kind whose elements take size
// bytes, and returns it.
func markInline(c *Codec, kind elemKind, size int) *Codec {
	c.inline = &inlineElem{codec: c, kind: kind, size: size}
	return c
}

// inlineOf returns how t's binary elements decode in place, or nil when
// they do not (any type but the marked built-ins, and copies of them).
func inlineOf(t *Type) *inlineElem {
	if t == nil || t.Binary == nil {
		return nil
	}
	in := t.Binary.inline
	if in == nil || in.codec != t.Binary {
		return nil
	}
	return in
}

// integer is every Go integer type an array of integers scans into in
// place.
type integer interface {
	~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

// inlineInts decodes a one-dimensional (or empty) binary array of
// integers into a new []T; false when the general path must decide (see
// above).
func inlineInts[T integer](r *arrayReader, in *inlineElem) ([]T, bool) {
	if r.format != BinaryFormat || r.ndim > 1 || in.kind != elemSigned && in.kind != elemUnsigned {
		return nil, false
	}
	size := in.size
	if in.kind == elemUnsigned && size != 4 {
		return nil, false // xid8: above MaxInt64 is not an int64
	}
	if len(r.body) != r.n*(4+size) {
		return nil, false // NULLs, other lengths or trailing bytes
	}
	s := make([]T, r.n)
	if !decodeInts(s, r.body, size, in.kind == elemSigned) {
		return nil, false
	}
	return s, true
}

// decodeInts fills s from body, len(s) elements of size bytes each with
// their 4-byte length before them (len(body) is checked): a loop per
// width, so the loop itself has no branch on it.
func decodeInts[T integer](s []T, body []byte, size int, signed bool) bool {
	unsignedT := ^T(0) > 0
	// fits reports whether n is exactly representable in T.
	fits := func(n int64) bool {
		return int64(T(n)) == n && (!unsignedT || n >= 0)
	}
	step := 4 + size
	switch {
	case size == 4 && signed:
		for i := range s {
			e := body[i*step : i*step+8]
			n := int64(int32(binary.BigEndian.Uint32(e[4:])))
			// An element's length other than 4 is a NULL or a lie the
			// general path reports.
			if binary.BigEndian.Uint32(e) != 4 || !fits(n) {
				return false
			}
			s[i] = T(n)
		}
	case size == 4:
		for i := range s {
			e := body[i*step : i*step+8]
			n := int64(binary.BigEndian.Uint32(e[4:]))
			if binary.BigEndian.Uint32(e) != 4 || !fits(n) {
				return false
			}
			s[i] = T(n)
		}
	case size == 2:
		for i := range s {
			e := body[i*step : i*step+6]
			n := int64(int16(binary.BigEndian.Uint16(e[4:])))
			if binary.BigEndian.Uint32(e) != 2 || !fits(n) {
				return false
			}
			s[i] = T(n)
		}
	case size == 8:
		for i := range s {
			e := body[i*step : i*step+12]
			n := int64(binary.BigEndian.Uint64(e[4:]))
			if binary.BigEndian.Uint32(e) != 8 || !fits(n) {
				return false
			}
			s[i] = T(n)
		}
	default:
		return false
	}
	return true
}

// inlineFloats decodes a binary array of float8 into []float64 or of
// float4 into []float32; widening and narrowing are the general path's.
func inlineFloats[T float32 | float64](r *arrayReader, in *inlineElem) ([]T, bool) {
	var zero T
	_, is64 := any(zero).(float64)
	size := 4
	if is64 {
		size = 8
	}
	if r.format != BinaryFormat || r.ndim > 1 || in.kind != elemFloat || in.size != size || len(r.body) != r.n*(4+size) {
		return nil, false
	}
	body := r.body
	s := make([]T, r.n)
	for i := range s {
		if int32(binary.BigEndian.Uint32(body)) != int32(size) {
			return nil, false
		}
		if is64 {
			s[i] = T(math.Float64frombits(binary.BigEndian.Uint64(body[4:])))
		} else {
			s[i] = T(math.Float32frombits(binary.BigEndian.Uint32(body[4:])))
		}
		body = body[4+size:]
	}
	return s, true
}

// inlineBools decodes a binary array of bool into []bool.
func inlineBools(r *arrayReader, in *inlineElem) ([]bool, bool) {
	if r.format != BinaryFormat || r.ndim > 1 || in.kind != elemBool || len(r.body) != r.n*5 {
		return nil, false
	}
	body := r.body
	s := make([]bool, r.n)
	for i := range s {
		if int32(binary.BigEndian.Uint32(body)) != 1 {
			return nil, false
		}
		s[i] = body[4] != 0
		body = body[5:]
	}
	return s, true
}

// inlineStrings decodes a binary array of a text type into []string: one
// string per element, as the element's own Scan would make.
func inlineStrings(r *arrayReader, in *inlineElem) ([]string, bool) {
	if r.format != BinaryFormat || r.ndim > 1 || in.kind != elemText {
		return nil, false
	}
	body := r.body
	s := make([]string, r.n)
	for i := range s {
		if len(body) < 4 {
			return nil, false
		}
		l := int32(binary.BigEndian.Uint32(body))
		if l < 0 || int(l) > len(body)-4 {
			return nil, false // a NULL, or a bad length
		}
		s[i] = string(body[4 : 4+l])
		body = body[4+l:]
	}
	if len(body) != 0 {
		return nil, false
	}
	return s, true
}

// scanInline fills dst, a plain slice of the element's Go type, in place;
// false leaves dst alone for the general path.
func scanInline(r *arrayReader, in *inlineElem, dst any) bool {
	switch d := dst.(type) {
	case *[]int32:
		return store(d)(inlineInts[int32](r, in))
	case *[]int64:
		return store(d)(inlineInts[int64](r, in))
	case *[]int16:
		return store(d)(inlineInts[int16](r, in))
	case *[]int:
		return store(d)(inlineInts[int](r, in))
	case *[]uint32:
		return store(d)(inlineInts[uint32](r, in))
	case *[]float64:
		return store(d)(inlineFloats[float64](r, in))
	case *[]float32:
		return store(d)(inlineFloats[float32](r, in))
	case *[]bool:
		return store(d)(inlineBools(r, in))
	case *[]string:
		return store(d)(inlineStrings(r, in))
	}
	return false
}

// store returns a function that sets *d to s when ok, and reports ok.
func store[T any](d *[]T) func(s []T, ok bool) bool {
	return func(s []T, ok bool) bool {
		if ok {
			*d = s
		}
		return ok
	}
}
