package faultproxy

import "net"

// ResetAll ends every open connection with a TCP RST to the client, as a
// middlebox that drops idle sockets does, instead of DropAll's orderly
// close. The server side is closed too.
func (p *Proxy) ResetAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for pr := range p.pairs {
		if tc, ok := pr.client.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // close sends RST, not FIN
		}
		_ = pr.client.Close()
		_ = pr.server.Close()
	}
}
