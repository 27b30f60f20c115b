package codec

import (
	"fmt"
	"strconv"
	"strings"
)

// Text codecs for the types whose values otherwise travel in binary only:
// the geometric types ("char"'s is in text.go, the snapshots' in
// snapshot.go). They serve text-format arrays and composites (a composite
// with a text-only attribute travels as text, and so do its other
// attributes), where a value would otherwise decode as a plain string.

func init() {
	pointType.Text = geometryText("point", 2, func(f []float64, _ bool) any { return Point{f[0], f[1]} })
	lineType.Text = geometryText("line", 3, func(f []float64, _ bool) any { return Line{f[0], f[1], f[2]} })
	lsegType.Text = geometryText("lseg", 4, func(f []float64, _ bool) any {
		return LSeg{[2]Point{{f[0], f[1]}, {f[2], f[3]}}}
	})
	boxType.Text = geometryText("box", 4, func(f []float64, _ bool) any {
		return Box{[2]Point{{f[0], f[1]}, {f[2], f[3]}}}
	})
	circleType.Text = geometryText("circle", 3, func(f []float64, _ bool) any { return Circle{Point{f[0], f[1]}, f[2]} })
	pathType.Text = geometryText("path", 0, func(f []float64, closed bool) any { return Path{P: pointsOf(f), Closed: closed} })
	polygonType.Text = geometryText("polygon", 0, func(f []float64, _ bool) any { return Polygon{P: pointsOf(f)} })
}

func pointsOf(f []float64) []Point {
	ps := make([]Point, len(f)/2)
	for i := range ps {
		ps[i] = Point{f[2*i], f[2*i+1]}
	}
	return ps
}

// geometryText builds a text codec from the numbers of the text form: the
// geometric outputs are numbers between brackets and commas, so the
// numbers in order, and whether the form opens with '(' (a closed path),
// determine the value. count is how many numbers the type has; 0 means a
// point list (an even number, at least one point).
func geometryText(name string, count int, build func(f []float64, closed bool) any) *Codec {
	decode := func(src []byte) (any, error) {
		s := strings.TrimSpace(string(src))
		var nums []float64
		for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
			return strings.ContainsRune("()[]{}<>, \t\n", r)
		}) {
			f, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				return nil, &DecodeError{PGType: name, Msg: fmt.Sprintf("bad number %q", tok)}
			}
			nums = append(nums, f)
		}
		if count > 0 && len(nums) != count || count == 0 && (len(nums) == 0 || len(nums)%2 != 0) {
			return nil, &DecodeError{PGType: name, Msg: fmt.Sprintf("%d numbers in %q", len(nums), s)}
		}
		return build(nums, strings.HasPrefix(s, "(")), nil
	}
	return &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			// This package's geometric types print their text forms.
			if s, ok := v.(fmt.Stringer); ok {
				if _, own := v.(ownValuer); own {
					return append(dst, s.String()...), nil
				}
			}
			return dst, unsupportedEncode(v, name, "use the pg type of the same name")
		},
		Decode: decode,
	}
}
