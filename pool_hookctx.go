package pg

import (
	"context"
	"sync"
	"time"
)

// hookContext is the context a Reset hook runs under: a deadline that arms
// its timer only when someone asks for Done. context.WithTimeout arms one
// at once, which cost a no-op hook 800 ns a Release, most of a lease; a
// hook that never waits on ctx (or runs no query) now pays nothing for it.
// The deadline is reckoned from the pool's coarse clock, which may be a
// tick behind: a bound of 30 s does not mind.
type hookContext struct {
	deadline time.Time
	mu       sync.Mutex
	done     chan struct{}
	timer    *time.Timer
	err      error
}

func newHookContext(p *Pool, timeout time.Duration) *hookContext {
	return &hookContext{deadline: p.epoch.Add(time.Duration(p.clock()) + timeout)}
}

func (c *hookContext) Deadline() (time.Time, bool) { return c.deadline, true }

func (c *hookContext) Done() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.err != nil {
			close(c.done)
		} else if d := time.Until(c.deadline); d <= 0 {
			c.err = context.DeadlineExceeded
			close(c.done)
		} else {
			c.timer = time.AfterFunc(d, func() { c.end(context.DeadlineExceeded) })
		}
	}
	return c.done
}

func (c *hookContext) Err() error {
	c.mu.Lock()
	err := c.err
	c.mu.Unlock()
	if err == nil && !time.Now().Before(c.deadline) {
		c.end(context.DeadlineExceeded)
		return context.DeadlineExceeded
	}
	return err
}

func (*hookContext) Value(any) any { return nil }

func (c *hookContext) String() string { return "pg pool Reset hook context" }

// cancel ends the context when the hook has returned, as the cancel of
// context.WithTimeout would.
func (c *hookContext) cancel() { c.end(context.Canceled) }

func (c *hookContext) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return
	}
	c.err = err
	if c.timer != nil {
		c.timer.Stop()
	}
	if c.done != nil {
		close(c.done)
	}
}
