package codec

import "bytes"

// parseCompositeText parses a composite's text form (record_out):
// "(f1,f2,...)", an empty field being NULL, double quotes around values
// with special characters, "" and backslash escapes inside them.
// Whitespace is part of the values.
func parseCompositeText(src []byte, name string) (compositeReader, error) {
	r := compositeReader{format: TextFormat}
	bad := func(msg string) (compositeReader, error) {
		return r, &DecodeError{PGType: name, Msg: msg}
	}
	if len(src) < 2 || src[0] != '(' || src[len(src)-1] != ')' {
		return bad("not in parentheses")
	}
	body := src[1 : len(src)-1]
	if len(body) == 0 {
		// "()" is a composite of one NULL field, or of none; the field
		// count check decides.
		r.text = [][]byte{nil}
		r.n = 1
		return r, nil
	}
	i := 0
	for {
		// One field: up to an unquoted comma or the end.
		if i == len(body) || body[i] == ',' {
			r.text = append(r.text, nil) // NULL
		} else {
			var out []byte
			quoted := false
			for i < len(body) {
				c := body[i]
				switch {
				case c == '\\':
					if i+1 >= len(body) {
						return bad("unterminated escape")
					}
					out = append(out, body[i+1])
					i += 2
					continue
				case c == '"' && quoted && i+1 < len(body) && body[i+1] == '"':
					out = append(out, '"')
					i += 2
					continue
				case c == '"':
					quoted = !quoted
					if out == nil {
						out = []byte{}
					}
					i++
					continue
				case c == ',' && !quoted:
				default:
					out = append(out, c)
					i++
					continue
				}
				break
			}
			if quoted {
				return bad("unterminated quotes")
			}
			r.text = append(r.text, out)
		}
		if i == len(body) {
			break
		}
		i++ // the comma
	}
	r.n = len(r.text)
	return r, nil
}

// encodeCompositeText appends v in record_in's text form.
func encodeCompositeText(dst []byte, shape *compositeShape, v any) ([]byte, error) {
	vals, err := compositeValues(shape, v)
	if err != nil {
		return dst, err
	}
	mark := len(dst)
	dst = append(dst, '(')
	var scratch []byte
	for i, val := range vals {
		if i > 0 {
			dst = append(dst, ',')
		}
		val, null, err := unwrapElem(val)
		if err != nil {
			return dst[:mark], err
		}
		if null {
			continue
		}
		scratch, err = encodeElemText(scratch[:0], shape.fields[i].Type, val)
		if err != nil {
			return dst[:mark], err
		}
		dst = appendQuotedField(dst, scratch)
	}
	return append(dst, ')'), nil
}

// appendQuotedField quotes a field as record_out does: when empty or
// holding quotes, backslashes, parentheses, commas or spaces, doubling
// quotes and backslashes inside.
func appendQuotedField(dst, f []byte) []byte {
	need := len(f) == 0 || bytes.ContainsAny(f, "\"\\(),")
	for _, c := range f {
		if isArraySpace(c) {
			need = true
			break
		}
	}
	if !need {
		return append(dst, f...)
	}
	dst = append(dst, '"')
	for _, c := range f {
		if c == '"' || c == '\\' {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}
