package codec

import (
	"net/netip"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInetTextExact(t *testing.T) {
	cases := []struct {
		oid  uint32
		in   string
		want string // "" when the server refuses
	}{
		{InetOID, "fe80::1%eth0", ""}, // the zone was dropped
		{InetOID, "fe80::1%eth0/64", ""},
		{InetOID, "10.1.2.3/8", "10.1.2.3/8"},
		{InetOID, "::ffff:1.2.3.4", "::ffff:1.2.3.4/128"},
		{InetOID, " 1.2.3.4", ""},
		{CIDROID, "10.1.2.3/8", ""}, // bits right of the mask
		{CIDROID, "2001:db8::1/64", ""},
		{CIDROID, "10.0.0.0/8", "10.0.0.0/8"},
		{CIDROID, "10.1.2.3", "10.1.2.3/32"},
	}
	for _, c := range cases {
		v, err := decodeText(t, c.oid, c.in)
		if c.want == "" {
			assert.Error(t, err, "%q decoded as %v", c.in, v)
			continue
		}
		if assert.NoError(t, err, c.in) {
			assert.Equal(t, netip.MustParsePrefix(c.want), v, c.in)
		}
	}
}
