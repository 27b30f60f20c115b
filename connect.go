package pg

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wirepg/pg/codec"
	"github.com/wirepg/pg/internal/lru"
	"github.com/wirepg/pg/pgproto"
)

// Connect parses dsn (see ParseConfig) and opens a connection.
func Connect(ctx context.Context, dsn string) (*Conn, error) {
	cfg, err := ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return ConnectConfig(ctx, cfg)
}

// ConnectConfig opens a connection described by cfg, trying each host in
// order until one accepts and matches cfg.TargetSessionAttrs. The error,
// when every host fails, lists each host with its reason.
func ConnectConfig(ctx context.Context, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	hosts := cfg.Hosts
	if len(hosts) == 0 {
		hosts = defaultHosts()
	}
	var attempts []HostError
	for _, h := range hosts {
		c, err := connectHost(ctx, cfg, h)
		if err == nil {
			return c, nil
		}
		attempts = append(attempts, HostError{Host: h, Err: err})
		if ctx.Err() != nil {
			break
		}
	}
	return nil, &ConnectError{Attempts: attempts}
}

// defaultHosts is libpq's default: the unix socket directory when it
// exists, else localhost.
func defaultHosts() []Host {
	if st, err := os.Stat("/var/run/postgresql"); err == nil && st.IsDir() {
		return []Host{{Host: "/var/run/postgresql"}}
	}
	return []Host{{Host: "localhost"}}
}

// HostError is one failed connection attempt.
type HostError struct {
	Host Host
	Err  error
}

// ConnectError reports that no host accepted the connection.
type ConnectError struct {
	Attempts []HostError
}

func (e *ConnectError) Error() string {
	if len(e.Attempts) == 1 {
		a := e.Attempts[0]
		return fmt.Sprintf("pg: connect to %s failed: %v", hostLabel(a.Host), a.Err)
	}
	var b strings.Builder
	b.WriteString("pg: connect failed on every host:")
	for _, a := range e.Attempts {
		fmt.Fprintf(&b, "\n  %s: %v", hostLabel(a.Host), a.Err)
	}
	return b.String()
}

// Unwrap exposes every attempt's error to errors.Is and errors.As.
func (e *ConnectError) Unwrap() []error {
	errs := make([]error, len(e.Attempts))
	for i, a := range e.Attempts {
		errs[i] = a.Err
	}
	return errs
}

func hostLabel(h Host) string {
	network, addr := h.network()
	if network == "unix" {
		return addr
	}
	return addr
}

func (h Host) port() uint16 {
	if h.Port == 0 {
		return DefaultPort
	}
	return h.Port
}

// network returns the dial network and address: a unix socket path
// <dir>/.s.PGSQL.<port>, or host:port (HostAddr first when set).
func (h Host) network() (string, string) {
	port := strconv.Itoa(int(h.port()))
	if h.IsUnixSocket() {
		return "unix", strings.TrimSuffix(h.Host, "/") + "/.s.PGSQL." + port
	}
	host := h.Host
	if h.HostAddr != "" {
		host = h.HostAddr
	}
	if host == "" {
		host = "localhost"
	}
	return "tcp", net.JoinHostPort(host, port)
}

func (c *Conn) dialHost(ctx context.Context, h Host) (net.Conn, error) {
	network, addr := h.network()
	if c.cfg.DialFunc != nil {
		return c.cfg.DialFunc(ctx, network, addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, network, addr)
}

func connectHost(ctx context.Context, cfg *Config, h Host) (*Conn, error) {
	if cfg.ConnectTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.ConnectTimeout)
		defer cancel()
	}
	c := &Conn{
		cfg:         cfg,
		host:        h,
		params:      make(map[string]string, 16),
		txStatus:    'I',
		types:       codec.Default(),
		typesShared: true,
		wbuf:        make([]byte, 0, 4096),
	}
	if n := cfg.statementCacheSize(); n > 0 {
		c.stmts = lru.New[string, *stmtDesc](n)
	}
	netConn, err := c.dialHost(ctx, h)
	if err != nil {
		return nil, err
	}
	c.netConn = netConn
	// Until the session is ready, the context's deadline is the socket's,
	// and cancelling the context closes the socket.
	if dl, ok := ctx.Deadline(); ok {
		_ = netConn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = netConn.SetDeadline(time.Now()) })
	err = c.startup(ctx)
	if !stop() || ctx.Err() != nil {
		if err == nil {
			err = ctx.Err()
		} else {
			err = fmt.Errorf("%w: %v", ctx.Err(), err)
		}
	}
	if err != nil {
		_ = netConn.Close()
		return nil, err
	}
	_ = netConn.SetDeadline(time.Time{})
	return c, nil
}

// startup negotiates TLS, sends the StartupMessage, authenticates and reads
// the session's parameters up to the first ReadyForQuery.
func (c *Conn) startup(ctx context.Context) error {
	netConn, err := c.negotiateTLS(ctx, c.netConn)
	if err != nil {
		return err
	}
	c.netConn = netConn
	c.r = pgproto.NewReader(c.netConn, c.cfg.readBufferSize())
	c.r.SetMaxMessageSize(c.cfg.maxMessageSize())

	msg := &pgproto.StartupMessage{ProtocolVersion: pgproto.ProtocolVersion30, Parameters: c.startupParameters()}
	if c.wbuf, err = msg.Encode(c.wbuf[:0]); err != nil {
		return err
	}
	if _, err := c.netConn.Write(c.wbuf); err != nil {
		return err
	}
	if err := c.authenticate(); err != nil {
		return err
	}
	for {
		typ, body, err := c.r.ReadMessage()
		if err != nil {
			return err
		}
		switch typ {
		case pgproto.MsgBackendKeyData:
			var k pgproto.BackendKeyData
			if err := k.Decode(body); err != nil {
				return err
			}
			c.pid, c.secretKey = k.ProcessID, k.SecretKey
		case pgproto.MsgParameterStatus:
			var ps pgproto.ParameterStatus
			if err := ps.Decode(body); err != nil {
				return err
			}
			c.params[ps.Name] = ps.Value
		case pgproto.MsgReadyForQuery:
			var z pgproto.ReadyForQuery
			if err := z.Decode(body); err != nil {
				return err
			}
			c.txStatus = z.TxStatus
			return nil
		case pgproto.MsgErrorResponse:
			return c.startupError(body)
		case pgproto.MsgNoticeResponse:
			c.handleNotice(body)
		case pgproto.MsgNegotiateProtocolVersion:
			// The server speaks an older minor version or ignores
			// _pq_ options; 3.0 is all we ask for, so go on.
		default:
			return &pgproto.ProtocolError{Msg: fmt.Sprintf("unexpected message %q during startup", typ)}
		}
	}
}

func (c *Conn) startupError(body []byte) error {
	var er pgproto.ErrorResponse
	if err := er.Decode(body); err != nil {
		return err
	}
	return pgErrorFrom(&er)
}

func (c *Conn) startupParameters() map[string]string {
	p := make(map[string]string, 8+len(c.cfg.RuntimeParams))
	for k, v := range c.cfg.RuntimeParams {
		p[k] = v
	}
	p["user"] = c.user()
	db := c.cfg.Database
	if db == "" {
		db = c.user()
	}
	p["database"] = db
	if c.cfg.ApplicationName != "" {
		p["application_name"] = c.cfg.ApplicationName
	}
	if c.cfg.Options != "" {
		p["options"] = c.cfg.Options
	}
	// The driver parses text results (notably of unknown types) assuming
	// UTF-8 and ISO dates, so these are not negotiable.
	p["client_encoding"] = "UTF8"
	p["DateStyle"] = "ISO"
	return p
}

func (c *Conn) user() string {
	if c.cfg.User != "" {
		return c.cfg.User
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "postgres"
}

var errAuthUnsupported = errors.New("authentication method not supported")
