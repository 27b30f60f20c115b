package pg_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgtest"
	"github.com/wirepg/pg/sqlstate"
)

// TestAuthMatrix: each authentication method, succeeding and failing (a
// wrong password is 28P01), under every sslmode against a TLS server. The
// server is started here because the shared one has no TLS. allow starts
// without TLS and prefer with it; cert_user's hostnossl reject rule makes
// allow retry with TLS, as libpq does.
func TestAuthMatrix(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	certFile, keyFile, err := srv.TLS().ClientCert(certUser)
	require.NoError(t, err)
	for _, tc := range []struct {
		user, pass, method string
	}{
		{"postgres", "", ""}, // trust
		{pwUser, pwPass, "password"},
		{md5User, md5Pass, "md5"},
		{scramUser, scramPass, "SCRAM-SHA-256"},
		{certUser, "", ""}, // cert: TLS only
	} {
		for _, mode := range []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"} {
			t.Run(tc.user+"/"+mode, func(t *testing.T) {
				t.Parallel()
				cfg := tcpConfig(srv, tc.user, tc.pass)
				cfg.Hosts[0].Host = "localhost"
				cfg.SSLMode, cfg.SSLRootCert = mode, srv.TLS().RootCert
				if tc.user == certUser {
					cfg.SSLCert, cfg.SSLKey = certFile, keyFile
				}
				c, err := pg.ConnectConfig(ctxT(t), cfg)
				if tc.user == certUser && mode == "disable" {
					requirePgError(t, err, sqlstate.InvalidAuthorizationSpecification)
					return
				}
				require.NoError(t, err)
				defer c.Close(ctxT(t))
				wantTLS := mode != "disable" && (mode != "allow" || tc.user == certUser)
				ssl, _, _ := sslInfo(t, c)
				assert.Equal(t, wantTLS, ssl)
				method := tc.method
				if method == "SCRAM-SHA-256" && wantTLS {
					method += "-PLUS"
				}
				assert.Equal(t, method, pg.AuthMethodOf(c))
				who, err := pg.FetchVal[string](ctxT(t), c, "SELECT current_user")
				require.NoError(t, err)
				assert.Equal(t, tc.user, who)

				if tc.pass != "" {
					cfg.Password = "wrong " + tc.pass
					_, err := pg.ConnectConfig(ctxT(t), cfg)
					requirePgError(t, err, sqlstate.InvalidPassword)
					assert.NotContains(t, err.Error(), cfg.Password)
				}
			})
		}
	}
}

// TestRequireAuth: the server's method must be in the require_auth list
// (or, negated, not in it), and the client refuses before it sends a
// password — the password callback is not even asked.
func TestRequireAuth(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	if srv.External() {
		t.Skip("needs the shared server's roles, which PGTEST_DSN does not create")
	}
	for _, tc := range []struct {
		user, pass, requireAuth string
		ok                      bool
	}{
		{scramUser, scramPass, "scram-sha-256", true},
		{scramUser, scramPass, "password,md5,scram-sha-256", true},
		{scramUser, scramPass, "!password,!md5", true},
		{scramUser, scramPass, "md5", false},
		{scramUser, scramPass, "!scram-sha-256", false},
		{scramUser, scramPass, "none", false},
		{md5User, md5Pass, "md5", true},
		{md5User, md5Pass, "scram-sha-256", false},
		{md5User, md5Pass, "!md5", false},
		{pwUser, pwPass, "password", true},
		{pwUser, pwPass, "!password", false},
		{pwUser, pwPass, "md5,scram-sha-256", false},
		{"postgres", "", "none", true},
		{"postgres", "", "!md5", true},
		{"postgres", "", "scram-sha-256", false},
		{"postgres", "", "!none", false},
	} {
		t.Run(tc.user+"/"+tc.requireAuth, func(t *testing.T) {
			t.Parallel()
			cfg := tcpConfig(srv, tc.user, "")
			cfg.RequireAuth = tc.requireAuth
			var asked atomic.Int32
			cfg.PasswordFunc = func(context.Context, pg.Host) (string, error) {
				asked.Add(1)
				return tc.pass, nil
			}
			_, err := tryConnect(t, cfg)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), "require_auth="+tc.requireAuth)
			var pgErr *pg.PgError
			assert.False(t, errors.As(err, &pgErr), "refused by the client, not the server: %v", err)
			assert.Zero(t, asked.Load(), "no password is fetched for a refused method")
		})
	}

	cfg := tcpConfig(srv, "postgres", "")
	cfg.RequireAuth = "scram"
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	var ce *pg.ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "require_auth", ce.Option)
}

// TestPasswordFunc: the callback supplies the password for every new
// connection (a rotating token), gets the host, wins over Password, and
// its error fails the attempt.
func TestPasswordFunc(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	if srv.External() {
		t.Skip("needs the shared server's roles, which PGTEST_DSN does not create")
	}
	var (
		mu    sync.Mutex
		hosts []pg.Host
	)
	cfg := tcpConfig(srv, scramUser, "stale password")
	cfg.PasswordFunc = func(ctx context.Context, h pg.Host) (string, error) {
		require.NotNil(t, ctx)
		mu.Lock()
		hosts = append(hosts, h)
		mu.Unlock()
		return scramPass, nil
	}
	for i := 0; i < 3; i++ {
		c := connectConfig(t, cfg)
		assert.Equal(t, "SCRAM-SHA-256", pg.AuthMethodOf(c))
	}
	mu.Lock()
	assert.Equal(t, []pg.Host{cfg.Hosts[0], cfg.Hosts[0], cfg.Hosts[0]}, hosts)
	mu.Unlock()

	boom := errors.New("token service down")
	cfg.PasswordFunc = func(context.Context, pg.Host) (string, error) { return "", boom }
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	require.ErrorIs(t, err, boom)
	assert.Contains(t, err.Error(), "PasswordFunc")

	// Not called when the server asks for no password.
	called := false
	cfg = tcpConfig(srv, "postgres", "")
	cfg.PasswordFunc = func(context.Context, pg.Host) (string, error) { called = true; return "x", nil }
	connectConfig(t, cfg)
	assert.False(t, called)
}

// TestNoPassword: a server asking for a password nobody configured.
func TestNoPassword(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	if srv.External() {
		t.Skip("needs the shared server's roles, which PGTEST_DSN does not create")
	}
	for _, user := range []string{pwUser, md5User, scramUser} {
		_, err := pg.ConnectConfig(ctxT(t), tcpConfig(srv, user, ""))
		require.ErrorIs(t, err, pg.ErrNoPassword, user)
		assert.Contains(t, err.Error(), "passfile")
	}
}

// TestPassfile: the password comes from the passfile at connect time,
// matched on host, port, database and user, over TCP and the unix socket;
// a file others can read is ignored with a warning, as libpq does.
func TestPassfile(t *testing.T) {
	t.Parallel()
	srv := pgtest.Shared()
	if srv.External() {
		t.Skip("needs the shared server's roles, which PGTEST_DSN does not create")
	}
	port := strconv.Itoa(srv.Port())
	lines := []string{
		"# comment",
		"127.0.0.1:" + port + ":postgres:" + scramUser + ":" + scramPass,
		"otherhost:*:*:" + md5User + ":wrong",
		"*:" + port + ":*:" + md5User + ":" + md5Pass,
		"localhost:" + port + ":postgres:" + pwUser + ":" + strings.ReplaceAll(pwPass, ":", `\:`),
		"*:*:*:wrong_user:nope",
	}
	file := writeTemp(t, "pgpass", []byte(strings.Join(lines, "\n")+"\n"))

	for _, user := range []string{scramUser, md5User} {
		cfg := tcpConfig(srv, user, "")
		cfg.Passfile = file
		c := connectConfig(t, cfg)
		who, err := pg.FetchVal[string](ctxT(t), c, "SELECT current_user")
		require.NoError(t, err)
		assert.Equal(t, user, who)
	}

	// Over the unix socket, "localhost" lines match.
	if dir := srv.SocketDir(); dir != "" {
		cfg := tcpConfig(srv, pwUser, "")
		cfg.Hosts = []pg.Host{{Host: dir, Port: uint16(srv.Port())}}
		cfg.Passfile = file
		connectConfig(t, cfg)
	}

	// No matching line: no password.
	cfg := tcpConfig(srv, pwUser, "")
	cfg.Passfile = file
	_, err := pg.ConnectConfig(ctxT(t), cfg)
	require.ErrorIs(t, err, pg.ErrNoPassword)

	// A wrong password from the file says where it came from.
	bad := writeTemp(t, "pgpass", []byte("*:*:*:"+scramUser+":wrong\n"))
	cfg = tcpConfig(srv, scramUser, "")
	cfg.Passfile = bad
	_, err = pg.ConnectConfig(ctxT(t), cfg)
	requirePgError(t, err, sqlstate.InvalidPassword)
	assert.Contains(t, err.Error(), fmt.Sprintf("password retrieved from file %q", bad))

	// Group or world access: ignored, with a warning.
	require.NoError(t, os.Chmod(file, 0o644))
	var warnings []string
	cfg = tcpConfig(srv, scramUser, "")
	cfg.Passfile = file
	cfg.OnNotice = func(n *pg.Notice) { warnings = append(warnings, n.Severity+": "+n.Message) }
	_, err = pg.ConnectConfig(ctxT(t), cfg)
	require.ErrorIs(t, err, pg.ErrNoPassword)
	require.Len(t, warnings, 1)
	assert.Contains(t, warnings[0], "WARNING: password file")
	assert.Contains(t, warnings[0], "group or world access")

	// Not a plain file (libpq's check, before the mode's): ignored, with
	// a warning. A passfile that does not exist is skipped silently.
	for path, warning := range map[string]string{os.DevNull: "is not a plain file", noPassfile: ""} {
		warnings = nil
		cfg = tcpConfig(srv, scramUser, "")
		cfg.Passfile = path
		cfg.OnNotice = func(n *pg.Notice) { warnings = append(warnings, n.Severity+": "+n.Message) }
		_, err = pg.ConnectConfig(ctxT(t), cfg)
		require.ErrorIs(t, err, pg.ErrNoPassword)
		if warning == "" {
			assert.Empty(t, warnings, path)
			continue
		}
		require.Len(t, warnings, 1, path)
		assert.Equal(t, fmt.Sprintf("WARNING: password file %q %s", path, warning), warnings[0])
	}

	// An explicit password wins over the file.
	require.NoError(t, os.Chmod(file, 0o600))
	cfg = tcpConfig(srv, scramUser, scramPass)
	cfg.Passfile = bad
	connectConfig(t, cfg)
}

// TestSCRAMSASLprep: the server prepares a SCRAM password with SASLprep
// when it stores the verifier, so the client must too: the password as
// typed and its normalized form both log in, over TLS (with channel
// binding) and without; a password that normalizes differently does not.
func TestSCRAMSASLprep(t *testing.T) {
	t.Parallel()
	srv := startTLSServer(t)
	for _, mode := range []string{"disable", "require"} {
		for pass, ok := range map[string]bool{
			saslprepPass: true, saslprepNormal: true, "password \ufb01X \u2168 caf\u00e9": true,
			"password fiX IX cafe": false, "password fiX \u2168 cafe\u0300": false,
		} {
			cfg := tcpConfig(srv, saslprepUser, pass)
			cfg.SSLMode = mode
			c, err := pg.ConnectConfig(ctxT(t), cfg)
			if !ok {
				requirePgError(t, err, sqlstate.InvalidPassword)
				continue
			}
			require.NoError(t, err, "%s %q", mode, pass)
			want := "SCRAM-SHA-256"
			if mode == "require" {
				want += "-PLUS"
			}
			assert.Equal(t, want, pg.AuthMethodOf(c))
			require.NoError(t, c.Close(ctxT(t)))
		}
	}
	// Prepared as pg_saslprep prepares it (checks before normalization),
	// the ligature logs in; so does its normalized form, sent as it is.
	for _, pass := range []string{saslprepBidiPass, "\u0649\u0670"} {
		c, err := pg.ConnectConfig(ctxT(t), tcpConfig(srv, saslprepBidiUser, pass))
		require.NoError(t, err, "%+q", pass)
		require.NoError(t, c.Close(ctxT(t)))
	}
}
