package soak

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/wirepg/pg"
)

// killer terminates one of the pool's backends every 100 to 400 ms from a
// plain connection of its own (another application_name, so it never
// picks itself), until ctx ends. It notes when each terminate was issued
// and when the backend was gone, for the classification.
func (s *soak) killer(ctx context.Context, cfg *pg.Config, rng *rand.Rand) {
	var c *pg.Conn
	var opened time.Duration
	defer func() {
		if c != nil {
			_ = c.Close(context.Background())
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Duration(100+rng.IntN(300)) * time.Millisecond):
		}
		if c == nil || c.IsClosed() {
			var err error
			if c, err = pg.ConnectConfig(ctx, cfg); err != nil {
				s.killerFailed(ctx, "connect", err, s.since())
				c = nil
				continue
			}
			opened = s.since()
		}
		if err := s.killOne(ctx, c, rng); err != nil {
			s.killerFailed(ctx, "terminate", err, opened)
		}
	}
}

func (s *soak) killOne(ctx context.Context, c *pg.Conn, rng *rand.Rand) error {
	rows, err := c.Fetch(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", appName)
	if err != nil || len(rows) == 0 {
		return err
	}
	var pid int32
	if err := rows[rng.IntN(len(rows))].Scan(&pid); err != nil {
		return err
	}
	t := terminate{pid: uint32(pid), issued: s.since()}
	var ok bool
	err = c.QueryRow(ctx, "SELECT pg_terminate_backend($1)", pid).Scan(&ok)
	if err == nil && !ok {
		return nil // gone already
	}
	// Whether or not the call failed, the signal may have been sent:
	// note the terminate either way, with its end where the killer
	// stopped looking.
	for err == nil {
		var alive bool
		err = c.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE pid = $1)", pid).Scan(&alive)
		if !alive || s.since()-t.issued > 5*time.Second {
			break
		}
		time.Sleep(time.Millisecond)
	}
	t.gone = s.since()
	s.tl.addTerm(t)
	return err
}

// killerFailed notes a failure of the killer's own connection. Those
// inside the restart window, or on a connection opened before the
// restart, are only counted; those after the run ended are ignored.
func (s *soak) killerFailed(ctx context.Context, what string, err error, opened time.Duration) {
	if ctx.Err() != nil {
		return
	}
	now := s.since()
	tl := &s.tl
	tl.mu.Lock()
	defer tl.mu.Unlock()
	if tl.restartBegin > 0 && (!tl.restarted || now <= tl.restartEnd || opened < tl.restartBegin) {
		tl.killerErrsInRestartWin++
		return
	}
	tl.killerErrs = append(tl.killerErrs, what+": "+err.Error())
}
