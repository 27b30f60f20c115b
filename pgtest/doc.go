// Package pgtest runs a throwaway PostgreSQL server for tests: a fresh
// cluster in a temporary directory, on a free loopback port and a private
// unix socket, tuned for speed over durability, gone after Stop. The driver's
// own tests use it, and so can tests of programs that use the driver; it does
// not import the driver.
//
// # Use from TestMain
//
// One server per test binary is the cheap and usual choice:
//
//	func TestMain(m *testing.M) {
//		pgtest.Main(m, pgtest.Options{
//			Users: []pgtest.User{{Name: "app", Password: "secret", Method: "scram-sha-256"}},
//			Conf:  []string{"max_connections = 200"},
//		})
//	}
//
//	func TestSomething(t *testing.T) {
//		srv := pgtest.Shared()
//		conn, err := pg.Connect(ctx, srv.UserDSN("app", "secret"))
//		...
//	}
//
// Tests that restart or break the server should Start their own and Stop it
// in t.Cleanup. Start takes about a second, most of it initdb.
//
// Options.StandbyOf starts a hot standby of another pgtest server; with
// Server.Crash (an immediate shutdown that keeps the data) and
// Server.Promote a test can stage a failover.
//
// # What Start does
//
// It finds the binaries (Options.BinDir, PG_BIN, pg_config --bindir,
// /usr/lib/postgresql/*/bin, PATH), runs initdb with the bootstrap superuser
// postgres, trust authentication and UTF-8, writes pg_hba.conf (Options.HBA,
// then lines for each Options.Users entry, then trust for everyone over the
// socket and loopback) and pgtest.conf (port, socket directory, fsync and
// synchronous_commit off, max_connections 300, connection logging to
// postgres.log in the temporary directory, then Options.Conf), starts
// postgres as a child process, waits until it accepts connections, and
// creates the users. It needs PostgreSQL 10 or later. The server listens on 127.0.0.1 only, but trusts every
// local connection: do not put anything of value in it.
//
// # Running as root
//
// PostgreSQL refuses to run as root. When the test process is root, pgtest
// gives the temporary directory to the postgres system account (which the
// PostgreSQL packages create) and runs initdb, postgres and psql as that
// user. The temporary directory must then be reachable by it: TMPDIR=/tmp is.
//
// # PGTEST_DSN
//
// When the environment variable PGTEST_DSN holds a connection string, Main
// starts nothing and Shared returns a Server for that DSN, so a suite can run
// against an existing server (another version, a managed service):
//
//	PGTEST_DSN='postgres://postgres@db.example:5432/postgres?sslmode=disable' go test ./...
//
// Such a Server's DSN is PGTEST_DSN itself; the other accessors derive what
// they can from it, Stop does nothing, Restart, Crash and LogContents fail, and
// Options.Users are not created. External tells tests which case they are in.
//
// # Cleanup
//
// postgres runs in its own process group and gets SIGQUIT when the test
// process dies, so even a killed test binary leaves no server behind. Main
// also stops the server on SIGINT and SIGTERM. A directory left behind by a
// crash is removed by the next Start in any process, once its owner and its
// server are gone.
package pgtest
