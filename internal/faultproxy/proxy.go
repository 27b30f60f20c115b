package faultproxy

import (
	"errors"
	"io"
	"net"
	"sync"
	"sync/atomic"
)

// Proxy forwards TCP connections from its own loopback address to a target.
type Proxy struct {
	ln     net.Listener
	target string

	mu    sync.Mutex
	pairs map[*pair]struct{}

	// serverByteLimit, when positive, cuts each new connection after the
	// server has sent that many bytes to the client.
	serverByteLimit atomic.Int64
	stallServer     atomic.Bool
	stallClient     atomic.Bool
	refuse          atomic.Bool
	wg              sync.WaitGroup
}

type pair struct {
	client, server net.Conn
}

// New starts a proxy to target ("host:port") on 127.0.0.1 with a free port.
func New(target string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{ln: ln, target: target, pairs: map[*pair]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the proxy's listening address.
func (p *Proxy) Addr() *net.TCPAddr { return p.ln.Addr().(*net.TCPAddr) }

// Port is the proxy's listening port.
func (p *Proxy) Port() int { return p.Addr().Port }

// CutServerAfter makes connections opened from now on drop once the server
// has sent n bytes to the client (0 disables).
func (p *Proxy) CutServerAfter(n int64) { p.serverByteLimit.Store(n) }

// StallServer stops (true) or resumes (false) forwarding server bytes to
// clients, simulating an unresponsive server or network.
func (p *Proxy) StallServer(stall bool) { p.stallServer.Store(stall) }

// StallClient holds back, while stall is true, every byte from clients to the
// server: the server sees a silent client (a Terminate that never arrives).
func (p *Proxy) StallClient(stall bool) { p.stallClient.Store(stall) }

// Refuse makes the proxy close new connections at once.
func (p *Proxy) Refuse(refuse bool) { p.refuse.Store(refuse) }

// DropAll closes every open connection abruptly.
func (p *Proxy) DropAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for pr := range p.pairs {
		_ = pr.client.Close()
		_ = pr.server.Close()
	}
}

// Conns is the number of open proxied connections.
func (p *Proxy) Conns() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.pairs)
}

// Close stops the proxy and drops every connection.
func (p *Proxy) Close() error {
	err := p.ln.Close()
	p.DropAll()
	p.wg.Wait()
	return err
}

func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		if p.refuse.Load() {
			_ = c.Close()
			continue
		}
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		pr := &pair{client: c, server: s}
		p.mu.Lock()
		p.pairs[pr] = struct{}{}
		p.mu.Unlock()
		limit := p.serverByteLimit.Load()
		p.wg.Add(2)
		go p.pipe(pr, s, c, limit, true)
		go p.pipe(pr, c, s, 0, false)
	}
}

// pipe copies src to dst until either side fails, then closes both.
func (p *Proxy) pipe(pr *pair, src, dst net.Conn, limit int64, fromServer bool) {
	defer p.wg.Done()
	defer func() {
		_ = src.Close()
		_ = dst.Close()
		p.mu.Lock()
		delete(p.pairs, pr)
		p.mu.Unlock()
	}()
	buf := make([]byte, 32*1024)
	var sent int64
	for {
		n, err := src.Read(buf)
		if n > 0 {
			for p.stalled(fromServer) {
				if !p.waitStall(pr) {
					return
				}
			}
			chunk := buf[:n]
			if limit > 0 && sent+int64(n) >= limit {
				chunk = buf[:limit-sent]
				_, _ = dst.Write(chunk)
				return
			}
			if _, werr := dst.Write(chunk); werr != nil {
				return
			}
			sent += int64(n)
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				return
			}
			return
		}
	}
}

// waitStall sleeps briefly while stalled; false when the pair was closed.
func (p *Proxy) waitStall(pr *pair) bool {
	p.mu.Lock()
	_, open := p.pairs[pr]
	p.mu.Unlock()
	if !open {
		return false
	}
	stallSleep()
	return true
}

// stalled reports whether bytes in this direction are being held back.
func (p *Proxy) stalled(fromServer bool) bool {
	if fromServer {
		return p.stallServer.Load()
	}
	return p.stallClient.Load()
}
