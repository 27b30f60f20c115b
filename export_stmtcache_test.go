package pg

// StatementCacheLen is the number of statements in c's cache, for tests in
// package pg_test (compiled only into the test binary).
func StatementCacheLen(c *Conn) int {
	if c.stmts == nil {
		return 0
	}
	return c.stmts.Len()
}
