package codec

import "strings"

// Wire formats, as the protocol's format codes.
const (
	TextFormat   int16 = 0
	BinaryFormat int16 = 1
	// TupleFormat is not a wire format: a custom codec in this format (see
	// Codec.EncodeTuple) works with a composite type's attribute values
	// while the driver keeps the binary wire codec underneath, as asyncpg's
	// set_type_codec(format='tuple').
	TupleFormat int16 = 2
)

// Codec converts one PostgreSQL type in one wire format.
type Codec struct {
	// Format is the wire format Encode produces and Decode reads.
	Format int16
	// Encode appends the wire form of v to dst. v is never nil and never a
	// pointer or driver.Valuer: the caller unwraps those first. A Go type the
	// codec does not take returns an *UnsupportedTypeError.
	Encode func(dst []byte, v any) ([]byte, error)
	// Decode returns the type's default Go value for src. src is never nil
	// (NULL is handled by the caller) and is only valid during the call.
	Decode func(src []byte) (any, error)
	// Scan, optional, decodes src straight into dst (a non-nil pointer)
	// without boxing; it returns false when it does not handle dst's type,
	// and the caller falls back to Decode and Assign.
	Scan func(src []byte, dst any) (bool, error)

	// EncodeTuple and DecodeTuple serve Format TupleFormat only: they
	// convert between the caller's Go value and the composite type's
	// attribute values, in attribute order (nil is NULL). See
	// NewTupleType.
	EncodeTuple func(v any) ([]any, error)
	DecodeTuple func(fields []any) (any, error)

	// inline marks this package's own binary codecs of fixed-width
	// scalars and strings, whose elements an array scan into a plain Go
	// slice decodes in place (array_inline.go) instead of calling Scan
	// once per element. It points back at its codec, so a copy of the
	// struct given other functions (a custom codec made from a built-in
	// one) is not taken for the built-in.
	inline *inlineElem
}

// Kind says how a Type is built, after pg_type.typtype.
type Kind uint8

// Kinds of types.
const (
	KindBase       Kind = iota // a scalar type with its own codec
	KindArray                  // Elem is the element type
	KindComposite              // Fields are the attributes; anonymous records too
	KindEnum                   // exchanged as its label
	KindDomain                 // Elem is the base type; the wire format is the base's
	KindRange                  // Elem is the subtype
	KindMultirange             // Elem is the range type
	KindPseudo                 // void, unknown and friends
)

// Field is one attribute of a composite type.
type Field struct {
	Name string
	Type *Type
}

// Type describes one PostgreSQL type.
type Type struct {
	OID  uint32
	Name string // pg_type.typname
	// Schema is the type's namespace for types found by introspection or
	// registered by name; "" for the built-in types of pg_catalog.
	Schema string
	Kind   Kind
	// Elem is the element type of an array, the subtype of a range, the
	// range type of a multirange and the base type of a domain.
	Elem *Type
	// Fields are a composite type's attributes in order.
	Fields []Field
	// Delim is the delimiter between elements in the text form of an array
	// of this type: ',' for every built-in type but box (';').
	Delim byte
	// Binary and Text are the codecs per format; a nil Binary means the type
	// is always exchanged as text. A nil Text means the generic text codec
	// (the value as a Go string).
	Binary *Codec
	Text   *Codec
}

// ResultFormat is the format the server is asked to send values of t in.
func (t *Type) ResultFormat() int16 {
	if t != nil && t.Binary != nil && t.Binary.Decode != nil {
		return BinaryFormat
	}
	return TextFormat
}

// HasBinary reports whether t is read and written in the binary format.
func (t *Type) HasBinary() bool { return t.ResultFormat() == BinaryFormat }

// delim is t's array delimiter, ',' when unset.
func (t *Type) delim() byte {
	if t == nil || t.Delim == 0 {
		return ','
	}
	return t.Delim
}

// Codec returns t's codec for format, falling back to the generic text codec.
func (t *Type) Codec(format int16) *Codec {
	if t != nil {
		if format == BinaryFormat && t.Binary != nil {
			return t.Binary
		}
		if format == TextFormat && t.Text != nil {
			return t.Text
		}
	}
	if format == BinaryFormat {
		return &rawBinaryCodec
	}
	return &genericTextCodec
}

// qualifiedName is schema.name for types with a schema, else name.
func (t *Type) qualifiedName() string {
	if t == nil {
		return "unknown type"
	}
	if t.Schema != "" && t.Schema != "pg_catalog" {
		return t.Schema + "." + t.Name
	}
	return t.Name
}

// displayName is how messages name t: schema.name, and elem[] for arrays
// (int4[] rather than PostgreSQL's internal _int4).
func (t *Type) displayName() string {
	if t != nil && t.Kind == KindArray && t.Elem != nil && strings.HasPrefix(t.Name, "_") {
		return t.Elem.displayName() + "[]"
	}
	return t.qualifiedName()
}
