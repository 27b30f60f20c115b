package codec

import (
	"fmt"
	"strconv"
)

// textType builds a string type (text, varchar, name, bpchar, xml,
// unknown). The binary and text formats of these types are the same bytes.
func textType(oid uint32, name string) *Type {
	encode := func(dst []byte, v any) ([]byte, error) {
		switch x := v.(type) {
		case string:
			return append(dst, x...), nil
		case []byte:
			return append(dst, x...), nil
		case []rune:
			return append(dst, string(x)...), nil
		}
		if s, ok := reflectString(v); ok {
			return append(dst, s...), nil
		}
		if s, ok := v.(fmt.Stringer); ok {
			return append(dst, s.String()...), nil
		}
		return dst, unsupportedEncode(v, name, "use a Go string")
	}
	return &Type{
		OID:    oid,
		Name:   name,
		Binary: markInline(&Codec{Format: BinaryFormat, Encode: encode, Decode: decodeString, Scan: scanString}, elemText, 0),
		Text:   &Codec{Format: TextFormat, Encode: encode, Decode: decodeString, Scan: scanString},
	}
}

func decodeString(src []byte) (any, error) {
	return string(src), nil
}

// scanString handles the destinations every textual value can fill.
func scanString(src []byte, dst any) (bool, error) {
	switch d := dst.(type) {
	case *string:
		*d = string(src)
		return true, nil
	case *[]byte:
		*d = copyBytes(*d, src)
		return true, nil
	}
	return false, nil
}

// textOnlyTypes are exchanged in the text format only and read as Go
// strings: their binary forms are internal (tsvector, tsquery), an OID
// rather than the name a caller wants (the reg* types), or missing
// (aclitem).
var textOnlyTypes = []struct {
	oid  uint32
	name string
}{
	{TSVectorOID, "tsvector"}, {TSQueryOID, "tsquery"},
	{RegprocOID, "regproc"}, {RegprocedureOID, "regprocedure"}, {RegoperOID, "regoper"},
	{RegoperatorOID, "regoperator"}, {RegclassOID, "regclass"}, {RegtypeOID, "regtype"},
	{RegconfigOID, "regconfig"}, {RegdictionaryOID, "regdictionary"},
	{RegnamespaceOID, "regnamespace"}, {RegroleOID, "regrole"}, {RegcollationOID, "regcollation"},
	{RefcursorOID, "refcursor"}, {AclitemOID, "aclitem"}, {PgNodeTreeOID, "pg_node_tree"},
	{CstringOID, "cstring"},
}

// newTextOnlyType builds a type read as a string in the text format. It
// also encodes Go integers as their decimal text, which the reg* types
// read as an OID.
func newTextOnlyType(oid uint32, name string) *Type {
	return &Type{OID: oid, Name: name, Text: &textOnlyCodec}
}

var textOnlyCodec = Codec{
	Format: TextFormat,
	Encode: func(dst []byte, v any) ([]byte, error) {
		if u, ok := v.(uint32); ok {
			return strconv.AppendUint(dst, uint64(u), 10), nil
		}
		if n, ok := reflectInt(v); ok {
			return strconv.AppendInt(dst, n, 10), nil
		}
		return genericTextCodec.Encode(dst, v)
	},
	Decode: decodeString,
	Scan:   scanString,
}

// unknownType is the type of untyped literals ('abc' with no cast).
var unknownType = textType(UnknownOID, "unknown")

// voidType is the result type of functions returning nothing: its value
// decodes as nil.
var voidType = &Type{
	OID:  VoidOID,
	Name: "void",
	Kind: KindPseudo,
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: func(dst []byte, v any) ([]byte, error) { return dst, nil },
		Decode: func(src []byte) (any, error) { return nil, nil },
	},
}

// charType is "char", the one-byte internal type (pg_type.typtype and
// friends); Go byte, or a Go string in the server's own text form: the
// byte itself, "" for the zero byte, and \ooo (three octal digits) for a
// byte of 0x80 or more (charout/charin in PostgreSQL's char.c). It
// decodes as that string ('b' for typtype, as asyncpg and psql show it),
// not as a number.
var charType = &Type{
	OID:  CharOID,
	Name: "char",
	Binary: &Codec{
		Format: BinaryFormat,
		Encode: encodeChar,
		Decode: func(src []byte) (any, error) {
			if len(src) > 1 {
				return nil, badLength(`"char"`, 1, len(src))
			}
			if len(src) == 0 {
				return charText(0), nil
			}
			return charText(src[0]), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			if len(src) > 1 {
				return true, badLength(`"char"`, 1, len(src))
			}
			var b byte
			if len(src) == 1 {
				b = src[0]
			}
			return scanChar(b, dst), nil
		},
	},
	Text: &Codec{
		Format: TextFormat,
		Encode: func(dst []byte, v any) ([]byte, error) {
			out, err := encodeChar(nil, v)
			if err != nil {
				return dst, err
			}
			return append(dst, charText(out[0])...), nil
		},
		Decode: func(src []byte) (any, error) {
			b, err := parseCharText(string(src))
			if err != nil {
				return nil, err
			}
			return charText(b), nil
		},
		Scan: func(src []byte, dst any) (bool, error) {
			b, err := parseCharText(string(src))
			if err != nil {
				return true, err
			}
			return scanChar(b, dst), nil
		},
	},
}

// scanChar stores a "char" byte in a *byte, or its text in a *string.
func scanChar(b byte, dst any) bool {
	switch d := dst.(type) {
	case *byte:
		*d = b
		return true
	case *string:
		*d = charText(b)
		return true
	}
	return false
}

// encodeChar appends the one byte of a "char" value.
func encodeChar(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case byte:
		return append(dst, x), nil
	case string:
		b, err := parseCharText(x)
		if err != nil {
			return dst, err
		}
		return append(dst, b), nil
	}
	n, err := toInt64(v, `"char"`)
	if err != nil {
		return dst, unsupportedEncode(v, `"char"`, "use a Go byte")
	}
	if n < 0 || n > 255 {
		return dst, &RangeError{Value: strconv.FormatInt(n, 10), PGType: `"char"`}
	}
	return append(dst, byte(n)), nil
}

// charText is the server's text form of a "char" byte (charout). An ASCII
// byte's text is a slice of asciiText: the catalogs' "char" columns
// (typtype, relkind ...) fill *string destinations without allocating.
func charText(b byte) string {
	switch {
	case b == 0:
		return ""
	case b < 0x80:
		return asciiText[b : b+1]
	}
	return string([]byte{'\\', '0' + b>>6, '0' + (b>>3)&7, '0' + b&7})
}

// asciiText holds every ASCII byte at its own index.
var asciiText = func() string {
	b := make([]byte, 0x80)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}()

// parseCharText reads a "char" from its text form as charin does: "" is
// the zero byte and \ooo an octal byte; any other text longer than one
// byte is refused (charin would keep the first byte and drop the rest).
func parseCharText(s string) (byte, error) {
	switch {
	case len(s) == 0:
		return 0, nil
	case len(s) == 1:
		return s[0], nil
	case len(s) == 4 && s[0] == '\\' && isOctal(s[1]) && s[1] <= '3' && isOctal(s[2]) && isOctal(s[3]):
		return (s[1]-'0')<<6 | (s[2]-'0')<<3 | (s[3] - '0'), nil
	}
	return 0, &RangeError{Value: strconv.Quote(s), PGType: `"char" (one byte)`}
}

// genericTextCodec reads any type in the text format as a string, and sends a
// Go string as is. It serves types the registry does not know.
var genericTextCodec = Codec{
	Format: TextFormat,
	Encode: func(dst []byte, v any) ([]byte, error) {
		switch x := v.(type) {
		case string:
			return append(dst, x...), nil
		case []byte:
			return append(dst, x...), nil
		}
		if s, ok := reflectString(v); ok {
			return append(dst, s...), nil
		}
		return dst, unsupportedEncode(v, "a type without a codec", "pass its text form as a Go string")
	},
	Decode: decodeString,
	Scan:   scanString,
}

// rawBinaryCodec reads a binary value of an unknown type as its raw bytes.
var rawBinaryCodec = Codec{
	Format: BinaryFormat,
	Encode: func(dst []byte, v any) ([]byte, error) {
		if b, ok := v.([]byte); ok {
			return append(dst, b...), nil
		}
		return dst, unsupportedEncode(v, "a binary type without a codec", "pass []byte")
	},
	Decode: func(src []byte) (any, error) {
		return append([]byte(nil), src...), nil
	},
	Scan: func(src []byte, dst any) (bool, error) {
		if d, ok := dst.(*[]byte); ok {
			*d = copyBytes(*d, src)
			return true, nil
		}
		return false, nil
	},
}

// copyBytes returns a fresh copy of src, never nil, so an empty value stays
// distinguishable from NULL. It does not reuse buf's storage: callers keep
// scanned slices across rows (appending them to a list is common), and
// reusing the storage would silently change values they already hold.
func copyBytes(_, src []byte) []byte {
	return append(make([]byte, 0, len(src)), src...)
}
