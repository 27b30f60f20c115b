package pg

import (
	"context"
	"errors"
	"fmt"

	"github.com/wirepg/pg/codec"
)

// SetTypeCodec makes the connection exchange values of the type typeName
// in schema through c, as asyncpg's set_type_codec. An empty schema finds
// typeName through the search_path as a cast would ("int4", "hstore",
// "app.money_t"). The formats:
//
//   - c.Format codec.TextFormat: Encode appends the type's text form and
//     Decode reads it; the type travels as text.
//   - codec.BinaryFormat: the same with the type's binary send/recv form.
//   - codec.TupleFormat (composite types only): EncodeTuple and DecodeTuple
//     convert between the caller's Go value and the attribute values, which
//     the driver encodes and decodes with their own codecs.
//
// The codec also serves arrays, composites, domains and ranges of the type.
// The type is looked up by name with one query; the statement cache and the
// introspected type cache are cleared, since their descriptions captured the
// old codec. Codecs belong to the connection: with a Pool, register them in
// PoolConfig.Init so every connection has them. A domain cannot have a codec
// of its own (PostgreSQL sends its base type's wire form): set the base
// type's codec instead.
func (c *Conn) SetTypeCodec(ctx context.Context, typeName, schema string, cd codec.Codec) error {
	info, err := c.lookupTypeName(ctx, typeName, schema)
	if err != nil {
		return err
	}
	if info.typtype == 'd' {
		return fmt.Errorf("pg: SetTypeCodec: %s.%s is a domain; set the codec of its base type instead", info.schema, info.name)
	}
	var t *codec.Type
	switch cd.Format {
	case codec.TextFormat, codec.BinaryFormat:
		if cd.Encode == nil || cd.Decode == nil {
			return fmt.Errorf("pg: SetTypeCodec %s.%s: the codec needs both Encode and Decode", info.schema, info.name)
		}
		t = codec.NewCustomType(info.oid, info.name, info.schema, cd)
	case codec.TupleFormat:
		if info.typtype != 'c' {
			return fmt.Errorf("pg: SetTypeCodec %s.%s: the tuple format serves composite types only; use the text or binary format", info.schema, info.name)
		}
		base, err := c.compositeType(ctx, info.oid)
		if err != nil {
			return err
		}
		if t, err = codec.NewTupleType(base, cd); err != nil {
			return fmt.Errorf("pg: SetTypeCodec %s.%s: %w", info.schema, info.name, err)
		}
	default:
		return fmt.Errorf("pg: SetTypeCodec %s.%s: unknown format %d (use codec.TextFormat, BinaryFormat or TupleFormat)", info.schema, info.name, cd.Format)
	}
	return c.registerType(t)
}

// SetBuiltinTypeCodec declares the type typeName in schema (or found
// through the search_path when schema is "") wire-compatible with a codec the driver has, as asyncpg's
// set_builtin_type_codec: codecName is a built-in type's name ("int8",
// "text", "jsonb" ...) or "hstore" (also "pg_contrib.hstore") for the
// hstore extension's type, which then decodes as map[string]*string. Like
// SetTypeCodec it serves arrays and composites of the type too.
func (c *Conn) SetBuiltinTypeCodec(ctx context.Context, typeName, schema, codecName string) error {
	info, err := c.lookupTypeName(ctx, typeName, schema)
	if err != nil {
		return err
	}
	t, ok := codec.BuiltinCodecType(codecName, info.oid, info.name, info.schema)
	if !ok {
		return fmt.Errorf("pg: SetBuiltinTypeCodec %s.%s: no built-in codec called %q (use a built-in type name such as \"text\" or \"int8\", or \"hstore\")", info.schema, info.name, codecName)
	}
	return c.registerType(t)
}

// ResetTypeCodec undoes SetTypeCodec and SetBuiltinTypeCodec for the type
// (named as for SetTypeCodec): its values are exchanged with the built-in
// codec again (or, for a type the driver has none for, as text).
func (c *Conn) ResetTypeCodec(ctx context.Context, typeName, schema string) error {
	info, err := c.lookupTypeName(ctx, typeName, schema)
	if err != nil {
		return err
	}
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	if !c.types.IsCustom(info.oid) {
		return nil
	}
	c.ownTypes()
	c.types.Unregister(info.oid)
	if info.oid == codec.TimestamptzOID {
		// Back to the connection's default, not the shared built-in:
		// offset-less text is read in the session's zone.
		c.types.Register(codec.NewSessionTimestamptzType(nil, c.sessionZone()))
	}
	c.ResetStatementCache()
	return nil
}

// registerType puts t into the connection's own registry and forgets the
// statement descriptions that hold the codecs it replaces.
func (c *Conn) registerType(t *codec.Type) error {
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	c.ownTypes()
	c.types.Register(t)
	c.ResetStatementCache()
	return nil
}

// typeNameInfo is a row of pg_type found by name.
type typeNameInfo struct {
	oid          uint32
	name, schema string
	typtype      byte
}

const (
	typeByNameSQL = `SELECT t.oid, t.typname::text, n.nspname::text, t.typtype
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typname = $1 AND n.nspname = $2`
	// typeBySearchPathSQL resolves the name as a cast would.
	typeBySearchPathSQL = `SELECT t.oid, t.typname::text, n.nspname::text, t.typtype
FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.oid = pg_catalog.to_regtype($1)`
)

// lookupTypeName finds the type called typeName in schema, or through the
// search_path when schema is "".
func (c *Conn) lookupTypeName(ctx context.Context, typeName, schema string) (typeNameInfo, error) {
	var info typeNameInfo
	var row *Row
	if schema == "" {
		row = c.QueryRow(ctx, typeBySearchPathSQL, typeName)
	} else {
		row = c.QueryRow(ctx, typeByNameSQL, typeName, schema)
	}
	err := row.Scan(&info.oid, &info.name, &info.schema, &info.typtype)
	if errors.Is(err, ErrNoRows) {
		if schema == "" {
			return info, fmt.Errorf("pg: no type %q on the search_path (pass the schema it was created in)", typeName)
		}
		return info, fmt.Errorf("pg: no type %q in schema %q (pass the schema the type was created in, or \"\" to search the search_path; built-in types are in \"pg_catalog\")", typeName, schema)
	}
	if err != nil {
		return info, fmt.Errorf("pg: looking up type %q: %w", typeName, err)
	}
	return info, nil
}

// compositeType returns the connection's introspected type for the
// composite oid, introspecting it when needed.
func (c *Conn) compositeType(ctx context.Context, oid uint32) (*codec.Type, error) {
	if t := c.types.Lookup(oid); t != nil && t.Kind == codec.KindComposite && !c.types.IsCustom(oid) {
		return t, nil
	}
	if err := c.begin(ctx); err != nil {
		return nil, err
	}
	if c.types.IsCustom(oid) {
		// Introspect under the custom codec: the composite's own shape.
		c.ownTypes()
		c.types.Unregister(oid)
	}
	err := c.loadTypes([]uint32{oid})
	if err = c.endCall(err); err != nil {
		return nil, err
	}
	t := c.types.Lookup(oid)
	if t == nil || t.Kind != codec.KindComposite {
		return nil, fmt.Errorf("pg: type %d is not a composite type", oid)
	}
	return t, nil
}
