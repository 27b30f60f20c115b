package codec

import (
	"bytes"
	"fmt"
	"strconv"
)

// parseArrayText parses an array's text form (array_out): optional bounds
// ("[0:1]="), nested braces, elements separated by delim, double-quoted
// elements with backslash escapes, and unquoted NULL for NULL.
func parseArrayText(src []byte, delim byte, name string) (arrayReader, error) {
	r := arrayReader{format: TextFormat}
	p := arrayTextParser{src: src, delim: delim, name: name, r: &r}
	var explicit []ArrayDimension
	p.skipSpace()
	for p.peek() == '[' {
		d, err := p.bounds()
		if err != nil {
			return r, err
		}
		explicit = append(explicit, d)
	}
	if explicit != nil {
		if p.peek() != '=' {
			return r, p.fail("expected = after the dimensions")
		}
		p.pos++
		p.skipSpace()
	}
	if err := p.level(0); err != nil {
		return r, err
	}
	p.skipSpace()
	if p.pos != len(src) {
		return r, p.fail("junk after the closing brace")
	}
	if explicit != nil {
		if len(explicit) != r.ndim {
			return r, p.fail("dimension decoration does not match the braces")
		}
		for i, d := range explicit {
			if d.Length != r.dims[i].Length {
				return r, p.fail("dimension decoration does not match the element count")
			}
			r.dims[i].LowerBound = d.LowerBound
		}
	}
	r.n = len(r.text)
	return r, nil
}

type arrayTextParser struct {
	src   []byte
	pos   int
	delim byte
	name  string
	r     *arrayReader
	// seen marks the dimensions whose length is fixed by a first
	// complete sub-array.
	seen [maxArrayDims]bool
}

func (p *arrayTextParser) fail(msg string) error {
	return &DecodeError{PGType: p.name, Msg: fmt.Sprintf("%s at byte %d", msg, p.pos)}
}

func (p *arrayTextParser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

func isArraySpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (p *arrayTextParser) skipSpace() {
	for p.pos < len(p.src) && isArraySpace(p.src[p.pos]) {
		p.pos++
	}
}

// bounds reads "[lb:ub]" or "[ub]".
func (p *arrayTextParser) bounds() (ArrayDimension, error) {
	end := bytes.IndexByte(p.src[p.pos:], ']')
	if end < 0 {
		return ArrayDimension{}, p.fail("unterminated dimension")
	}
	spec := string(p.src[p.pos+1 : p.pos+end])
	p.pos += end + 1
	lb, ub := "1", spec
	if i := bytes.IndexByte([]byte(spec), ':'); i >= 0 {
		lb, ub = spec[:i], spec[i+1:]
	}
	l, err1 := strconv.ParseInt(lb, 10, 32)
	u, err2 := strconv.ParseInt(ub, 10, 32)
	if err1 != nil || err2 != nil || u < l-1 || u-l+1 > 1<<27 {
		return ArrayDimension{}, p.fail("bad dimension")
	}
	return ArrayDimension{Length: int32(u - l + 1), LowerBound: int32(l)}, nil
}

// level reads one brace-enclosed level at depth.
func (p *arrayTextParser) level(depth int) error {
	if depth >= maxArrayDims {
		return p.fail("too many dimensions")
	}
	if p.peek() != '{' {
		return p.fail("expected {")
	}
	p.pos++
	p.skipSpace()
	if p.peek() == '}' {
		p.pos++
		if depth == 0 {
			return nil // '{}': no dimensions
		}
		return p.fail("empty sub-array")
	}
	count := int32(0)
	for {
		p.skipSpace()
		if p.peek() == '{' {
			if p.r.ndim != 0 && depth+1 >= p.r.ndim {
				return p.fail("sub-array where an element was expected")
			}
			if err := p.level(depth + 1); err != nil {
				return err
			}
		} else {
			if p.r.ndim == 0 {
				p.r.ndim = depth + 1
			} else if depth+1 != p.r.ndim {
				return p.fail("element where a sub-array was expected")
			}
			e, err := p.element()
			if err != nil {
				return err
			}
			p.r.text = append(p.r.text, e)
		}
		count++
		p.skipSpace()
		switch p.peek() {
		case p.delim:
			p.pos++
			continue
		case '}':
			p.pos++
		default:
			return p.fail("expected a delimiter or }")
		}
		break
	}
	if !p.seen[depth] {
		p.seen[depth] = true
		p.r.dims[depth] = ArrayDimension{Length: count, LowerBound: 1}
	} else if p.r.dims[depth].Length != count {
		return p.fail("sub-arrays of different lengths")
	}
	return nil
}

// element reads one element; nil is NULL. Unescaped elements alias src.
func (p *arrayTextParser) element() ([]byte, error) {
	if p.peek() == '"' {
		p.pos++
		start := p.pos
		var out []byte // a copy, once an escape makes one necessary
		copied := false
		for p.pos < len(p.src) {
			c := p.src[p.pos]
			switch {
			case c == '"':
				p.pos++
				if !copied {
					return p.src[start : p.pos-1 : p.pos-1], nil
				}
				return out, nil
			case c == '\\':
				if !copied {
					out, copied = append([]byte{}, p.src[start:p.pos]...), true
				}
				p.pos++
				if p.pos >= len(p.src) {
					return nil, p.fail("unterminated escape")
				}
				out = append(out, p.src[p.pos])
			case copied:
				out = append(out, c)
			}
			p.pos++
		}
		return nil, p.fail("unterminated quoted element")
	}
	var out []byte
	escaped := false
	lastSignificant := 0 // length of out up to the last escaped or non-space byte
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == p.delim || c == '}' || c == '{' || c == '"' {
			break
		}
		if c == '\\' {
			p.pos++
			if p.pos >= len(p.src) {
				return nil, p.fail("unterminated escape")
			}
			out = append(out, p.src[p.pos])
			escaped = true
			lastSignificant = len(out)
			p.pos++
			continue
		}
		out = append(out, c)
		if !isArraySpace(c) {
			lastSignificant = len(out)
		}
		p.pos++
	}
	if c := p.peek(); c == '{' || c == '"' {
		return nil, p.fail("unexpected character in an unquoted element")
	}
	out = out[:lastSignificant]
	if len(out) == 0 {
		return nil, p.fail("empty unquoted element")
	}
	if !escaped && len(out) == 4 && bytes.EqualFold(out, []byte("NULL")) {
		return nil, nil
	}
	return out, nil
}

// encodeArrayText appends v as an array of elem in the text format.
func encodeArrayText(dst []byte, elem *Type, v any, name string) ([]byte, error) {
	sh, err := shapeOf(v, elem, name)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	if sh.ndim == 0 {
		return append(dst, '{', '}'), nil
	}
	custom := false
	for i := 0; i < sh.ndim; i++ {
		custom = custom || sh.dims[i].LowerBound != 1
	}
	if custom {
		for i := 0; i < sh.ndim; i++ {
			d := sh.dims[i]
			dst = append(dst, '[')
			dst = strconv.AppendInt(dst, int64(d.LowerBound), 10)
			dst = append(dst, ':')
			dst = strconv.AppendInt(dst, int64(d.LowerBound)+int64(d.Length)-1, 10)
			dst = append(dst, ']')
		}
		dst = append(dst, '=')
	}
	delim := elem.delim()
	idx := 0
	var scratch []byte
	var emit func(dim int) error
	emit = func(dim int) error {
		dst = append(dst, '{')
		for i := 0; i < int(sh.dims[dim].Length); i++ {
			if i > 0 {
				dst = append(dst, delim)
			}
			if dim+1 < sh.ndim {
				if err := emit(dim + 1); err != nil {
					return err
				}
				continue
			}
			e, null, err := unwrapElem(sh.elems[idx])
			if err != nil {
				return elemError(idx, err)
			}
			idx++
			if null {
				dst = append(dst, "NULL"...)
				continue
			}
			scratch, err = encodeElemText(scratch[:0], elem, e)
			if err != nil {
				return err
			}
			dst = appendQuotedElem(dst, scratch, delim)
		}
		dst = append(dst, '}')
		return nil
	}
	if err := emit(0); err != nil {
		return dst[:mark], err
	}
	return dst, nil
}

// encodeElemText appends the text form of v as a value of t: t's text
// codec when it has one, else a Go string as is.
func encodeElemText(dst []byte, t *Type, v any) ([]byte, error) {
	if t != nil && t.Text != nil && t.Text.Encode != nil {
		out, err := t.Text.Encode(dst, v)
		if err == nil {
			return out, nil
		}
		if _, unsupported := err.(*UnsupportedTypeError); !unsupported {
			return dst, err
		}
	}
	if s, ok := v.(string); ok {
		return append(dst, s...), nil
	}
	if s, ok := reflectString(v); ok {
		return append(dst, s...), nil
	}
	return dst, unsupportedEncode(v, typeLabel(t), "pass its text form as a Go string")
}

// appendQuotedElem writes an element, quoted when array_in would misread
// it bare.
func appendQuotedElem(dst, e []byte, delim byte) []byte {
	need := len(e) == 0 || bytes.EqualFold(e, []byte("NULL"))
	for _, c := range e {
		if c == '"' || c == '\\' || c == '{' || c == '}' || c == delim || isArraySpace(c) {
			need = true
			break
		}
	}
	if !need {
		return append(dst, e...)
	}
	dst = append(dst, '"')
	for _, c := range e {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}
