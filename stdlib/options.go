package stdlib

import (
	"context"

	"github.com/wirepg/pg"
)

// Option sets a hook of OpenDB and OpenDBFromPool.
type Option func(*options)

type options struct {
	beforeConnect func(context.Context, *pg.Config) error
	afterConnect  func(context.Context, *pg.Conn) error
	resetSession  func(context.Context, *pg.Conn) error
}

// OptionBeforeConnect runs f before each new connection with a copy of
// the Config that f may change (a short-lived password, a host). An error
// fails the connection attempt. Not used by OpenDBFromPool, whose pool
// connects.
func OptionBeforeConnect(f func(ctx context.Context, cfg *pg.Config) error) Option {
	return func(o *options) { o.beforeConnect = f }
}

// OptionAfterConnect runs f once on each connection database/sql opens
// (with OpenDBFromPool: on each lease), before its first use: for SET
// commands, SetTypeCodec and the like. An error closes the connection
// (returns the lease) and fails the attempt.
func OptionAfterConnect(f func(ctx context.Context, c *pg.Conn) error) Option {
	return func(o *options) { o.afterConnect = f }
}

// OptionResetSession runs f each time database/sql takes an idle
// connection for reuse. An error makes database/sql discard the
// connection and use another: return driver.ErrBadConn for that, as
// database/sql only discards on it.
func OptionResetSession(f func(ctx context.Context, c *pg.Conn) error) Option {
	return func(o *options) { o.resetSession = f }
}

// afterConnect runs the AfterConnect hook on a new connection, closing it
// when the hook fails.
func (c *conn) afterConnect(ctx context.Context) error {
	if c.opts.afterConnect == nil {
		return nil
	}
	if err := c.opts.afterConnect(ctx, c.pc); err != nil {
		_ = c.Close()
		return err
	}
	return nil
}
