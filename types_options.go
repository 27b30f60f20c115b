package pg

import (
	"time"

	"github.com/wirepg/pg/codec"
)

// SetJSONCodec makes the connection marshal and unmarshal json and jsonb
// values (and arrays of them) with j instead of encoding/json, e.g. a faster
// library. It does no I/O; cached statements are dropped, as they hold the
// old codec. With a Pool, call it in PoolConfig.Init.
func (c *Conn) SetJSONCodec(j codec.JSONCodec) error {
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	c.ownTypes()
	c.types.SetJSONCodec(j)
	c.ResetStatementCache()
	return nil
}

// SetTimestamptzLocation sets the location timestamptz values decode in.
// By default they are instants in UTC. A non-nil loc presents them in loc;
// nil presents them in the session's TimeZone setting, followed as SET
// TimeZone changes it (a zone name Go's time package does not know falls
// back to UTC). Arrays and ranges of timestamptz follow too. It does no I/O.
func (c *Conn) SetTimestamptzLocation(loc *time.Location) error {
	if err := c.acquire(); err != nil {
		return err
	}
	defer c.release()
	locate := func() *time.Location { return loc }
	if loc == nil {
		locate = c.sessionLocation()
	}
	c.ownTypes()
	c.types.Register(codec.NewTimestamptzType(locate))
	c.ResetStatementCache()
	return nil
}

// sessionLocation returns a func giving the location of the session's
// TimeZone parameter, loading it once per name the server reports.
func (c *Conn) sessionLocation() func() *time.Location {
	var name string
	var loc *time.Location
	return func() *time.Location {
		tz := c.params["TimeZone"]
		if tz != name || loc == nil {
			name = tz
			l, err := time.LoadLocation(tz)
			if err != nil {
				l = time.UTC
			}
			loc = l
		}
		return loc
	}
}
