package pg_test

import (
	"net"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/wirepg/pg"
	"github.com/wirepg/pg/pgproto"
)

// A malformed ErrorResponse is reported as the protocol error it is, on
// the simple and the extended protocol, not as the "use of closed network
// connection" of a read after the driver closed the connection.
func TestMalformedErrorResponseIsReported(t *testing.T) {
	t.Parallel()
	port := fakeServer(t, func(c net.Conn) error {
		if err := send(c, &pgproto.AuthenticationOk{}, &pgproto.BackendKeyData{ProcessID: 1, SecretKey: []byte{0, 0, 0, 1}}, &pgproto.ReadyForQuery{TxStatus: 'I'}); err != nil {
			return err
		}
		for {
			typ, _, err := readMessage(c)
			if err != nil {
				return err
			}
			if typ == 'Q' || typ == 'S' {
				// An 'S' field without its terminating NUL, and no
				// ReadyForQuery: the driver must report the error
				// without reading on (it closes the connection).
				if err := send(c, rawMessage{typ: 'E', body: []byte("SERROR")}); err != nil {
					return err
				}
			}
		}
	})
	for _, args := range [][]any{nil, {1}} {
		c, err := pg.ConnectConfig(ctxT(t), fakeConfig(port))
		require.NoError(t, err)
		_, err = c.Exec(ctxT(t), "SELECT $1::int", args...)
		require.Error(t, err)
		var pe *pgproto.ProtocolError
		assert.ErrorAs(t, err, &pe, "args %v: %v", args, err)
		t.Log(err)
		assert.NotContains(t, err.Error(), "use of closed network connection")
		assert.True(t, c.IsClosed())
		c.Terminate()
	}
}
