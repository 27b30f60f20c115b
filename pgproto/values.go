package pgproto

// Helpers for the format-code and value lists shared by Bind and
// FunctionCall.

func appendFormatCodes(dst []byte, codes []int16) []byte {
	dst = AppendUint16(dst, uint16(len(codes)))
	for _, c := range codes {
		dst = AppendInt16(dst, c)
	}
	return dst
}

func appendValues(dst []byte, values [][]byte) []byte {
	dst = AppendUint16(dst, uint16(len(values)))
	for _, v := range values {
		dst = AppendValue(dst, v)
	}
	return dst
}

// decodeFormatCodes reads an Int16 count and that many Int16 format codes
// into codes[:0], reusing its capacity.
func decodeFormatCodes(d *decoder, codes []int16, what string) []int16 {
	n := d.count(what, 2)
	codes = codes[:0]
	for range n {
		codes = append(codes, d.int16(what))
	}
	return codes
}

// decodeValues reads an Int16 count and that many length-prefixed values
// into values[:0], reusing its capacity. Values alias the decoder's body.
func decodeValues(d *decoder, values [][]byte, what string) [][]byte {
	n := d.count(what, 4)
	values = values[:0]
	for range n {
		values = append(values, d.value(what))
	}
	return values
}
