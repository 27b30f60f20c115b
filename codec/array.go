package codec

import (
	"encoding/binary"
	"fmt"
	"math"
	"reflect"
	"sync"
)

// maxArrayDims is PostgreSQL's MAXDIM.
const maxArrayDims = 6

// ArrayDimension is one dimension of an array: its length and the index
// of its first element (1 unless the array was built otherwise).
type ArrayDimension struct {
	Length     int32
	LowerBound int32
}

// Array is an array of any number of dimensions with its lower bounds
// kept: Elements holds every element in row-major order and Dims the
// shape. Most callers scan into plain (nested) slices instead; Array is
// for those who need the bounds ('[0:2]={1,2,3}') or a shape known only
// at run time. NULL elements need a nullable T (a pointer or Null[U]).
type Array[T any] struct {
	Elements []T
	Dims     []ArrayDimension
}

// arrayTarget is how the array codec fills an Array[T] without knowing T.
type arrayTarget interface {
	setShape(dims []ArrayDimension, n int)
	elemPtr(i int) any
}

// arraySource is how the array encoder reads an Array[T].
type arraySource interface {
	shape() ([]ArrayDimension, int)
	elem(i int) any
}

func (a *Array[T]) setShape(dims []ArrayDimension, n int) {
	a.Dims = append(a.Dims[:0:0], dims...)
	a.Elements = make([]T, n)
}

func (a *Array[T]) elemPtr(i int) any { return &a.Elements[i] }

func (a Array[T]) shape() ([]ArrayDimension, int) { return a.Dims, len(a.Elements) }

func (a Array[T]) elem(i int) any { return a.Elements[i] }

// arrayReader walks an array value's elements in row-major order, from
// the binary form or a parsed text form.
type arrayReader struct {
	ndim    int
	dims    [maxArrayDims]ArrayDimension
	n       int
	hasNul  bool
	elemOID uint32
	format  int16
	body    []byte   // binary: the element data still to read
	text    [][]byte // text: the parsed elements, nil for NULL
	i       int
}

// readArrayHeader parses the binary header (array_send): ndim, a has-nulls
// flag, the element OID, then length and lower bound per dimension.
func readArrayHeader(src []byte, name string) (arrayReader, error) {
	r := arrayReader{format: BinaryFormat}
	if len(src) < 12 {
		return r, &DecodeError{PGType: name, Msg: "short array header"}
	}
	ndim := int32(binary.BigEndian.Uint32(src))
	flags := int32(binary.BigEndian.Uint32(src[4:]))
	r.elemOID = binary.BigEndian.Uint32(src[8:])
	if ndim < 0 || ndim > maxArrayDims || flags&^1 != 0 {
		return r, &DecodeError{PGType: name, Msg: fmt.Sprintf("bad header (ndim %d, flags %d)", ndim, flags)}
	}
	r.ndim, r.hasNul = int(ndim), flags == 1
	p := src[12:]
	if len(p) < 8*r.ndim {
		return r, &DecodeError{PGType: name, Msg: "short dimensions"}
	}
	n := int64(1)
	if r.ndim == 0 {
		n = 0
	}
	for i := 0; i < r.ndim; i++ {
		l := int32(binary.BigEndian.Uint32(p[8*i:]))
		lb := int32(binary.BigEndian.Uint32(p[8*i+4:]))
		if l < 0 {
			return r, &DecodeError{PGType: name, Msg: "negative dimension"}
		}
		r.dims[i] = ArrayDimension{Length: l, LowerBound: lb}
		n *= int64(l)
		// Every element takes at least its 4-byte length: a count beyond
		// that is a lie, refused before anything is allocated for it.
		if n > int64(len(src))/4 {
			return r, &DecodeError{PGType: name, Msg: "more elements than bytes"}
		}
	}
	r.n = int(n)
	r.body = p[8*r.ndim:]
	return r, nil
}

// next returns the next element's bytes, nil for NULL.
func (r *arrayReader) next(name string) ([]byte, error) {
	if r.i >= r.n {
		return nil, &DecodeError{PGType: name, Msg: "too few elements"}
	}
	r.i++
	if r.format == TextFormat {
		return r.text[r.i-1], nil
	}
	if len(r.body) < 4 {
		return nil, &DecodeError{PGType: name, Msg: "truncated element"}
	}
	l := int32(binary.BigEndian.Uint32(r.body))
	r.body = r.body[4:]
	if l == -1 {
		return nil, nil
	}
	if l < 0 || int(l) > len(r.body) {
		return nil, &DecodeError{PGType: name, Msg: "bad element length"}
	}
	e := r.body[:l:l]
	r.body = r.body[l:]
	return e, nil
}

// done checks that the value held exactly the announced elements.
func (r *arrayReader) done(name string) error {
	if r.format == BinaryFormat && len(r.body) != 0 {
		return &DecodeError{PGType: name, Msg: "trailing bytes after the elements"}
	}
	return nil
}

// NewArrayType builds the array type oid (named name, e.g. "_int4") of
// elem. It is read and written in the binary format when elem is, else in
// the text format with elem's delimiter.
func NewArrayType(oid uint32, name string, elem *Type) *Type {
	t := &Type{OID: oid, Name: name, Kind: KindArray, Elem: elem, Delim: ','}
	// The label only appears in errors, but is passed down on every call:
	// built once, so a scan does not allocate it each time.
	label := sync.OnceValue(func() string { return t.displayName() })
	t.Text = &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return encodeArrayText(dst, elem, v, label()) },
		Decode: func(src []byte) (any, error) {
			r, err := parseArrayText(src, elem.delim(), label())
			if err != nil {
				return nil, err
			}
			return decodeArray(&r, elem, label())
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if !isArrayDest(dst) && !isCharBytes(elem, dst) {
				return false, nil
			}
			r, err := parseArrayText(src, elem.delim(), label())
			if err != nil {
				return true, err
			}
			return true, scanArray(&r, elem, dst, label())
		},
	}
	if elem.HasBinary() {
		t.Binary = &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) { return encodeArrayBinary(dst, elem, v, label()) },
			Decode: func(src []byte) (any, error) {
				r, err := readArrayHeader(src, label())
				if err != nil {
					return nil, err
				}
				return decodeArray(&r, elem, label())
			},
			Scan: func(src []byte, dst any) (bool, error) {
				if !isArrayDest(dst) && !isCharBytes(elem, dst) {
					return false, nil
				}
				r, err := readArrayHeader(src, label())
				if err != nil {
					return true, err
				}
				return true, scanArray(&r, elem, dst, label())
			},
		}
	}
	return t
}

// decodeArray builds the default Go value: []any, nested per dimension,
// nil for NULL elements; or, when a dimension does not start at 1
// ('[0:1]={7,8}'), an Array[any], which keeps the bounds that nested
// slices would lose.
func decodeArray(r *arrayReader, elem *Type, name string) (any, error) {
	if r.ndim == 0 {
		return []any{}, nil
	}
	for _, d := range r.dims[:r.ndim] {
		if d.LowerBound != 1 {
			return decodeArrayBounds(r, elem, name)
		}
	}
	var build func(dim int) (any, error)
	build = func(dim int) (any, error) {
		out := make([]any, r.dims[dim].Length)
		for i := range out {
			if dim+1 < r.ndim {
				v, err := build(dim + 1)
				if err != nil {
					return nil, err
				}
				out[i] = v
				continue
			}
			b, err := r.next(name)
			if err != nil {
				return nil, err
			}
			v, err := DecodeValue(elem, r.format, b)
			if err != nil {
				return nil, elemError(r.i-1, err)
			}
			out[i] = v
		}
		return out, nil
	}
	v, err := build(0)
	if err != nil {
		return nil, err
	}
	return v, r.done(name)
}

// decodeArrayBounds decodes an array whose bounds are not all 1 as an
// Array[any].
func decodeArrayBounds(r *arrayReader, elem *Type, name string) (any, error) {
	a := Array[any]{Dims: append([]ArrayDimension(nil), r.dims[:r.ndim]...), Elements: make([]any, r.n)}
	for i := range a.Elements {
		b, err := r.next(name)
		if err != nil {
			return nil, err
		}
		if a.Elements[i], err = DecodeValue(elem, r.format, b); err != nil {
			return nil, elemError(i, err)
		}
	}
	return a, r.done(name)
}

func elemError(i int, err error) error {
	return fmt.Errorf("array element %d: %w", i+1, err)
}

// isArrayDest reports whether dst is something the array codec fills: a
// pointer to a slice, a Go array or an Array[T]. Others (*any, scanners,
// Null[T]) are left to ScanValue.
func isArrayDest(dst any) bool {
	switch dst.(type) {
	case *[]int32, *[]int64, *[]string, *[]float64, *[]int16, *[]int, *[]uint32, *[]float32, *[]bool:
		return true
	case arrayTarget:
		return true
	case nullable:
		return false
	}
	t := reflect.TypeOf(dst)
	if t == nil || t.Kind() != reflect.Pointer {
		return false
	}
	k := t.Elem().Kind()
	if k != reflect.Slice && k != reflect.Array {
		return false
	}
	// A []byte destination for an array would be the raw value, not the
	// elements; ScanValue's fallbacks report it.
	return t.Elem().Elem().Kind() != reflect.Uint8
}

// isCharBytes reports a []byte destination for an array of "char" (the
// catalogs' proargmodes and friends): one byte per element.
func isCharBytes(elem *Type, dst any) bool {
	_, ok := dst.(*[]byte)
	return ok && elem.OID == CharOID
}

// scanArray fills dst with the array's elements.
func scanArray(r *arrayReader, elem *Type, dst any, name string) error {
	if in := inlineOf(elem); in != nil && scanInline(r, in, dst) {
		return nil
	}
	switch d := dst.(type) {
	case *[]int32:
		return scanFlat(r, elem, d, name)
	case *[]int64:
		return scanFlat(r, elem, d, name)
	case *[]string:
		return scanFlat(r, elem, d, name)
	case *[]float64:
		return scanFlat(r, elem, d, name)
	case *[]int16:
		return scanFlat(r, elem, d, name)
	case *[]int:
		return scanFlat(r, elem, d, name)
	case *[]uint32:
		return scanFlat(r, elem, d, name)
	case *[]float32:
		return scanFlat(r, elem, d, name)
	case *[]bool:
		return scanFlat(r, elem, d, name)
	case arrayTarget:
		// A copy: handing r.dims itself to an interface method would move
		// r, and so every array scan, to the heap.
		dims := r.dims
		d.setShape(dims[:r.ndim], r.n)
		for i := 0; i < r.n; i++ {
			b, err := r.next(name)
			if err != nil {
				return err
			}
			if err := ScanValue(elem, r.format, b, d.elemPtr(i)); err != nil {
				return elemError(i, err)
			}
		}
		return r.done(name)
	}
	return scanNested(r, elem, reflect.ValueOf(dst).Elem(), name)
}

// scanFlat is the allocation-lean path for one-dimensional slices of the
// common element types: the element codec's Scan writes straight into the
// slice.
func scanFlat[T any](r *arrayReader, elem *Type, d *[]T, name string) error {
	if r.ndim > 1 {
		return dimsError(r.ndim, 1, typeName(d)[1:])
	}
	s := make([]T, r.n)
	for i := range s {
		b, err := r.next(name)
		if err != nil {
			return err
		}
		if err := ScanValue(elem, r.format, b, &s[i]); err != nil {
			return elemError(i, err)
		}
	}
	if err := r.done(name); err != nil {
		return err
	}
	*d = s
	return nil
}

func dimsError(have, want int, goType string) error {
	return fmt.Errorf("cannot scan a %d-dimensional array into %s (%d dimension(s)); use a slice nested %d deep or pg.Array", have, goType, want, have)
}

// scanNested fills v, a slice or Go array nested at least r.ndim deep.
func scanNested(r *arrayReader, elem *Type, v reflect.Value, name string) error {
	if r.ndim == 0 {
		if v.Kind() == reflect.Slice {
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			return nil
		}
		if v.Len() != 0 {
			return fmt.Errorf("cannot scan an empty array into %s", v.Type())
		}
		return nil
	}
	// Check the shape before allocating anything.
	t := v.Type()
	for d := 0; d < r.ndim; d++ {
		if t.Kind() != reflect.Slice && t.Kind() != reflect.Array {
			return dimsError(r.ndim, d, v.Type().String())
		}
		if t.Kind() == reflect.Array && t.Len() != int(r.dims[d].Length) {
			return fmt.Errorf("cannot scan an array of length %d into %s", r.dims[d].Length, t)
		}
		t = t.Elem()
	}
	idx := 0
	var fill func(v reflect.Value, dim int) error
	fill = func(v reflect.Value, dim int) error {
		n := int(r.dims[dim].Length)
		if v.Kind() == reflect.Slice {
			v.Set(reflect.MakeSlice(v.Type(), n, n))
		}
		for i := 0; i < n; i++ {
			e := v.Index(i)
			if dim+1 < r.ndim {
				if err := fill(e, dim+1); err != nil {
					return err
				}
				continue
			}
			b, err := r.next(name)
			if err != nil {
				return err
			}
			if err := ScanValue(elem, r.format, b, e.Addr().Interface()); err != nil {
				return elemError(idx, err)
			}
			idx++
		}
		return nil
	}
	if err := fill(v, 0); err != nil {
		return err
	}
	return r.done(name)
}

// arrayShape works out the dimensions of a Go value to be sent as an array
// of elem, and lists its elements in row-major order.
type arrayShape struct {
	ndim  int
	dims  [maxArrayDims]ArrayDimension
	elems []any
}

// isScalarFor reports whether a Go value of type t is one element of an
// array of elem rather than a further dimension.
func isScalarFor(t reflect.Type, elem *Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
	default:
		return true
	}
	if t.Elem().Kind() == reflect.Uint8 {
		return true // []byte, [16]byte, net.HardwareAddr ...: one value
	}
	if elem != nil && elem.Kind == KindMultirange && t.Kind() == reflect.Slice && t != anySliceType {
		return true // a multirange is a slice of ranges ([]any: isScalarValue)
	}
	if elem != nil && elem.Kind == KindArray && t != anySliceType {
		// Only int2vector and oidvector are arrays with an array element
		// type: in their arrays a slice of numbers is one vector ([]any
		// is told by its values: isScalarValue).
		k := t.Elem().Kind()
		return k != reflect.Slice && k != reflect.Array && k != reflect.Interface
	}
	if t == anySliceType && isCompositeType(elem) {
		// A composite takes its attribute values as a []any, so in an
		// array of composites a []any is one element, as '{"(,,5)"}' is to
		// the server; give more dimensions with pg.Array or typed slices.
		return true
	}
	return false
}

var anySliceType = reflect.TypeFor[[]any]()

// isScalarValue is isScalarFor for a value: a []any in an array of
// vectors or of multiranges is one element when none of its values is a
// slice or nil (neither holds a NULL, so a nil makes it a row of them).
func isScalarValue(v reflect.Value, elem *Type) bool {
	if elem == nil || elem.Kind != KindArray && elem.Kind != KindMultirange || v.Type() != anySliceType {
		return isScalarFor(v.Type(), elem)
	}
	for i := 0; i < v.Len(); i++ {
		e := v.Index(i)
		if e.IsNil() {
			return false
		}
		for e.Kind() == reflect.Interface {
			e = e.Elem()
		}
		if (e.Kind() == reflect.Slice || e.Kind() == reflect.Array) && e.Type().Elem().Kind() != reflect.Uint8 {
			return false
		}
	}
	return true
}

// isCompositeType reports whether t is a composite type or a domain over
// one.
func isCompositeType(t *Type) bool {
	for i := 0; t != nil && i < 16; i++ {
		switch t.Kind {
		case KindComposite:
			return true
		case KindDomain:
			t = t.Elem
			continue
		}
		return false
	}
	return false
}

func shapeOf(v any, elem *Type, name string) (*arrayShape, error) {
	sh := &arrayShape{}
	if src, ok := v.(arraySource); ok {
		dims, n := src.shape()
		if len(dims) > maxArrayDims {
			return nil, fmt.Errorf("cannot encode a %d-dimensional array as %s: at most %d dimensions", len(dims), name, maxArrayDims)
		}
		total := 1
		if len(dims) == 0 {
			total = 0
			if n > 0 {
				// Elements without dims: one dimension from 1.
				dims = []ArrayDimension{{Length: int32(n), LowerBound: 1}}
				total = n
			}
		} else {
			for _, d := range dims {
				total *= int(d.Length)
			}
		}
		if total != n {
			return nil, fmt.Errorf("cannot encode pg.Array as %s: its dimensions hold %d elements but it has %d", name, total, n)
		}
		sh.ndim = len(dims)
		copy(sh.dims[:], dims)
		sh.elems = make([]any, n)
		for i := range sh.elems {
			sh.elems[i] = src.elem(i)
		}
		return sh, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array || isScalarFor(rv.Type(), nil) {
		return nil, unsupportedEncode(v, name, "use a slice, a Go array or pg.Array")
	}
	// Dimensions from the first element at each level; every other
	// sub-slice must match (no ragged arrays).
	cur := rv
	for {
		if sh.ndim == maxArrayDims {
			return nil, fmt.Errorf("cannot encode %s as %s: more than %d dimensions", typeName(v), name, maxArrayDims)
		}
		sh.dims[sh.ndim] = ArrayDimension{Length: int32(cur.Len()), LowerBound: 1}
		sh.ndim++
		if cur.Len() == 0 {
			if sh.ndim > 1 {
				return nil, fmt.Errorf("cannot encode %s as %s: an empty sub-array makes it ragged", typeName(v), name)
			}
			sh.ndim = 0 // '{}'
			return sh, nil
		}
		first := cur.Index(0)
		for first.Kind() == reflect.Interface && !first.IsNil() {
			first = first.Elem()
		}
		if first.Kind() == reflect.Interface || isScalarValue(first, elem) {
			break
		}
		cur = first
	}
	n := 1
	for i := 0; i < sh.ndim; i++ {
		n *= int(sh.dims[i].Length)
	}
	if n > math.MaxInt32 {
		return nil, fmt.Errorf("cannot encode %s as %s: too many elements", typeName(v), name)
	}
	sh.elems = make([]any, 0, n)
	var walk func(v reflect.Value, dim int) error
	walk = func(v reflect.Value, dim int) error {
		for v.Kind() == reflect.Interface && !v.IsNil() {
			v = v.Elem()
		}
		if dim == sh.ndim {
			sh.elems = append(sh.elems, v.Interface())
			return nil
		}
		if (v.Kind() != reflect.Slice && v.Kind() != reflect.Array) || isScalarValue(v, elem) && dim > 0 {
			return fmt.Errorf("cannot encode %s as %s: ragged array (an element at depth %d is not a sub-array)", typeName(v.Interface()), name, dim+1)
		}
		if v.Len() != int(sh.dims[dim].Length) {
			return fmt.Errorf("cannot encode %s as %s: ragged array (a sub-array at depth %d has %d elements, the first has %d)", typeName(rv.Interface()), name, dim+1, v.Len(), sh.dims[dim].Length)
		}
		for i := 0; i < v.Len(); i++ {
			if err := walk(v.Index(i), dim+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(rv, 0); err != nil {
		return nil, err
	}
	return sh, nil
}

// encodeArrayBinary appends v as an array of elem in the binary format.
func encodeArrayBinary(dst []byte, elem *Type, v any, name string) ([]byte, error) {
	sh, err := shapeOf(v, elem, name)
	if err != nil {
		return dst, err
	}
	return appendArrayBinary(dst, elem, sh)
}

// appendArrayBinary appends an array of elem of shape sh in the binary
// format.
func appendArrayBinary(dst []byte, elem *Type, sh *arrayShape) ([]byte, error) {
	mark := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, uint32(sh.ndim))
	flagsAt := len(dst)
	dst = binary.BigEndian.AppendUint32(dst, 0)
	dst = binary.BigEndian.AppendUint32(dst, elem.OID)
	for i := 0; i < sh.ndim; i++ {
		dst = binary.BigEndian.AppendUint32(dst, uint32(sh.dims[i].Length))
		dst = binary.BigEndian.AppendUint32(dst, uint32(sh.dims[i].LowerBound))
	}
	for i, e := range sh.elems {
		e, null, err := unwrapElem(e)
		if err != nil {
			return dst[:mark], elemError(i, err)
		}
		if null {
			binary.BigEndian.PutUint32(dst[flagsAt:], 1)
			dst = binary.BigEndian.AppendUint32(dst, math.MaxUint32)
			continue
		}
		lenAt := len(dst)
		dst = append(dst, 0, 0, 0, 0)
		dst, err = elem.Binary.Encode(dst, e)
		if err != nil {
			if _, unsupported := err.(*UnsupportedTypeError); unsupported {
				return dst[:mark], err // EncodeValue retries as text
			}
			return dst[:mark], elemError(i, err)
		}
		binary.BigEndian.PutUint32(dst[lenAt:], uint32(len(dst)-lenAt-4))
	}
	return dst, nil
}
