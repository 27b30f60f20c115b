// Package codec converts between Go values and PostgreSQL's wire formats.
//
// A Registry maps a type OID to a Type, and a Type carries up to two Codecs:
// one for the binary format and one for the text format. The connection asks
// the registry once per prepared statement which Type each parameter and
// column has, keeps the answer with the statement, and then calls the codecs
// per value without further lookups. So adding a type means registering it;
// the connection code does not change.
//
// The flow for a parameter: the caller's Go value goes to the Type's binary
// Encode, which appends the wire bytes to the connection's write buffer. A Go
// string is also accepted for every type and sent in the text format, so a
// caller can always pass PostgreSQL's own text rendering.
//
// The flow for a result value: the column's raw bytes (a sub-slice of the read
// buffer, valid only during the call) reach Scan, which writes straight into
// the caller's destination pointer for the common Go types without boxing.
// Anything Scan does not handle goes through Decode, which returns the type's
// default Go value (an int32 for int4, a string for text), and Assign, which
// converts that into the destination by reflection.
//
// Types the registry does not know are read in the text format and decoded as
// a string; they never fail a query.
//
// Each connection has its own copy of the registry (made at connect, for
// a timestamptz type that reads offset-less text in the session's
// TimeZone; the copy shares the built-in layer). Composites, enums,
// domains, ranges, multiranges and arrays of them are introspected from
// the server the first time a statement uses them (one catalog query per
// statement that meets new types) and kept in the registry's derived
// layer until the connection's ReloadSchemaState. Custom codecs (the connection's
// SetTypeCodec, SetBuiltinTypeCodec, SetJSONCodec, SetTimestamptzLocation)
// go into the custom layer, which wins over both and also serves arrays,
// ranges, domains and composites of the type. They belong to one
// connection: with a pool, set them in the pool's Init hook.
//
// Anonymous records (ROW(...), record-returning functions) carry their
// field types on the wire and are decoded with whatever the registry knows
// at that moment: a field of a type the connection has not yet met as a
// column or parameter (an enum, a composite, a domain) decodes as its raw
// binary bytes ([]byte). Cast such fields, or use a named composite type.
//
// Conversions are exact or an error: a value is never silently scaled,
// wrapped or NULLed on the way, and rounded only where PostgreSQL's own
// cast between the two types rounds, and then the same way (a numeric into
// a float64, as numeric::float8). Where that cast would fail, the
// conversion fails, with an error naming the column or parameter, the
// value and the types. For the number types, the destinations besides
// *any, Null[T] and sql.Scanners:
//
//	int2 int4 int8  Go integers (range-checked); float32 and float64 only
//	                when exactly representable (int8 2^53+1 is an error)
//	float4          float32, float64
//	float8          float64; float32 only when exact
//	numeric         pg.Numeric, string, *big.Rat (exact); Go integers and
//	                *big.Int without a fractional part; *big.Float rounded
//	                to its precision; float64 and float32 as numeric::float8
//	                and numeric::float4: rounded once from the exact decimal,
//	                an error where the cast is out of range (a finite value
//	                becoming infinite, a non-zero one becoming zero)
//	money           pg.Money and Go integers: the count of cents (1234);
//	                float64, float32, pg.Numeric, *big.Rat, *big.Float and
//	                string: the amount (12.34), two fractional digits
//	                assumed (see Money)
//
// The other types (each also into string, its text form, except timetz):
//
//	bool            bool
//	text, varchar   string, []byte
//	bytea           []byte, string
//	uuid            pg.UUID, [16]byte, []byte, string
//	json, jsonb     pg.JSON, json.RawMessage, []byte, string, and whatever
//	                encoding/json unmarshals into (maps, structs ...)
//	date            pg.Date, time.Time, pg.Timestamp
//	timestamp(tz)   time.Time, pg.Timestamp, pg.Date
//	time            pg.Time, time.Duration, pg.Interval
//	timetz          pg.TimeTZ
//	interval        pg.Interval, time.Duration (exact only)
//	inet            netip.Addr, netip.Prefix, net.IP, net.IPNet
//	cidr            netip.Prefix, net.IPNet
//	macaddr         net.HardwareAddr, []byte
//	bit, varbit     pg.Bits
//	"char"          string in the server's text ('b'), byte, Go integers
//	ranges          pg.Range[T]
//	arrays          Go slices (nested per dimension), pg.Array[T]
//
// Array[T], Range[T] and Money are also sql.Scanners of their text form
// (what database/sql drivers deliver), with elements and bounds read as
// the built-in type T maps to (int32 as int4, time.Time as timestamptz or
// timestamp, any as text).
//
// The other way, a float64 parameter of type float4 is rounded as
// float8::float4 (overflow and underflow to zero are errors), a Go integer
// is sent as a float only when exactly representable, and float text that
// the driver parses itself (a Go string in CopyRecordsToTable) is read as
// float4in and float8in read it. A composite takes a struct (fields by name
// or `pg` tag), map[string]any, Record or []any (in attribute order); a
// struct with no field for any attribute (time.Time, Numeric) is an error,
// not a row of NULLs; in an array of composites, a []any element is one
// composite's attribute values.
//
// Arrays read into *any as nested []any, or as an Array[any] when a
// dimension does not start at 1 ('[0:1]={7,8}'), so that the bounds are
// kept; a Go slice destination takes the elements, Array[T] the bounds
// too. int2vector and oidvector read as []any (their bounds, from 0, are
// the type's) and take Go slices, sent with one dimension from 0; an empty
// one goes as text, as the server refuses its own empty binary form. In
// an array of vectors or multiranges, a []any is one element when none of
// its values is a slice or nil.
//
// NULL: nil, nil pointers, nil slices and maps (a nil []byte included) and
// invalid Null[T]s encode as NULL; NULL scans into pointers (nil), Null[T],
// *any, sql.Scanners, slices and maps, and is an error for anything else.
//
// Sharp edges: src slices passed to Decode and Scan alias the connection's
// buffer; a codec must copy what it keeps (bytea's Decode does). Registries
// are safe for concurrent reads; Register must not run concurrently with
// lookups, which is why connections clone the shared default before changing
// it.
package codec
