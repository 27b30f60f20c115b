package codec

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// newVectorType builds int2vector or oidvector (pg_index.indkey,
// pg_proc.proargtypes): an array of elem that the server takes only with
// one dimension, lower bound 0 and no NULL (int2vectorrecv, oidvectorrecv)
// and writes as text as its elements separated by spaces ("1 2 3",
// int2vectorout). A Go slice sent as one gets those bounds; values decode
// as arrays do.
func newVectorType(oid uint32, name string, elem *Type) *Type {
	t := NewArrayType(oid, name, elem)
	t.Binary.Encode = func(dst []byte, v any) ([]byte, error) {
		sh, err := vectorShape(v, elem, name)
		if err != nil {
			return dst, err
		}
		if len(sh.elems) == 0 {
			// int2vectorrecv refuses the empty vector's own binary form
			// (array_recv gives it no dimension); its text '' goes.
			return dst, unsupportedEncode(v, name+" (empty) in binary", "it is sent as text; binary COPY cannot load it")
		}
		return appendArrayBinary(dst, elem, sh)
	}
	// A vector's bounds are the type's (from 0): its values decode as
	// slices, not as the Array[any] an array from 0 would.
	arrayDecode := t.Binary.Decode
	t.Binary.Decode = func(src []byte) (any, error) { return vectorElems(arrayDecode(src)) }
	array, bin := *t.Text, *t.Binary
	// The empty vector is one dimension of length 0 from 0 in the binary
	// form; there is no array literal of it, so its text reads as that.
	empty := binary.BigEndian.AppendUint32(nil, 1)
	empty = binary.BigEndian.AppendUint32(empty, 0)
	empty = binary.BigEndian.AppendUint32(empty, elem.OID)
	empty = binary.BigEndian.AppendUint64(empty, 0) // length 0, lower bound 0
	t.Text = &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			sh, err := vectorShape(v, elem, name)
			if err != nil {
				return dst, err
			}
			mark := len(dst)
			for i, e := range sh.elems {
				if i > 0 {
					dst = append(dst, ' ')
				}
				if dst, err = encodeElemText(dst, elem, e); err != nil {
					return dst[:mark], elemError(i, err)
				}
			}
			return dst, nil
		},
		Decode: func(src []byte) (any, error) {
			if len(strings.Fields(string(src))) == 0 {
				return bin.Decode(empty)
			}
			return vectorElems(array.Decode(vectorArrayText(src)))
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if len(strings.Fields(string(src))) == 0 {
				return bin.Scan(empty, dst)
			}
			return array.Scan(vectorArrayText(src), dst)
		},
	}
	return t
}

// vectorShape is v's shape as a vector: one dimension from 0, no NULL.
func vectorShape(v any, elem *Type, name string) (*arrayShape, error) {
	sh, err := shapeOf(v, elem, name)
	if err != nil {
		return nil, err
	}
	if sh.ndim > 1 {
		return nil, fmt.Errorf("cannot encode a %d-dimensional array as %s: it has one dimension", sh.ndim, name)
	}
	for i, e := range sh.elems {
		if _, null, err := unwrapElem(e); err != nil || null {
			return nil, elemError(i, fmt.Errorf("%s cannot hold NULL", name))
		}
	}
	sh.ndim = 1
	sh.dims[0] = ArrayDimension{Length: int32(len(sh.elems)), LowerBound: 0}
	return sh, nil
}

// vectorArrayText turns a vector's text ("1 2 3", not empty) into the
// array literal of the same elements with its bounds ("[0:2]={1,2,3}").
func vectorArrayText(src []byte) []byte {
	f := strings.Fields(string(src))
	return fmt.Appendf(nil, "[0:%d]={%s}", len(f)-1, strings.Join(f, ","))
}

// vectorElems is a decoded vector's elements as a []any.
func vectorElems(v any, err error) (any, error) {
	if a, ok := v.(Array[any]); ok {
		return a.Elements, err
	}
	return v, err
}
