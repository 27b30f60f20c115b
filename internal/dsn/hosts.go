package dsn

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

const defaultPort = 5432

// hosts zips the host, hostaddr and port lists into Hosts as libpq's
// pqConnectOptions2 does (the docs' "Specifying Multiple Hosts"): the
// number of hosts is the number of hostaddr entries when hostaddr is given,
// else of host entries, else one; host must then have as many entries as
// hostaddr; port must have one entry, used for every host, or one per
// host. An empty entry means the default: for a host with no hostaddr,
// the unix socket directory if it exists, else localhost; for a port, 5432.
func (p *parser) hosts(vals map[string]string) ([]Host, error) {
	hostList, addrList, portList := vals["host"], vals["hostaddr"], vals["port"]

	var hosts, addrs []string
	n := 1
	if addrList != "" {
		addrs = strings.Split(addrList, ",")
		n = len(addrs)
	}
	if hostList != "" {
		hosts = strings.Split(hostList, ",")
		if addrs == nil {
			n = len(hosts)
		} else if len(hosts) != n {
			return nil, p.secrets.invalid("hostaddr", addrList,
				fmt.Sprintf("%d hostaddr values for %d host names; give one per host", n, len(hosts)))
		}
	}
	var ports []string
	if portList != "" {
		ports = strings.Split(portList, ",")
		if len(ports) != 1 && len(ports) != n {
			return nil, p.secrets.invalid("port", portList,
				fmt.Sprintf("%d port numbers for %d hosts; give one port for all hosts or one per host", len(ports), n))
		}
	}

	out := make([]Host, n)
	for i := range out {
		h := &out[i]
		if hosts != nil {
			h.Host = hosts[i]
		}
		if addrs != nil {
			h.HostAddr = addrs[i]
			if h.HostAddr != "" {
				if _, err := netip.ParseAddr(h.HostAddr); err != nil {
					return nil, p.secrets.invalid("hostaddr", h.HostAddr, "must be a numeric IPv4 or IPv6 address")
				}
			}
		}
		if h.Host == "" && h.HostAddr == "" {
			h.Host = p.defaultHost()
		}
		port := ""
		switch len(ports) {
		case 1:
			port = ports[0]
		case n:
			port = ports[i]
		}
		var err error
		if h.Port, err = p.port(port); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// defaultHost is libpq's default: the compiled-in socket directory. We use
// it only when it exists so that a machine without a local server still
// gets localhost, which at least yields a clear "connection refused".
func (p *parser) defaultHost() string {
	if p.sys.socketDirExists(defaultSocketDir) {
		return defaultSocketDir
	}
	return "localhost"
}

// port parses one port entry; libpq's pqParseIntParam allows surrounding
// whitespace.
func (p *parser) port(s string) (uint16, error) {
	t := trimSpace(s)
	if t == "" {
		return defaultPort, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 1 || n > 65535 {
		why := "must be 1-65535"
		if p.suspect {
			why += `; percent-encode any "/" in the URI's password as %2F`
		}
		return 0, p.secrets.invalid("port", s, why)
	}
	return uint16(n), nil
}

// trimSpace trims C isspace characters, as strtol and libpq do.
func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}
