package pg

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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
// order (shuffled for this connection with load_balance_hosts=random)
// until one accepts and matches cfg.TargetSessionAttrs; with
// prefer-standby, a second pass takes any host when none is a standby, as
// libpq does. ConnectTimeout bounds each host on its own. The error, when
// every host fails, is a *ConnectError listing each host with its reason;
// errors.As finds a *PgError among them (28P01 for a wrong password). A
// Config that cannot work is reported as a *ConfigError before any host is
// tried.
func ConnectConfig(ctx context.Context, cfg *Config) (*Conn, error) {
	if cfg != nil && cfg.Tracer != nil && cfg.Tracer.ConnectStart != nil {
		return traceConnect(ctx, cfg)
	}
	return connectConfig(ctx, cfg)
}

// connectConfig is ConnectConfig, unobserved.
func connectConfig(ctx context.Context, cfg *Config) (*Conn, error) {
	if cfg == nil {
		cfg = &Config{}
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	hosts := cfg.Hosts
	if len(hosts) == 0 {
		hosts = defaultHosts()
	}
	if cfg.LoadBalanceHosts == "random" && len(hosts) > 1 {
		// libpq 16 shuffles once per connection (Fisher-Yates), and the
		// prefer-standby second pass keeps that order.
		hosts = slices.Clone(hosts)
		rand.Shuffle(len(hosts), func(i, j int) { hosts[i], hosts[j] = hosts[j], hosts[i] })
	}
	want := cfg.TargetSessionAttrs
	var attempts []HostError
	for {
		for _, h := range hosts {
			c, err := connectHost(ctx, cfg, h, want)
			if err == nil {
				return c, nil
			}
			attempts = append(attempts, HostError{Host: h, Err: err})
			if ctx.Err() != nil || deadlinePassed(ctx) {
				return nil, &ConnectError{Attempts: attempts}
			}
		}
		if want != "prefer-standby" {
			return nil, &ConnectError{Attempts: attempts}
		}
		want = "any"
	}
}

// defaultHosts is libpq's default: the unix socket directory when it
// exists, else localhost.
func defaultHosts() []Host {
	if st, err := os.Stat("/var/run/postgresql"); err == nil && st.IsDir() {
		return []Host{{Host: "/var/run/postgresql"}}
	}
	return []Host{{Host: "localhost"}}
}

// HostError is one host's failure. Err holds two errors when sslmode
// allow or prefer retried with the other encryption.
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

// hostLabel names a host in errors: the address dialled, and the host
// name too when hostaddr replaced it.
func hostLabel(h Host) string {
	_, addr := h.network()
	if h.HostAddr != "" && h.Host != "" {
		return h.Host + " (" + addr + ")"
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
	dial := c.cfg.DialFunc
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	nc, err := dial(ctx, network, addr)
	if tc, ok := nc.(*net.TCPConn); ok && err == nil {
		// Go's dialer sets it already, but a DialFunc may not have: every
		// request goes out in one write, and Nagle would hold it back
		// waiting for the ACK of the previous one.
		_ = tc.SetNoDelay(true)
		if err = c.cfg.setTCPOptions(tc); err != nil {
			_ = nc.Close()
			return nil, err
		}
	}
	return nc, err
}

// connectBoundForTest, when positive, replaces DefaultConnectTimeout (a
// test cannot wait a minute).
var connectBoundForTest atomic.Int64

// connectHost connects to one host within connect_timeout, making a second
// attempt with the other encryption where sslmode allow or prefer says so.
// Without connect_timeout and without a ctx deadline, DefaultConnectTimeout
// bounds the host.
func connectHost(ctx context.Context, cfg *Config, h Host, want string) (*Conn, error) {
	hostCtx := ctx
	timeout, what := cfg.ConnectTimeout, "connect_timeout"
	if _, ok := ctx.Deadline(); !ok && timeout <= 0 {
		timeout, what = DefaultConnectTimeout, "default connect timeout"
		if d := connectBoundForTest.Load(); d > 0 {
			timeout = time.Duration(d)
		}
	}
	if timeout > 0 {
		var cancel context.CancelFunc
		hostCtx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	plan := cfg.encryptionPlan(h)
	var errs []error
	for i, enc := range plan {
		c, retry, err := connectAttempt(hostCtx, cfg, h, enc, want)
		if err == nil {
			return c, nil
		}
		// The socket deadline can fire a moment before the context's
		// timer does, so the clock decides whether the timeout expired.
		expired := hostCtx.Err() != nil || deadlinePassed(hostCtx)
		if expired && timeout > 0 && ctx.Err() == nil && !deadlinePassed(ctx) {
			err = fmt.Errorf("%s (%v) expired: %w", what, timeout, err)
		}
		errs = append(errs, err)
		if !retry || i+1 == len(plan) || expired {
			break
		}
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	return nil, &fallbackError{errs: errs, retriedTLS: plan[1] == encTLS}
}

// deadlinePassed reports whether ctx's deadline is behind us, even if its
// timer has not fired yet.
func deadlinePassed(ctx context.Context) bool {
	dl, ok := ctx.Deadline()
	return ok && !time.Now().Before(dl)
}

// fallbackError is a host that failed with and without TLS.
type fallbackError struct {
	errs       []error
	retriedTLS bool
}

func (e *fallbackError) Error() string {
	if e.retriedTLS {
		return fmt.Sprintf("%v; retried with TLS (sslmode=allow): %v", e.errs[0], e.errs[1])
	}
	return fmt.Sprintf("%v; retried without TLS (sslmode=prefer): %v", e.errs[0], e.errs[1])
}

func (e *fallbackError) Unwrap() []error { return e.errs }

// connectAttempt makes one connection with one encryption choice. retry
// says whether libpq would try again with the other choice: after a failed
// TLS setup, or after a server error during startup on a connection that
// used TLS (prefer) or did not (allow) — except 57P03 "cannot connect
// now", which no encryption changes.
func connectAttempt(ctx context.Context, cfg *Config, h Host, enc encryption, want string) (c *Conn, retry bool, err error) {
	c = &Conn{
		cfg:         cfg,
		host:        h,
		params:      make(map[string]string, 16),
		txStatus:    'I',
		types:       codec.Default(),
		typesShared: true,
		wbuf:        make([]byte, 0, 4096),
		released:    make(chan struct{}, 1),
	}
	if n := cfg.statementCacheSize(); n > 0 {
		c.stmts = lru.New[string, *stmtDesc](n)
	}
	netConn, err := c.dialHost(ctx, h)
	if err != nil {
		return nil, false, contextCause(ctx, err)
	}
	c.netConn = netConn
	c.rawConn = netConn
	// Until the session is ready, the context's deadline is the socket's,
	// and cancelling the context closes the socket.
	if dl, ok := ctx.Deadline(); ok {
		_ = netConn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = netConn.SetDeadline(time.Now()) })
	err = c.startup(ctx, enc)
	if err != nil {
		var tlsErr *tlsError
		var pgErr *PgError
		switch {
		case errors.As(err, &tlsErr):
			retry = enc == encTLS
		case errors.As(err, &pgErr) && pgErr.Code != "57P03":
			retry = (enc == encTLS && c.sec.tlsConn != nil) || enc == encPlain
			if pgErr.Code == "28P01" && c.sec.passfile != "" {
				err = fmt.Errorf("%w (password retrieved from file %q)", err, c.sec.passfile)
			}
		}
	} else if err = c.checkSessionAttrs(want); err != nil {
		// Leave politely, as libpq does, so the server logs no EOF.
		c.wbuf, _ = (&pgproto.Terminate{}).Encode(c.wbuf[:0])
		_, _ = c.netConn.Write(c.wbuf)
	}
	if ended := !stop() || ctx.Err() != nil; ended || (err != nil && deadlinePassed(ctx)) {
		// The socket deadline is the context's, and fires a moment before
		// the context's own timer: the clock decides, so the error matches
		// context.DeadlineExceeded whenever the deadline passed.
		retry = false
		if err == nil {
			err = ctx.Err()
		} else {
			err = contextCause(ctx, err)
		}
	}
	if err != nil {
		_ = netConn.Close()
		return nil, retry, err
	}
	_ = netConn.SetDeadline(time.Time{})
	c.useSessionZone()
	c.initWatch()
	return c, false, nil
}

// contextCause marks err as the context's doing when ctx has ended or its
// deadline has passed (its timer may not have fired yet).
func contextCause(ctx context.Context, err error) error {
	ctxErr := ctx.Err()
	if ctxErr == nil {
		if !deadlinePassed(ctx) {
			return err
		}
		ctxErr = context.DeadlineExceeded
	}
	if errors.Is(err, ctxErr) {
		return err
	}
	return fmt.Errorf("%w: %v", ctxErr, err)
}
