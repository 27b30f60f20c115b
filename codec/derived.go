package codec

// Constructors for the types found by introspecting the server: domains,
// enums and base types this package has no codec for. Arrays, composites,
// ranges and multiranges have their own files.

// NewDomainType builds domain oid over base: the wire format and codecs
// are the base type's (through domain chains, since base may itself be a
// domain).
func NewDomainType(oid uint32, name, schema string, base *Type) *Type {
	return &Type{
		OID: oid, Name: name, Schema: schema, Kind: KindDomain, Elem: base,
		Fields: base.Fields, Delim: base.Delim, Binary: base.Binary, Text: base.Text,
	}
}

// NewEnumType builds enum oid: its values are its labels, Go strings (the
// binary form is the label's text).
func NewEnumType(oid uint32, name, schema string) *Type {
	t := textType(oid, name)
	t.Schema, t.Kind = schema, KindEnum
	return t
}

// NewTextType builds a type exchanged in the text format and read as a Go
// string: what a base type without a codec (citext, ltree, an extension's
// type) becomes.
func NewTextType(oid uint32, name, schema string) *Type {
	return &Type{OID: oid, Name: name, Schema: schema, Text: &textOnlyCodec}
}

// NewCustomType wraps a caller's codec for type oid. A codec in
// BinaryFormat is used for the binary format (and the type's values are
// requested in binary); one in TextFormat makes the type travel as text.
func NewCustomType(oid uint32, name, schema string, c Codec) *Type {
	t := &Type{OID: oid, Name: name, Schema: schema}
	cc := c
	if c.Format == BinaryFormat {
		t.Binary = &cc
	} else {
		t.Text = &cc
	}
	return t
}

// NewTupleType gives composite type base a codec in TupleFormat: c's
// DecodeTuple receives the attribute values (decoded by their own codecs)
// and EncodeTuple returns them, in attribute order; the wire format stays
// base's.
func NewTupleType(base *Type, c Codec) (*Type, error) {
	if base.Kind != KindComposite || base.Fields == nil {
		return nil, &UnsupportedTypeError{GoType: "a tuple codec", PGType: base.qualifiedName(), Hint: "the tuple format serves composite types; use the text or binary format"}
	}
	if c.DecodeTuple == nil || c.EncodeTuple == nil {
		return nil, &UnsupportedTypeError{GoType: "a tuple codec without EncodeTuple and DecodeTuple", PGType: base.qualifiedName()}
	}
	t := &Type{OID: base.OID, Name: base.Name, Schema: base.Schema, Kind: KindComposite, Fields: base.Fields, Delim: base.Delim}
	wrap := func(bc *Codec) *Codec {
		if bc == nil {
			return nil
		}
		return &Codec{
			Format: bc.Format,
			Encode: func(dst []byte, v any) ([]byte, error) {
				fields, err := c.EncodeTuple(v)
				if err != nil {
					return dst, err
				}
				return bc.Encode(dst, fields)
			},
			Decode: func(src []byte) (any, error) {
				v, err := bc.Decode(src)
				if err != nil {
					return nil, err
				}
				rec, _ := v.(Record)
				return c.DecodeTuple(rec.values)
			},
		}
	}
	t.Binary, t.Text = wrap(base.Binary), wrap(base.Text)
	return t, nil
}

// BuiltinCodecType returns a type for oid that uses the built-in codec
// called codecName: a built-in type's name ("int4", "text", "jsonb"), or
// "pg_contrib.hstore" (also "hstore") for the hstore extension's type. It
// is for declaring a type wire-compatible with a built-in, as asyncpg's
// set_builtin_type_codec.
func BuiltinCodecType(codecName string, oid uint32, name, schema string) (*Type, bool) {
	switch codecName {
	case "pg_contrib.hstore", "hstore":
		return NewHstoreType(oid, name, schema), true
	}
	b := Default().LookupName(codecName)
	if b == nil {
		return nil, false
	}
	return &Type{
		OID: oid, Name: name, Schema: schema, Kind: b.Kind, Elem: b.Elem, Fields: b.Fields,
		Delim: b.Delim, Binary: b.Binary, Text: b.Text,
	}, true
}
