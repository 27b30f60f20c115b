package pg

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/pgproto"
)

// stmtDesc is what the driver knows of a prepared statement: enough to
// Bind and decode without asking the server again.
type stmtDesc struct {
	name string // "" for the unnamed statement
	// sqlNamed says the driver derived name from the SQL (stmtName), so
	// the statement may be re-parsed under it on any server connection.
	sqlNamed   bool
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
	// sessionFuncs is what the functions the SQL names may change in the
	// session, with stmtScanned once known (session_state.go).
	sessionFuncs resetParts
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
	sd.cols = newColumns(sd.fields, sd.colTypes)
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

// stmtName is the server-side name of sql's cached statement: a hash of
// the SQL, so the name means the same statement on every server connection.
// Behind a pooler in transaction mode one server connection serves many
// clients; a per-connection counter (pg_s1, pg_s2 ...) would have one
// client's Bind run another client's statement. The parameter types are
// those the server infers from the SQL (Parse names none), so the SQL alone
// decides them.
func stmtName(prefix, sql string) string {
	sum := sha256.Sum256([]byte(sql))
	var b [4 + 32]byte
	n := copy(b[:], prefix)
	hex.Encode(b[n:], sum[:16])
	return string(b[:n+32])
}

// userStmtName names a statement Prepare creates: the SQL's hash, so that
// a name never means two statements behind a pooler, and a sequence
// number, so that preparing the same SQL twice gives two statements.
func (c *Conn) userStmtName(sql string) string {
	c.stmtSeq++
	return stmtName("pgp_", sql) + "_" + strconv.FormatUint(c.stmtSeq, 36)
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

// appendCloseStatement appends a Close of the prepared statement name.
func appendCloseStatement(buf []byte, name string) []byte {
	buf, _ = (&pgproto.Close{ObjectType: 'S', Name: name}).Encode(buf)
	return buf
}

func (c *Conn) queueClose(name string) {
	if name == "" {
		return
	}
	c.pendingSend = appendCloseStatement(c.pendingSend, name)
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
