package pg_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
)

// ownServer is the shared server unless it is an external one without the
// test roles; then a server of the test's own.
func ownServer(t *testing.T) *pgtest.Server {
	t.Helper()
	srv := pgtest.Shared()
	if srv.External() {
		return startServer(t, pgtest.Options{Users: []pgtest.User{
			{Name: pwUser, Password: pwPass, Method: "password"},
			{Name: md5User, Password: md5Pass, Method: "md5"},
			{Name: scramUser, Password: scramPass, Method: "scram-sha-256"},
		}})
	}
	return srv
}

// session is who and where a connection ended up, as the server sees it.
type session struct {
	user, database, appName string
	unix                    bool // connected over the unix socket
}

func sessionOf(t *testing.T, c *pg.Conn) session {
	t.Helper()
	rec, err := c.FetchRow(ctxT(t), `SELECT current_user::text, current_database()::text,
		current_setting('application_name'), inet_client_addr() IS NULL`)
	require.NoError(t, err)
	var s session
	require.NoError(t, rec.Scan(&s.user, &s.database, &s.appName, &s.unix))
	return s
}

// TestConnectUnixSocket: a host starting with '/' is a socket directory,
// in a DSN as in a Config; sslmode is ignored there, as in libpq, so even
// require connects, and a password goes over the socket in the clear.
func TestConnectUnixSocket(t *testing.T) {
	t.Parallel()
	srv := ownServer(t)
	dir := srv.SocketDir()
	require.NotEmpty(t, dir, "the test server listens on a unix socket")
	port := strconv.Itoa(srv.Port())
	for _, dsn := range []string{
		"host=" + dir + " port=" + port + " user=postgres dbname=postgres sslmode=require",
		"postgresql://postgres@" + strings.ReplaceAll(dir, "/", "%2F") + ":" + port + "/postgres?sslmode=verify-full&sslrootcert=" + noPassfile,
		"postgresql:///postgres?host=" + dir + "&port=" + port + "&user=" + pwUser + "&password=" + strings.ReplaceAll(pwPass, " ", "%20") + "&sslmode=require&passfile=" + noPassfile,
		"host=" + dir + " port=" + port + " user=" + md5User + " password='" + md5Pass + "' dbname=postgres sslmode=require passfile=" + noPassfile,
	} {
		c, err := pg.Connect(ctxT(t), dsn)
		require.NoError(t, err, dsn)
		s := sessionOf(t, c)
		assert.True(t, s.unix, dsn)
		assert.True(t, c.Host().IsUnixSocket())
		ssl, _, _ := sslInfo(t, c)
		assert.False(t, ssl)
		require.NoError(t, c.Close(ctxT(t)))
	}

	// SCRAM over the socket: no TLS, so no channel binding, and
	// channel_binding=require cannot be met.
	cfg := tcpConfig(srv, scramUser, scramPass)
	cfg.Hosts = []pg.Host{{Host: dir, Port: uint16(srv.Port())}}
	cfg.SSLMode = "require"
	c := connectConfig(t, cfg)
	assert.Equal(t, "SCRAM-SHA-256", pg.AuthMethodOf(c))
	assert.True(t, sessionOf(t, c).unix)
	cfg.ChannelBinding = "require"
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "channel_binding=require, but channel binding cannot be used: the connection is not encrypted")
}

// TestConnectEnvironment connects with nothing but PG* variables, as psql
// does, and checks the DSN overrides them.
func TestConnectEnvironment(t *testing.T) {
	srv := ownServer(t)
	clearPGEnv(t)
	pass := writeTemp(t, "pgpass", []byte(fmt.Sprintf("*:%d:*:%s:%s\n", srv.Port(), md5User, md5Pass)))
	for k, v := range map[string]string{
		"PGHOST": "127.0.0.1", "PGPORT": strconv.Itoa(srv.Port()), "PGUSER": scramUser,
		"PGPASSWORD": scramPass, "PGDATABASE": "postgres", "PGSSLMODE": "disable",
		"PGAPPNAME": "from env", "PGOPTIONS": "-c work_mem=7MB", "PGTZ": "Asia/Tokyo",
		"PGCONNECT_TIMEOUT": "10", "PGTARGETSESSIONATTRS": "read-write",
		"PGREQUIREAUTH": "scram-sha-256", "PGCHANNELBINDING": "prefer", "PGPASSFILE": pass,
	} {
		t.Setenv(k, v)
	}
	c, err := pg.Connect(ctxT(t), "")
	require.NoError(t, err)
	defer c.Close(ctxT(t))
	assert.Equal(t, session{user: scramUser, database: "postgres", appName: "from env"}, sessionOf(t, c))
	assert.Equal(t, "SCRAM-SHA-256", pg.AuthMethodOf(c))
	for setting, want := range map[string]string{"work_mem": "7MB", "TimeZone": "Asia/Tokyo"} {
		got, err := pg.FetchVal[string](ctxT(t), c, "SELECT current_setting($1)", setting)
		require.NoError(t, err)
		assert.Equal(t, want, got, setting)
	}

	// PGREQUIREAUTH applies ...
	_, err = pg.Connect(ctxT(t), "user="+md5User+" password=x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "require_auth=scram-sha-256")
	// ... until the DSN says otherwise; PGPASSWORD then wins over PGPASSFILE.
	_, err = pg.Connect(ctxT(t), "user="+md5User+" require_auth=md5")
	requirePgError(t, err, "28P01")
	// Without a password anywhere but the passfile PGPASSFILE names.
	t.Setenv("PGPASSWORD", "")
	c2, err := pg.Connect(ctxT(t), "user="+md5User+" require_auth=md5 application_name=dsn")
	require.NoError(t, err)
	defer c2.Close(ctxT(t))
	assert.Equal(t, session{user: md5User, database: "postgres", appName: "dsn"}, sessionOf(t, c2))
}

// TestConnectServiceFile connects through a service in the file
// PGSERVICEFILE names, with and without a DSN, and through the servicefile
// option.
func TestConnectServiceFile(t *testing.T) {
	srv := ownServer(t)
	clearPGEnv(t)
	t.Setenv("HOME", t.TempDir()) // no ~/.pg_service.conf, no ~/.pgpass
	t.Setenv("PGSYSCONFDIR", t.TempDir())
	file := writeTemp(t, "pg_service.conf", []byte(fmt.Sprintf(`# test services
[tcp]
host=127.0.0.1
port=%d
user=%s
password=%s
dbname=postgres
sslmode=disable
application_name=svc app

[socket]
host=%s
port=%d
user=postgres
dbname=postgres
`, srv.Port(), scramUser, scramPass, srv.SocketDir(), srv.Port())))

	c, err := pg.Connect(ctxT(t), "service=tcp servicefile="+file)
	require.NoError(t, err)
	assert.Equal(t, session{user: scramUser, database: "postgres", appName: "svc app"}, sessionOf(t, c))
	require.NoError(t, c.Close(ctxT(t)))

	t.Setenv("PGSERVICEFILE", file)
	t.Setenv("PGSERVICE", "socket")
	c, err = pg.Connect(ctxT(t), "")
	require.NoError(t, err)
	assert.Equal(t, session{user: "postgres", database: "postgres", unix: true}, sessionOf(t, c))
	require.NoError(t, c.Close(ctxT(t)))

	// The DSN wins over the service.
	c, err = pg.Connect(ctxT(t), "service=tcp application_name=mine")
	require.NoError(t, err)
	assert.Equal(t, "mine", sessionOf(t, c).appName)
	require.NoError(t, c.Close(ctxT(t)))

	_, err = pg.Connect(ctxT(t), "service=missing")
	var ce *pg.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "service", ce.Option)
	assert.NotContains(t, err.Error(), scramPass)
}

// TestConnectPassfileOption: the passfile option of a DSN, the password
// looked up for the host actually tried (the second, after the first is
// dead), and a wrong one named in the error.
func TestConnectPassfileOption(t *testing.T) {
	t.Parallel()
	srv := ownServer(t)
	dead := deadPort(t)
	file := writeTemp(t, "pgpass", []byte(strings.Join([]string{
		fmt.Sprintf("127.0.0.1:%d:*:*:wrong-for-the-dead-host", dead),
		fmt.Sprintf("127.0.0.1:%d:postgres:%s:%s", srv.Port(), scramUser, strings.ReplaceAll(scramPass, `\`, `\\`)),
	}, "\n")))
	dsn := fmt.Sprintf("host=127.0.0.1,127.0.0.1 port=%d,%d user=%s dbname=postgres sslmode=disable passfile=%s",
		dead, srv.Port(), scramUser, file)
	c, err := pg.Connect(ctxT(t), dsn)
	require.NoError(t, err)
	defer c.Close(ctxT(t))
	assert.Equal(t, scramUser, sessionOf(t, c).user)
	assert.Equal(t, uint16(srv.Port()), c.Host().Port)
}
