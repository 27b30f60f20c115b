package pg

import (
	"strconv"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// stmtDesc is what the driver knows of a prepared statement: enough to
// Bind and decode without asking the server again.
type stmtDesc struct {
	name       string // "" for the unnamed statement
	sql        string
	paramOIDs  []uint32
	paramTypes []*codec.Type
	fields     []pgproto.FieldDescription
	colTypes   []*codec.Type
	colFormats []int16
	// colScans is each column's codec fast path (Codec.Scan, nil when it
	// has none), looked up once here rather than for every value.
	colScans []func(src []byte, dst any) (bool, error)
	cols     *columns // names and name→index, shared by Records
	prepared time.Time
}

// describe fills the codec lookups from the server's descriptions. OIDs
// the registry does not know (composites, enums, domains, ranges, arrays of
// them, extension types) are introspected first, in one query, into the
// connection's type cache (introspect.go).
func (c *Conn) describe(sd *stmtDesc) error {
	if unknown := c.unknownOIDs(sd); len(unknown) > 0 {
		if err := c.loadTypes(unknown); err != nil {
			return err
		}
	}
	sd.paramTypes = make([]*codec.Type, len(sd.paramOIDs))
	for i, oid := range sd.paramOIDs {
		sd.paramTypes[i] = c.types.Lookup(oid)
	}
	sd.colTypes = make([]*codec.Type, len(sd.fields))
	sd.colFormats = make([]int16, len(sd.fields))
	sd.colScans = make([]func([]byte, any) (bool, error), len(sd.fields))
	for i := range sd.fields {
		t := c.types.Lookup(sd.fields[i].DataTypeOID)
		sd.colTypes[i] = t
		sd.colFormats[i] = t.ResultFormat()
		sd.colScans[i] = t.Codec(sd.colFormats[i]).Scan
	}
	sd.cols = newColumns(sd.fields)
	return nil
}

// cachedStmt returns the cache entry for sql, dropping it when it outlived
// max_cached_statement_lifetime.
func (c *Conn) cachedStmt(sql string) *stmtDesc {
	if c.stmts == nil {
		return nil
	}
	sd, ok := c.stmts.Get(sql)
	if !ok {
		return nil
	}
	if life := c.cfg.maxCachedStatementLifetime(); life > 0 && time.Since(sd.prepared) > life {
		c.evictStmt(sql)
		return nil
	}
	return sd
}

// cacheable says whether sql goes into the statement cache.
func (c *Conn) cacheable(sql string) bool {
	return c.stmts != nil && len(sql) <= c.cfg.maxCacheableStatementSize()
}

func (c *Conn) nextStmtName() string {
	c.stmtSeq++
	return "pg_s" + strconv.FormatUint(c.stmtSeq, 36)
}

// addStmt caches sd; a statement pushed out is closed on the server with
// the next request, costing no round trip of its own.
func (c *Conn) addStmt(sd *stmtDesc) {
	if _, old, evicted := c.stmts.Put(sd.sql, sd); evicted {
		c.queueClose(old.name)
	}
}

func (c *Conn) evictStmt(sql string) {
	if c.stmts == nil {
		return
	}
	if sd, ok := c.stmts.Remove(sql); ok {
		c.queueClose(sd.name)
	}
}

func (c *Conn) queueClose(name string) {
	if name == "" {
		return
	}
	c.pendingSend, _ = (&pgproto.Close{ObjectType: 'S', Name: name}).Encode(c.pendingSend)
}

// StatementCacheLen is the number of statements in the cache.
func (c *Conn) StatementCacheLen() int {
	if c.stmts == nil {
		return 0
	}
	return c.stmts.Len()
}

// ResetStatementCache forgets every cached statement and closes them on the
// server with the next request.
func (c *Conn) ResetStatementCache() {
	if c.stmts == nil {
		return
	}
	for _, sd := range c.stmts.Values() {
		c.queueClose(sd.name)
	}
	c.stmts.Clear()
}
