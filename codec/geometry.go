package codec

import (
	"encoding/binary"
	"math"
	"strconv"
)

// Geometric types. Their binary forms are float8s in a fixed order; their
// String methods print PostgreSQL's text forms.

// Point is point: (X,Y).
type Point struct{ X, Y float64 }

// Line is line: the infinite line Ax + By + C = 0, text {A,B,C}.
type Line struct{ A, B, C float64 }

// LSeg is lseg: the segment between two points, text [(x1,y1),(x2,y2)].
type LSeg struct{ P [2]Point }

// Box is box: two opposite corners, text (x1,y1),(x2,y2). The server
// stores the upper right corner first.
type Box struct{ P [2]Point }

// Path is path: open ([...]) or closed ((...)).
type Path struct {
	P      []Point
	Closed bool
}

// Polygon is polygon: a closed figure, text ((x1,y1),...).
type Polygon struct{ P []Point }

// Circle is circle: centre and radius, text <(x,y),r>.
type Circle struct {
	P Point
	R float64
}

func appendF(dst []byte, f float64) []byte { return appendFloatText(dst, f, 64) }

func (p Point) appendText(dst []byte) []byte {
	dst = append(dst, '(')
	dst = appendF(dst, p.X)
	dst = append(dst, ',')
	dst = appendF(dst, p.Y)
	return append(dst, ')')
}

func appendPoints(dst []byte, ps []Point) []byte {
	for i, p := range ps {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = p.appendText(dst)
	}
	return dst
}

// String renders (x,y).
func (p Point) String() string { return string(p.appendText(nil)) }

// String renders {A,B,C}.
func (l Line) String() string {
	b := append(appendF([]byte{'{'}, l.A), ',')
	b = append(appendF(b, l.B), ',')
	return string(append(appendF(b, l.C), '}'))
}

// String renders [(x1,y1),(x2,y2)].
func (l LSeg) String() string {
	return string(append(appendPoints([]byte{'['}, l.P[:]), ']'))
}

// String renders (x1,y1),(x2,y2).
func (b Box) String() string { return string(appendPoints(nil, b.P[:])) }

// String renders ((...)) when closed and [(...)] when open.
func (p Path) String() string {
	open, close := byte('['), byte(']')
	if p.Closed {
		open, close = '(', ')'
	}
	return string(append(appendPoints([]byte{open}, p.P), close))
}

// String renders ((x1,y1),...).
func (p Polygon) String() string { return string(append(appendPoints([]byte{'('}, p.P), ')')) }

// String renders <(x,y),r>.
func (c Circle) String() string {
	b := append(c.P.appendText([]byte{'<'}), ',')
	return string(append(appendF(b, c.R), '>'))
}

func (Point) pgValue()   {}
func (Line) pgValue()    {}
func (LSeg) pgValue()    {}
func (Box) pgValue()     {}
func (Path) pgValue()    {}
func (Polygon) pgValue() {}
func (Circle) pgValue()  {}

func appendFloats(dst []byte, fs ...float64) []byte {
	for _, f := range fs {
		dst = binary.BigEndian.AppendUint64(dst, math.Float64bits(f))
	}
	return dst
}

func readFloats(src []byte, out []float64) {
	for i := range out {
		out[i] = math.Float64frombits(binary.BigEndian.Uint64(src[8*i:]))
	}
}

// fixedGeometry builds a type of n float8s converted by to/from.
func fixedGeometry[T any](oid uint32, name string, n int, to func(T) []float64, from func([]float64) T) *Type {
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				x, ok := v.(T)
				if !ok {
					var zero T
					return dst, unsupportedEncode(v, name, "use "+typeName(zero))
				}
				return appendFloats(dst, to(x)...), nil
			},
			Decode: func(src []byte) (any, error) {
				if len(src) != 8*n {
					return nil, badLength(name, 8*n, len(src))
				}
				var buf [4]float64
				readFloats(src, buf[:n])
				return from(buf[:n]), nil
			},
			Scan: func(src []byte, dst any) (bool, error) {
				d, ok := dst.(*T)
				if !ok {
					return false, nil
				}
				if len(src) != 8*n {
					return true, badLength(name, 8*n, len(src))
				}
				var buf [4]float64
				readFloats(src, buf[:n])
				*d = from(buf[:n])
				return true, nil
			},
		},
	}
}

var (
	pointType = fixedGeometry(PointOID, "point", 2,
		func(p Point) []float64 { return []float64{p.X, p.Y} },
		func(f []float64) Point { return Point{f[0], f[1]} })
	lineType = fixedGeometry(LineOID, "line", 3,
		func(l Line) []float64 { return []float64{l.A, l.B, l.C} },
		func(f []float64) Line { return Line{f[0], f[1], f[2]} })
	lsegType = fixedGeometry(LSegOID, "lseg", 4,
		func(l LSeg) []float64 { return []float64{l.P[0].X, l.P[0].Y, l.P[1].X, l.P[1].Y} },
		func(f []float64) LSeg { return LSeg{[2]Point{{f[0], f[1]}, {f[2], f[3]}}} })
	boxType = fixedGeometry(BoxOID, "box", 4,
		func(b Box) []float64 { return []float64{b.P[0].X, b.P[0].Y, b.P[1].X, b.P[1].Y} },
		func(f []float64) Box { return Box{[2]Point{{f[0], f[1]}, {f[2], f[3]}}} })
	circleType = fixedGeometry(CircleOID, "circle", 3,
		func(c Circle) []float64 { return []float64{c.P.X, c.P.Y, c.R} },
		func(f []float64) Circle { return Circle{Point{f[0], f[1]}, f[2]} })
)

func init() {
	boxType.Delim = ';' // box's text form has commas of its own
}

// decodePoints reads an int32 count and that many points.
func decodePoints(src []byte, name string) ([]Point, error) {
	if len(src) < 4 {
		return nil, badLength(name, 4, len(src))
	}
	n := binary.BigEndian.Uint32(src)
	if uint64(len(src)-4) != 16*uint64(n) {
		return nil, &DecodeError{PGType: name, Msg: "point count and length disagree"}
	}
	ps := make([]Point, n)
	for i := range ps {
		off := 4 + 16*i
		ps[i] = Point{
			math.Float64frombits(binary.BigEndian.Uint64(src[off:])),
			math.Float64frombits(binary.BigEndian.Uint64(src[off+8:])),
		}
	}
	return ps, nil
}

func appendPointList(dst []byte, ps []Point, name string) ([]byte, error) {
	if len(ps) > math.MaxInt32/16 {
		return dst, &RangeError{Value: strconv.Itoa(len(ps)) + " points", PGType: name}
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(ps)))
	for _, p := range ps {
		dst = appendFloats(dst, p.X, p.Y)
	}
	return dst, nil
}

var pathType = &Type{
	OID:  PathOID,
	Name: "path",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			p, ok := v.(Path)
			if !ok {
				return dst, unsupportedEncode(v, "path", "use pg.Path")
			}
			return appendPointList(append(dst, boolByte(p.Closed)), p.P, "path")
		},
		Decode: func(src []byte) (any, error) {
			if len(src) < 1 {
				return nil, badLength("path", 5, len(src))
			}
			ps, err := decodePoints(src[1:], "path")
			if err != nil {
				return nil, err
			}
			return Path{P: ps, Closed: src[0] != 0}, nil
		},
	},
}

var polygonType = &Type{
	OID:  PolygonOID,
	Name: "polygon",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			p, ok := v.(Polygon)
			if !ok {
				return dst, unsupportedEncode(v, "polygon", "use pg.Polygon")
			}
			return appendPointList(dst, p.P, "polygon")
		},
		Decode: func(src []byte) (any, error) {
			ps, err := decodePoints(src, "polygon")
			if err != nil {
				return nil, err
			}
			return Polygon{P: ps}, nil
		},
	},
}
