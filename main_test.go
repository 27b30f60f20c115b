package pg_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// Roles the shared test server creates, one per authentication method.
const (
	pwUser    = "pw_user"
	pwPass    = "pw secret"
	md5User   = "md5_user"
	md5Pass   = "md5 secret"
	scramUser = "scram_user"
	scramPass = "scräm secret"
)

func TestMain(m *testing.M) {
	pgtest.Main(m, pgtest.Options{
		Users: []pgtest.User{
			{Name: pwUser, Password: pwPass, Method: "password"},
			{Name: md5User, Password: md5Pass, Method: "md5"},
			{Name: scramUser, Password: scramPass, Method: "scram-sha-256"},
		},
		Conf: []string{"max_connections = 300"},
	})
}

// testConfig is a Config for the shared server's superuser over TCP.
func testConfig(t testing.TB) *pg.Config {
	t.Helper()
	cfg, err := pg.ParseConfig(pgtest.Shared().DSN())
	require.NoError(t, err)
	return cfg
}

// connect opens a connection that is closed when the test ends.
func connect(t testing.TB) *pg.Conn {
	t.Helper()
	return connectConfig(t, testConfig(t))
}

func connectConfig(t testing.TB, cfg *pg.Config) *pg.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := pg.ConnectConfig(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}
