package pg

import "context"

// ReloadSchemaState forgets what the connection learned about the database
// schema: the introspected types (composites, enums, domains, ranges and
// arrays of them) and the statement cache. Call it after ALTER TYPE or a
// migration that changed a type the connection has used: a composite value
// whose shape no longer matches the cached type fails with an
// *OutdatedSchemaError until then (the driver does not reload on its own,
// because the error arrives in the middle of a result). Custom codecs set
// with SetTypeCodec stay. It does no I/O; the statements are closed on the
// server with the next request.
func (c *Conn) ReloadSchemaState(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	if !c.typesShared {
		c.types.ClearDerived()
	}
	c.ResetStatementCache()
	return nil
}
