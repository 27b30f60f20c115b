package pg_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/sqlstate"
)

// TestAuthPlainServer is the other half of the auth × sslmode matrix
// (TestAuthMatrix has the TLS server): against a server without TLS,
// disable, allow and prefer authenticate in the clear (SCRAM without
// channel binding), and a wrong password is 28P01; require, verify-ca and
// verify-full give up when the server refuses TLS, before it can ask for a
// password — the password callback is never called.
func TestAuthPlainServer(t *testing.T) {
	t.Parallel()
	plain := ownServer(t)
	root := writeTemp(t, "root.crt", newTestCA(t).pem)
	for _, tc := range []struct{ user, pass, method string }{
		{"postgres", "", ""},
		{pwUser, pwPass, "password"},
		{md5User, md5Pass, "md5"},
		{scramUser, scramPass, "SCRAM-SHA-256"},
	} {
		for _, mode := range []string{"disable", "allow", "prefer", "require", "verify-ca", "verify-full"} {
			t.Run(tc.user+"/"+mode, func(t *testing.T) {
				t.Parallel()
				cfg := tcpConfig(plain, tc.user, "")
				cfg.SSLMode = mode
				if mode == "verify-ca" || mode == "verify-full" {
					cfg.SSLRootCert = root
				}
				var asked atomic.Int32
				password := tc.pass
				cfg.PasswordFunc = func(context.Context, pg.Host) (string, error) { asked.Add(1); return password, nil }
				c, err := pg.ConnectConfig(ctxT(t), cfg)
				if mode != "disable" && mode != "allow" && mode != "prefer" {
					require.Error(t, err)
					assert.Contains(t, err.Error(), "does not accept TLS connections")
					assert.Zero(t, asked.Load(), "password fetched for an unencrypted session")
					return
				}
				require.NoError(t, err)
				defer c.Close(ctxT(t))
				ssl, _, _ := sslInfo(t, c)
				assert.False(t, ssl)
				assert.Equal(t, tc.method, pg.AuthMethodOf(c))
				if tc.pass == "" {
					assert.Zero(t, asked.Load())
					return
				}
				password = "wrong " + tc.pass
				_, err = pg.ConnectConfig(ctxT(t), cfg)
				requirePgError(t, err, sqlstate.InvalidPassword)
				assert.NotContains(t, err.Error(), password)
			})
		}
	}
}
