package pg

import (
	"context"
	"errors"
	"sync"
	"time"
)

// Listen listens on channel on a connection of the listener's own (opened
// with the pool's connection settings, outside MaxSize) and calls f with
// each notification, as Conn.Listen does. Unlike a Conn's listener it
// outlives its connection: when the connection is lost (a restart, a
// terminated backend, the network), it reconnects with a growing pause (up
// to 5 s), LISTENs again, and then calls f with a Notification whose Gap
// is set, because notifications sent in between are lost (asyncpg has no
// such listener; lib/pq's Listener and pgxlisten do the same). The marker
// comes after LISTEN is in place, so a catch-up done in f misses nothing;
// a notification that arrives just as the listener reconnects may come
// before it.
//
// The first connection is made before Listen returns, and its error is
// returned. stop ends the listener and closes its connection; it waits for
// a callback that is running. f runs on the listener's goroutines, one
// notification at a time and in order; it must not call stop.
func (p *Pool) Listen(ctx context.Context, channel string, f func(Notification)) (stop func(), err error) {
	if f == nil {
		return nil, errors.New("pg: Pool.Listen needs a callback")
	}
	l := &poolListener{p: p, channel: channel, f: f, done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	if err := l.connect(ctx); err != nil {
		l.cancel()
		return nil, err
	}
	go l.run()
	return l.stop, nil
}

// poolListener is one Pool.Listen.
type poolListener struct {
	p       *Pool
	channel string
	f       func(Notification)

	mu   sync.Mutex
	conn *Conn
	lost chan struct{} // closed when conn ends

	ctx      context.Context // cancelled by stop
	cancel   context.CancelFunc
	done     chan struct{} // closed when run has returned
	stopOnce sync.Once
}

// connect opens the connection and listens on it.
func (l *poolListener) connect(ctx context.Context) error {
	c, err := ConnectConfig(ctx, l.p.connCfg.Load())
	if err != nil {
		return err
	}
	lost := make(chan struct{})
	var once sync.Once
	c.OnTerminate(func(error) { once.Do(func() { close(lost) }) })
	if err := c.Listen(ctx, l.channel, l.f); err != nil {
		c.Terminate()
		return err
	}
	l.mu.Lock()
	l.conn, l.lost = c, lost
	l.mu.Unlock()
	return nil
}

// run waits for the connection's loss and replaces it until stop.
func (l *poolListener) run() {
	defer close(l.done)
	pause := 50 * time.Millisecond
	for {
		l.mu.Lock()
		lost := l.lost
		l.mu.Unlock()
		select {
		case <-l.ctx.Done():
			return
		case <-lost:
		}
		for {
			ctx, cancel := context.WithTimeout(l.ctx, 30*time.Second)
			err := l.connect(ctx)
			cancel()
			if err == nil {
				pause = 50 * time.Millisecond
				// Through the connection's own delivery queue, so the
				// marker and the notifications keep one order.
				l.conn.deliver([]Notification{{Channel: l.channel, Gap: true}}, false)
				break
			}
			select {
			case <-l.ctx.Done():
				return
			case <-time.After(pause):
			}
			pause = min(2*pause, 5*time.Second)
		}
	}
}

// stop ends the listener.
func (l *poolListener) stop() {
	l.stopOnce.Do(func() {
		l.cancel()
		<-l.done
		l.mu.Lock()
		c := l.conn
		l.mu.Unlock()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = c.Close(ctx)
	})
}
