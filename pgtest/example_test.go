package pgtest_test

import (
	"fmt"
	"log"
	"testing"

	"github.com/wirepg/pg/pgtest"
)

// TestMain gives this package's tests one shared server, as a user's package
// would. With PGTEST_DSN set it uses that server instead.
func TestMain(m *testing.M) {
	pgtest.Main(m, pgtest.Options{
		Users: []pgtest.User{{Name: "shared_app", Password: "secret"}},
		Conf:  []string{"application_name = 'pgtest-shared'"},
	})
}

// A test in a package whose TestMain calls Main uses the shared server.
func ExampleShared() {
	srv := pgtest.Shared()
	out, err := srv.SQL("SELECT 6 * 7")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)
	// Output: 42
}

// A test that restarts or breaks its server starts its own.
func ExampleStart() {
	srv, err := pgtest.Start(pgtest.Options{
		Users: []pgtest.User{{Name: "app", Password: "secret", Method: "scram-sha-256"}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Stop()

	// Connect with srv.UserDSN("app", "secret"), or as the superuser with
	// srv.DSN(); SQL runs statements as the superuser through psql.
	out, err := srv.SQL("SELECT rolname, rolsuper FROM pg_roles WHERE rolname = 'app'")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out)
	// Output: app|f
}
