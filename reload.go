package pg

import (
	"context"
	"errors"
)

// ReloadSchemaState forgets what the connection learned about the database
// schema: the introspected types (composites, enums, domains, ranges and
// arrays of them) and the statement cache. Custom codecs set with
// SetTypeCodec stay. It does no I/O; the statements are closed on the
// server with the next request.
//
// A connection heals on its own: when a composite value's shape no longer
// matches the cached type (ALTER TYPE ... ADD/DROP/ALTER ATTRIBUTE after
// the connection used it), the call that met it fails with an
// *OutdatedSchemaError and the next call starts from a reloaded cache, as
// asyncpg's OutdatedSchemaCacheError does. The reload waits for the next
// call because the error arrives in the middle of a result: every row of
// that result is read with the types it began with. Call ReloadSchemaState
// yourself after a migration to spare that one error.
func (c *Conn) ReloadSchemaState(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	c.schemaOutdated = true
	c.healSchema()
	return nil
}

// noteDecodeError marks the schema cache outdated when err is a cached
// composite not matching the server's value, and returns err.
func (c *Conn) noteDecodeError(err error) error {
	var outdated *OutdatedSchemaError
	if err != nil && errors.As(err, &outdated) {
		c.schemaOutdated = true
	}
	return err
}

// healSchema drops the introspected types and the statement cache when a
// decode found them outdated. It runs at the start of a call, never in
// the middle of a result.
func (c *Conn) healSchema() {
	if !c.schemaOutdated {
		return
	}
	c.schemaOutdated = false
	c.schemaGen++
	if !c.typesShared {
		c.types.ClearDerived()
	}
	c.ResetStatementCache()
}

// refreshTypes looks a caller-owned statement's types up again when the
// connection reloaded its schema cache since they were looked up, so a
// Stmt heals with its connection. It runs inside a begun call (it may
// introspect).
func (s *Stmt) refreshTypes() error {
	if s.schemaGen == s.c.schemaGen {
		return nil
	}
	if err := s.c.describe(s.sd); err != nil {
		return err
	}
	s.schemaGen = s.c.schemaGen
	return nil
}
