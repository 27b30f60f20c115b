package pg

// Test hooks for package pg_test (compiled only into the test binary).

// AuthMethodOf reports how the server authenticated c: "" (trust),
// "password", "md5", "SCRAM-SHA-256" or "SCRAM-SHA-256-PLUS".
func AuthMethodOf(c *Conn) string { return c.sec.authMethod }

// CheckSessionAttrsByQuery forgets the in_hot_standby and
// default_transaction_read_only parameters the server reported, as a
// server before PostgreSQL 14 would not report them, and checks want the
// way pg then must: by query.
func CheckSessionAttrsByQuery(c *Conn, want string) error {
	delete(c.params, "in_hot_standby")
	delete(c.params, "default_transaction_read_only")
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	return c.checkSessionAttrs(want)
}
