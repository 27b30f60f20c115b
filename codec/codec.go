package codec

// Wire formats, as the protocol's format codes.
const (
	TextFormat   int16 = 0
	BinaryFormat int16 = 1
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
}

// Type describes one PostgreSQL type.
type Type struct {
	OID  uint32
	Name string
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
