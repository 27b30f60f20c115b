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

// Open opens a connection from a DSN (see pg.ParseConfig).
func (d *Driver) Open(dsn string) (driver.Conn, error) {
	c, err := d.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector parses dsn once for every connection database/sql opens.
func (d *Driver) OpenConnector(dsn string) (driver.Connector, error) {
	cfg, err := pg.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	return &connector{cfg: cfg, driver: d}, nil
}

type connector struct {
	cfg    *pg.Config
	driver *Driver
}

func (c *connector) Connect(ctx context.Context) (driver.Conn, error) {
	pc, err := pg.ConnectConfig(ctx, c.cfg)
	if err != nil {
		return nil, err
	}
	return &conn{pc: pc}, nil
}

func (c *connector) Driver() driver.Driver { return c.driver }

// OpenDB returns a *sql.DB whose connections are made from cfg.
func OpenDB(cfg *pg.Config) *sql.DB {
	return sql.OpenDB(&connector{cfg: cfg.Copy(), driver: &Driver{}})
}
