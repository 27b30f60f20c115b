package pg

import (
	"fmt"
	"time"

	"github.com/wirepg/pg/codec"
)

// useSessionZone gives the connection its own timestamptz type, whose text
// input reads a value without a UTC offset in the session's TimeZone, as
// the server reads it: a string loaded with CopyRecordsToTable (binary
// COPY, so the driver parses the text) or an element of an array's text.
// The shared built-in type refuses such text instead of guessing UTC.
func (c *Conn) useSessionZone() {
	c.ownTypes()
	c.types.Register(codec.NewSessionTimestamptzType(nil, c.sessionZone()))
}

// sessionZone returns a func giving the location of the session's TimeZone
// parameter, kept current by ParameterStatus, loaded once per name the
// server reports. A name Go's time package cannot load (a POSIX zone
// string such as "<+05:30>-05:30") is an error, never UTC.
func (c *Conn) sessionZone() func() (*time.Location, error) {
	var name string
	var loc *time.Location
	var err error
	loaded := false
	return func() (*time.Location, error) {
		tz := c.ParameterStatus("TimeZone")
		if !loaded || tz != name {
			name, loaded = tz, true
			loc, err = loadZone(tz)
		}
		return loc, err
	}
}

func loadZone(tz string) (*time.Location, error) {
	if tz == "" {
		return nil, fmt.Errorf("the server reported no TimeZone")
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil, fmt.Errorf("session TimeZone %q: %w", tz, err)
	}
	return loc, nil
}
