package codec

import "sync"

// Registry maps type OIDs (and names) to Types. Lookups are safe for
// concurrent use; Register is not safe concurrently with anything else, so
// share a registry only once it is complete and Clone it to change it.
type Registry struct {
	byOID  map[uint32]*Type
	byName map[string]*Type
}

// NewRegistry returns a registry holding every built-in type this package
// has a codec for.
func NewRegistry() *Registry {
	r := &Registry{byOID: make(map[uint32]*Type, 64), byName: make(map[string]*Type, 64)}
	for _, t := range builtinTypes() {
		r.Register(t)
	}
	return r
}

var (
	defaultOnce     sync.Once
	defaultRegistry *Registry
)

// Default returns the shared registry of built-in types. Do not Register
// into it; Clone it instead.
func Default() *Registry {
	defaultOnce.Do(func() { defaultRegistry = NewRegistry() })
	return defaultRegistry
}

// Register adds t, replacing any type with the same OID or name.
func (r *Registry) Register(t *Type) {
	r.byOID[t.OID] = t
	if t.Name != "" {
		r.byName[t.Name] = t
	}
}

// Lookup returns the type with oid, or nil when unknown.
func (r *Registry) Lookup(oid uint32) *Type {
	return r.byOID[oid]
}

// LookupName returns the type named name (as pg_type.typname, or
// schema-qualified for types registered that way), or nil.
func (r *Registry) LookupName(name string) *Type {
	return r.byName[name]
}

// Clone returns an independent copy that can be changed with Register.
func (r *Registry) Clone() *Registry {
	n := &Registry{byOID: make(map[uint32]*Type, len(r.byOID)), byName: make(map[string]*Type, len(r.byName))}
	for k, v := range r.byOID {
		n.byOID[k] = v
	}
	for k, v := range r.byName {
		n.byName[k] = v
	}
	return n
}

func builtinTypes() []*Type {
	return []*Type{
		boolType,
		intType(Int2OID, "int2", 2), intType(Int4OID, "int4", 4), intType(Int8OID, "int8", 8),
		oidType(OIDOID, "oid"),
		floatType(Float4OID, "float4", 4), floatType(Float8OID, "float8", 8),
		textType(TextOID, "text"), textType(VarcharOID, "varchar"), textType(NameOID, "name"),
		textType(BPCharOID, "bpchar"), textType(UnknownOID, "unknown"),
		byteaType,
	}
}
