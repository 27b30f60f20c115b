package stdlib

import (
	"context"
	"database/sql"
	"database/sql/driver"

	"github.com/wirepg/pg"
)

func init() {
	sql.Register("pg", &Driver{})
}

// Driver is the database/sql driver. It is registered as "pg".
type Driver struct{}

var _ driver.DriverContext = (*Driver)(nil)

// Open opens a connection from a DSN (see pg.ParseConfig) or from a name
// RegisterConnConfig returned.
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn once for every connection database/sql opens;
// a name from RegisterConnConfig stands for its Config.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	if cfg := registeredConfig(dsn); cfg != nil {
		return &connector{cfg: cfg, driver: d}, nil
	}
	cfg, err := pg.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return &connector{cfg: cfg, driver: d}, nil
}

// connector makes database/sql's connections: from a Config, or leased
// from a pg.Pool.
type connector struct {
	cfg    *pg.Config
	pool   *pg.Pool
	driver *Driver
	opts   options
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.pool != nil {
		return c.lease(ctx)
	}
	cfg := c.cfg
	if c.opts.beforeConnect != nil {
		// Each connection gets its own copy to change (a fresh password,
		// another host), as pgx's stdlib does.
		cfg = cfg.Copy()
		if err := c.opts.beforeConnect(ctx, cfg); err != nil {
			return nil, err
		}
	}
	pc, err := pg.ConnectConfig(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cn := &conn{pc: pc, opts: &c.opts}
	if err := cn.afterConnect(ctx); err != nil {
		return nil, err
	}
	return cn, nil
}

// lease takes a connection from the pool for as long as database/sql
// keeps it open; its Close releases it.
func (c *connector) lease(ctx context.Context) (driver.Conn, error) {
	pc, err := c.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	cn := &conn{pc: pc.Conn(), lease: pc, opts: &c.opts}
	if err := cn.afterConnect(ctx); err != nil {
		return nil, err
	}
	return cn, nil
}

func (c *connector) Driver() driver.Driver { return c.driver }

// OpenDB returns a *sql.DB whose connections are made from cfg (copied,
// so later changes to cfg do not reach it), with the options' hooks.
func OpenDB(cfg *pg.Config, opts ...Option) *sql.DB {
	c := &connector{cfg: cfg.Copy(), driver: &Driver{}}
	for _, o := range opts {
		o(&c.opts)
	}
	return sql.OpenDB(c)
}

// OpenDBFromPool returns a *sql.DB whose connections are leased from
// pool: each connection database/sql opens is one Acquire, held until
// database/sql closes it (then Release resets its session and returns it
// to the pool). database/sql keeps idle connections of its own, so bound
// them below the pool's size (SetMaxIdleConns, SetMaxOpenConns,
// SetConnMaxIdleTime) or they keep the pool's connections from its other
// users. Closing the DB releases its connections; it does not close pool.
func OpenDBFromPool(pool *pg.Pool, opts ...Option) *sql.DB {
	c := &connector{pool: pool, driver: &Driver{}}
	for _, o := range opts {
		o(&c.opts)
	}
	return sql.OpenDB(c)
}
