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
	// Offset-less text is still read in the session's zone (useSessionZone).
	c.types.Register(codec.NewSessionTimestamptzType(locate, c.sessionZone()))
	c.ResetStatementCache()
	return nil
}

// sessionLocation returns a func giving the location of the session's
// TimeZone parameter for presenting values: sessionZone's, or UTC for a
// zone name Go's time package does not know.
func (c *Conn) sessionLocation() func() *time.Location {
	zone := c.sessionZone()
	return func() *time.Location {
		if loc, err := zone(); err == nil {
			return loc
		}
		return time.UTC
	}
}
