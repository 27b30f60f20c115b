package codec

import "sync"

// Registry maps type OIDs (and names) to Types, in three layers looked up
// in this order:
//
//   - custom: types registered with Register (custom codecs, and types
//     declared wire-compatible with a built-in). They survive ClearDerived.
//   - derived: types found by introspecting the server (composites, enums,
//     domains, ranges and arrays of them), added with RegisterDerived and
//     dropped by ClearDerived when the schema may have changed.
//   - the built-in types, shared read-only by every registry.
//
// Lookups are safe for concurrent use; Register, RegisterDerived and
// ClearDerived are not safe concurrently with anything else, so share a
// registry only once it is complete and Clone it to change it.
type Registry struct {
	base      map[uint32]*Type // built-ins: never changed once built
	baseNames map[string]*Type
	custom    map[uint32]*Type
	derived   map[uint32]*Type
	names     map[string]*Type // custom and derived types by name and schema.name
	// record and recordArray decode anonymous records, whose field types
	// are looked up in this registry at decode time.
	record, recordArray *Type
}

// NewRegistry returns a registry holding every built-in type this package
// has a codec for.
func NewRegistry() *Registry {
	r := &Registry{base: make(map[uint32]*Type, 256), baseNames: make(map[string]*Type, 256)}
	for _, t := range builtinTypes() {
		r.base[t.OID] = t
		r.baseNames[t.Name] = t
	}
	r.bindRecord()
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

func (r *Registry) bindRecord() {
	r.record = newRecordType(r)
	r.recordArray = NewArrayType(RecordArrayOID, "_record", r.record)
}

// Register adds t as a custom type, replacing any type with the same OID.
// Built-in arrays, ranges and multiranges of t's OID are rebuilt over t,
// and derived types are cleared so that composites and domains using t are
// introspected again with t's codec.
func (r *Registry) Register(t *Type) {
	if r.custom == nil {
		r.custom = make(map[uint32]*Type)
	}
	r.custom[t.OID] = t
	r.addName(t)
	r.ClearDerived()
	for _, dep := range r.dependents(t.OID) {
		if nt := rebuildOver(dep, t); nt != nil {
			r.Register(nt)
		}
	}
}

// Unregister drops the custom type oid and the types Register rebuilt
// over it (arrays, ranges, multiranges and domains of it), so that the
// built-in codec, or introspection, serves it again. Derived types are
// cleared as with Register.
func (r *Registry) Unregister(oid uint32) {
	t, ok := r.custom[oid]
	if !ok {
		return
	}
	delete(r.custom, oid)
	if r.names[t.Name] == t {
		delete(r.names, t.Name)
	}
	if r.names[t.qualifiedName()] == t {
		delete(r.names, t.qualifiedName())
	}
	for _, dep := range r.custom {
		if dep.Elem == t {
			r.Unregister(dep.OID)
		}
	}
	r.ClearDerived()
}

// RegisterDerived adds t to the derived layer (see Registry).
func (r *Registry) RegisterDerived(t *Type) {
	if r.derived == nil {
		r.derived = make(map[uint32]*Type)
	}
	r.derived[t.OID] = t
	r.addName(t)
}

// ClearDerived drops every type found by introspection.
func (r *Registry) ClearDerived() {
	for oid, t := range r.derived {
		if r.names[t.qualifiedName()] == t {
			delete(r.names, t.qualifiedName())
		}
		if r.names[t.Name] == t {
			delete(r.names, t.Name)
		}
		delete(r.derived, oid)
	}
}

// IsCustom reports whether oid is served by a custom (registered) type.
func (r *Registry) IsCustom(oid uint32) bool {
	_, ok := r.custom[oid]
	return ok
}

func (r *Registry) addName(t *Type) {
	if t.Name == "" {
		return
	}
	if r.names == nil {
		r.names = make(map[string]*Type)
	}
	r.names[t.Name] = t
	r.names[t.qualifiedName()] = t
}

// dependents returns the built-in and custom types whose Elem is oid.
func (r *Registry) dependents(oid uint32) []*Type {
	var out []*Type
	seen := make(map[uint32]bool)
	for _, layer := range []map[uint32]*Type{r.custom, r.base} {
		for _, t := range layer {
			if t.Elem != nil && t.Elem.OID == oid && !seen[t.OID] && t.OID != oid {
				seen[t.OID] = true
				if cur := r.Lookup(t.OID); cur == t {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

// rebuildOver builds dep again with elem as its element type.
func rebuildOver(dep, elem *Type) *Type {
	switch dep.Kind {
	case KindArray:
		return NewArrayType(dep.OID, dep.Name, elem)
	case KindRange:
		return NewRangeType(dep.OID, dep.Name, elem)
	case KindMultirange:
		return NewMultirangeType(dep.OID, dep.Name, elem)
	case KindDomain:
		return NewDomainType(dep.OID, dep.Name, dep.Schema, elem)
	}
	return nil
}

// Lookup returns the type with oid, or nil when unknown.
func (r *Registry) Lookup(oid uint32) *Type {
	if t, ok := r.custom[oid]; ok {
		return t
	}
	if t, ok := r.derived[oid]; ok {
		return t
	}
	switch oid {
	case RecordOID:
		return r.record
	case RecordArrayOID:
		return r.recordArray
	}
	return r.base[oid]
}

// LookupName returns the type named name (pg_type.typname, or
// schema.typname for types outside pg_catalog), or nil.
func (r *Registry) LookupName(name string) *Type {
	if t, ok := r.names[name]; ok {
		return t
	}
	return r.baseNames[name]
}

// Clone returns an independent copy that can be changed with Register. The
// built-in layer is shared, so cloning is cheap.
func (r *Registry) Clone() *Registry {
	n := &Registry{base: r.base, baseNames: r.baseNames}
	if len(r.custom) > 0 {
		n.custom = make(map[uint32]*Type, len(r.custom))
		for k, v := range r.custom {
			n.custom[k] = v
		}
	}
	if len(r.derived) > 0 {
		n.derived = make(map[uint32]*Type, len(r.derived))
		for k, v := range r.derived {
			n.derived[k] = v
		}
	}
	if len(r.names) > 0 {
		n.names = make(map[string]*Type, len(r.names))
		for k, v := range r.names {
			n.names[k] = v
		}
	}
	n.bindRecord()
	return n
}

// builtinTypes builds every built-in type: scalars, then arrays of each,
// then ranges and multiranges.
func builtinTypes() []*Type {
	scalars := []*Type{
		boolType,
		intType(Int2OID, "int2", 2), intType(Int4OID, "int4", 4), intType(Int8OID, "int8", 8),
		uintType(OIDOID, "oid", 4), uintType(XIDOID, "xid", 4), uintType(CIDOID, "cid", 4),
		uintType(XID8OID, "xid8", 8),
		floatType(Float4OID, "float4", 4), floatType(Float8OID, "float8", 8),
		numericType,
		textType(TextOID, "text"), textType(VarcharOID, "varchar"), textType(NameOID, "name"),
		textType(BPCharOID, "bpchar"), textType(XMLOID, "xml"),
		charType, byteaType, uuidType,
		jsonType(JSONOID, "json", nil), jsonType(JSONBOID, "jsonb", nil), jsonpathType,
		dateType, timestampType, newTimestamptzType(nil), timeType, timetzType, intervalType,
		inetType(InetOID, "inet"), inetType(CIDROID, "cidr"),
		macaddrType(MacaddrOID, "macaddr", 6), macaddrType(Macaddr8OID, "macaddr8", 8),
		bitsType(BitOID, "bit"), bitsType(VarbitOID, "varbit"),
		moneyType,
		pointType, lineType, lsegType, boxType, pathType, polygonType, circleType,
		tidType, lsnType, snapshotType(TxidSnapshotOID, "txid_snapshot"), snapshotType(PgSnapshotOID, "pg_snapshot"),
		voidType, unknownType,
	}
	for _, tt := range textOnlyTypes {
		scalars = append(scalars, newTextOnlyType(tt.oid, tt.name))
	}
	byOID := make(map[uint32]*Type, 256)
	out := make([]*Type, 0, 256)
	add := func(t *Type) {
		byOID[t.OID] = t
		out = append(out, t)
	}
	for _, t := range scalars {
		add(t)
	}
	// int2vector and oidvector travel in the array format.
	add(newVectorType(Int2VectorOID, "int2vector", byOID[Int2OID]))
	add(newVectorType(OIDVectorOID, "oidvector", byOID[OIDOID]))
	for _, rg := range builtinRanges {
		rt := NewRangeType(rg.rng, rg.rngName, byOID[rg.sub])
		add(rt)
		add(NewMultirangeType(rg.multi, rg.multiName, rt))
	}
	for _, a := range builtinArrays {
		elem := byOID[a.elem]
		if elem == nil {
			continue // the record array is bound per registry
		}
		add(NewArrayType(a.array, a.name, elem))
	}
	return out
}
