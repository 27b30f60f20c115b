package pg

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// introspectSQL finds the given type OIDs and everything they are built
// from (array elements, domain bases, range subtypes, the ranges of
// multiranges, composite attributes) in one query, as asyncpg's
// introspection does. %s is the OID list; %s the multirange clause, empty
// before PostgreSQL 14.
const introspectSQL = `WITH RECURSIVE deps(oid) AS (
    SELECT unnest('{%s}'::pg_catalog.oid[])
  UNION
    SELECT d.dep FROM deps
    JOIN pg_catalog.pg_type t ON t.oid = deps.oid
    CROSS JOIN LATERAL (
        SELECT t.typelem WHERE t.typelem <> 0
      UNION ALL SELECT t.typbasetype WHERE t.typtype = 'd'
      UNION ALL SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid
      %s
      UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a
        WHERE t.typrelid <> 0 AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped
    ) d(dep)
)
SELECT t.oid, t.typname, n.nspname, t.typtype, t.typcategory, t.typelem, t.typdelim, t.typbasetype,
  (SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid),
  %s,
  ARRAY(SELECT a.attname FROM pg_catalog.pg_attribute a
        WHERE t.typrelid <> 0 AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum),
  ARRAY(SELECT a.atttypid FROM pg_catalog.pg_attribute a
        WHERE t.typrelid <> 0 AND a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum)
FROM deps
JOIN pg_catalog.pg_type t ON t.oid = deps.oid
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace`

// The types of introspectSQL's two attribute columns, name[] and oid[]
// (pg_type.typarray of name and oid, fixed across server versions; codec
// exports its element types' OIDs, not these).
const (
	nameArrayOID uint32 = 1003
	oidArrayOID  uint32 = 1028
)

// typeRow is one row of introspectSQL.
type typeRow struct {
	oid      uint32
	name     string
	schema   string
	typtype  byte
	category byte
	elem     uint32
	delim    byte
	base     uint32
	rngSub   uint32 // subtype, for a range
	rngOf    uint32 // range, for a multirange
	attNames []string
	attTypes []uint32
}

// loadTypes introspects oids (and their dependencies) and registers a
// type for each in the connection's registry. The caller holds the
// connection, idle between requests.
func (c *Conn) loadTypes(oids []uint32) error {
	var list strings.Builder
	for i, oid := range oids {
		if i > 0 {
			list.WriteByte(',')
		}
		list.WriteString(strconv.FormatUint(uint64(oid), 10))
	}
	multiDep, multiCol := "", "NULL::pg_catalog.oid"
	if c.ServerVersion() >= 140000 {
		multiDep = "UNION ALL SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = t.oid"
		multiCol = "(SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = t.oid)"
	}
	sql := fmt.Sprintf(introspectSQL, list.String(), multiDep, multiCol)
	rows := make(map[uint32]*typeRow)
	err := c.simpleQueryRows(sql, func(v [][]byte) error {
		row, err := parseTypeRow(v)
		if err != nil {
			return err
		}
		rows[row.oid] = row
		return nil
	})
	if err != nil {
		return fmt.Errorf("pg: introspecting types %s: %w", list.String(), err)
	}
	c.ownTypes()
	b := typeBuilder{reg: c.types, rows: rows, building: map[uint32]bool{}}
	for _, oid := range oids {
		if t := b.build(oid); t == nil {
			// The server does not know the OID either (a dropped type):
			// remember it as text so it is not looked up again.
			c.types.RegisterDerived(codec.NewTextType(oid, "oid "+strconv.FormatUint(uint64(oid), 10), ""))
		}
	}
	return nil
}

// parseTypeRow reads one text-format row of introspectSQL.
func parseTypeRow(v [][]byte) (*typeRow, error) {
	if len(v) != 12 {
		return nil, fmt.Errorf("introspection row has %d columns", len(v))
	}
	num := func(b []byte) uint32 {
		n, _ := strconv.ParseUint(string(b), 10, 32) // NULL and junk read as 0
		return uint32(n)
	}
	first := func(b []byte) byte {
		if len(b) == 0 {
			return 0
		}
		return b[0]
	}
	r := &typeRow{
		oid: num(v[0]), name: string(v[1]), schema: string(v[2]),
		typtype: first(v[3]), category: first(v[4]), elem: num(v[5]), delim: first(v[6]),
		base: num(v[7]), rngSub: num(v[8]), rngOf: num(v[9]),
	}
	reg := codec.Default()
	names, err := codec.DecodeValue(reg.Lookup(nameArrayOID), codec.TextFormat, v[10])
	if err != nil {
		return nil, err
	}
	types, err := codec.DecodeValue(reg.Lookup(oidArrayOID), codec.TextFormat, v[11])
	if err != nil {
		return nil, err
	}
	for _, n := range names.([]any) {
		s, _ := n.(string)
		r.attNames = append(r.attNames, s)
	}
	for _, t := range types.([]any) {
		u, _ := t.(uint32)
		r.attTypes = append(r.attTypes, u)
	}
	if len(r.attNames) != len(r.attTypes) {
		return nil, fmt.Errorf("introspection of type %d: attribute names and types disagree", r.oid)
	}
	return r, nil
}

// typeBuilder turns introspected rows into registered types, dependencies
// first.
type typeBuilder struct {
	reg      *codec.Registry
	rows     map[uint32]*typeRow
	building map[uint32]bool
}

func (b *typeBuilder) build(oid uint32) *codec.Type {
	if t := b.reg.Lookup(oid); t != nil {
		return t
	}
	row := b.rows[oid]
	if row == nil || b.building[oid] {
		return nil
	}
	b.building[oid] = true
	defer delete(b.building, oid)
	// dep builds a dependency; one the server did not describe becomes
	// text rather than failing the statement.
	dep := func(oid uint32) *codec.Type {
		if t := b.build(oid); t != nil {
			return t
		}
		return codec.NewTextType(oid, "", "")
	}
	var t *codec.Type
	switch {
	case row.typtype == 'd':
		t = codec.NewDomainType(oid, row.name, row.schema, dep(row.base))
	case row.typtype == 'e':
		t = codec.NewEnumType(oid, row.name, row.schema)
	case row.typtype == 'r' && row.rngSub != 0:
		t = codec.NewRangeType(oid, row.name, dep(row.rngSub))
		t.Schema = row.schema
	case row.typtype == 'm' && row.rngOf != 0:
		t = codec.NewMultirangeType(oid, row.name, dep(row.rngOf))
		t.Schema = row.schema
	case row.typtype == 'c':
		fields := make([]codec.Field, len(row.attNames))
		for i := range fields {
			fields[i] = codec.Field{Name: row.attNames[i], Type: dep(row.attTypes[i])}
		}
		t = codec.NewCompositeType(oid, row.name, row.schema, fields)
	case row.category == 'A' && row.elem != 0:
		t = codec.NewArrayType(oid, row.name, dep(row.elem))
		t.Schema = row.schema
	default:
		t = codec.NewTextType(oid, row.name, row.schema)
		t.Delim = row.delim
	}
	b.reg.RegisterDerived(t)
	return t
}

// ownTypes gives the connection its own registry, cloned from the shared
// default, before anything is registered.
func (c *Conn) ownTypes() {
	if c.typesShared {
		c.types = c.types.Clone()
		c.typesShared = false
	}
}

// unknownOIDs lists the OIDs of sd's parameters and columns that the
// registry does not know.
func (c *Conn) unknownOIDs(sd *stmtDesc) []uint32 {
	var out []uint32
	add := func(oid uint32) {
		if oid == 0 || c.types.Lookup(oid) != nil {
			return
		}
		for _, o := range out {
			if o == oid {
				return
			}
		}
		out = append(out, oid)
	}
	for _, oid := range sd.paramOIDs {
		add(oid)
	}
	for i := range sd.fields {
		add(sd.fields[i].DataTypeOID)
	}
	return out
}

// simpleQueryRows runs sql with the simple protocol, passing each row's
// text values to fn (valid during the call), and reads up to
// ReadyForQuery. The caller holds the connection.
func (c *Conn) simpleQueryRows(sql string, fn func([][]byte) error) error {
	c.beginRequest()
	var err error
	if c.wbuf, err = (&pgproto.Query{String: sql}).Encode(c.wbuf); err != nil {
		return err
	}
	if err := c.flush(); err != nil {
		return err
	}
	if err := c.requestSent(); err != nil {
		return err
	}
	var first error
	for {
		typ, body, err := c.receive()
		if err != nil {
			return err
		}
		switch typ {
		case pgproto.MsgDataRow:
			if err := c.dataRow.Decode(body); err != nil {
				return c.fail("read", err)
			}
			if first == nil {
				first = fn(c.dataRow.Values)
			}
		case pgproto.MsgRowDescription, pgproto.MsgCommandComplete, pgproto.MsgEmptyQueryResponse:
		case pgproto.MsgErrorResponse:
			if first == nil {
				first = c.pgError(body, sql)
			}
		case pgproto.MsgReadyForQuery:
			if err := c.readyForQuery(body); err != nil {
				return err
			}
			return first
		default:
			return c.protocolViolation(typ, "introspection")
		}
	}
}
