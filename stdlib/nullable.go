package stdlib

import (
	"context"
	"time"
)

// attrKey names a table column: its table's OID and attribute number.
type attrKey struct {
	table uint32
	attr  uint16
}

// wantTables notes tables whose columns' nullability was asked for and is
// not known yet; they are looked up when the connection is next free.
func (c *conn) wantTables(oid uint32) {
	if c.pendingTables == nil {
		c.pendingTables = make(map[uint32]struct{})
	}
	c.pendingTables[oid] = struct{}{}
}

// learnNullability looks up the tables noted by wantTables, now that the
// rows that asked are closed and the connection is free. Nothing is done
// in a failed transaction; a failure leaves the tables unknown.
func (c *conn) learnNullability(*rows) {
	if len(c.pendingTables) == 0 || c.pc.IsClosed() || c.pc.TxStatus() == 'E' {
		return
	}
	oids := make([]uint32, 0, len(c.pendingTables))
	for oid := range c.pendingTables {
		oids = append(oids, oid)
	}
	clear(c.pendingTables)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = c.loadNullability(ctx, oids)
}

// loadNullability reads pg_attribute.attnotnull of every column of the
// tables oids into the connection's cache.
func (c *conn) loadNullability(ctx context.Context, oids []uint32) error {
	rs, err := c.pc.Query(ctx, "SELECT attrelid, attnum, attnotnull FROM pg_catalog.pg_attribute WHERE attrelid = ANY($1) AND attnum > 0", oids)
	if err != nil {
		return err
	}
	defer rs.Close()
	if c.notNull == nil {
		c.notNull = make(map[attrKey]bool)
	}
	for rs.Next() {
		var k attrKey
		var notNull bool
		if err := rs.Scan(&k.table, &k.attr, &notNull); err != nil {
			return err
		}
		c.notNull[k] = notNull
	}
	return rs.Err()
}
