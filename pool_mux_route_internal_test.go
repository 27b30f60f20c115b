package pg

import "testing"

// Which statements may share a multiplexed connection.
func TestMuxRoutable(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT $1::int4":                      true,
		"  select 1":                           true,
		"INSERT INTO t VALUES ($1)":            true,
		"WITH x AS (SELECT 1) SELECT * FROM x": true,
		"(SELECT 1) UNION (SELECT 2)":          true,
		"CREATE TABLE t (a int)":               true,
		"CREATE OR REPLACE VIEW v AS SELECT 1": true,
		"NOTIFY ch":                            true,
		"SET search_path = x":                  false,
		"set local work_mem = '1MB'":           false,
		"RESET ALL":                            false,
		"BEGIN":                                false,
		"-- comment\nBEGIN":                    false,
		"/* a /* nested */ comment */ begin":   false,
		"START TRANSACTION":                    false,
		"COMMIT":                               false,
		"end":                                  false,
		"ROLLBACK":                             false,
		"SAVEPOINT a":                          false,
		"LISTEN ch":                            false,
		"UNLISTEN *":                           false,
		"DECLARE c CURSOR WITH HOLD FOR SELECT 1":   false,
		"PREPARE p AS SELECT 1":                     false,
		"EXECUTE p":                                 false,
		"DISCARD ALL":                               false,
		"LOCK TABLE t":                              false,
		"COPY t FROM STDIN":                         false,
		"CREATE TEMP TABLE t (a int)":               false,
		"create local temporary table t (a int)":    false,
		"CREATE OR REPLACE TEMP VIEW v AS SELECT 1": false,
		"CREATE GLOBAL TEMPORARY TABLE t (a int)":   false,
		"CREATE TEMPLATE":                           true, // not a keyword of ours; the server decides
		"":                                          true,
		"-- only a comment":                         true,
	} {
		if got := muxRoutable(sql); got != want {
			t.Errorf("muxRoutable(%q) = %v, want %v", sql, got, want)
		}
	}
}
