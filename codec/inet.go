package codec

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
)

// inet's binary form (inet_send): family (2 for IPv4, 3 for IPv6), prefix
// bits, an is-cidr flag, the address length, then the address.
const (
	pgAFInet  = 2
	pgAFInet6 = 3
)

// inetType builds inet or cidr. Values decode as netip.Prefix (an inet
// keeps its host bits: 10.1.2.3/8); a netip.Addr destination takes a value
// with a full-length prefix.
func inetType(oid uint32, name string) *Type {
	isCIDR := oid == CIDROID
	encode := func(dst []byte, v any) ([]byte, error) {
		p, err := toPrefix(v, name)
		if err != nil {
			return dst, err
		}
		a := p.Addr()
		if a.Is4() {
			dst = append(dst, pgAFInet, byte(p.Bits()), boolByte(isCIDR), 4)
		} else {
			dst = append(dst, pgAFInet6, byte(p.Bits()), boolByte(isCIDR), 16)
		}
		return a.AppendBinary(dst)
	}
	return &Type{
		OID:  oid,
		Name: name,
		Binary: &Codec{
			Format: BinaryFormat,
			Encode: encode,
			Decode: func(src []byte) (any, error) { return decodeInet(src, name) },
			Scan: func(src []byte, dst any) (bool, error) {
				switch dst.(type) {
				case *netip.Prefix, *netip.Addr, *net.IPNet, *net.IP, *string:
				default:
					return false, nil
				}
				p, err := decodeInet(src, name)
				if err != nil {
					return true, err
				}
				return true, assignPrefix(p, dst, name, isCIDR)
			},
		},
		Text: &Codec{
			Format: TextFormat,
			Encode: func(dst []byte, v any) ([]byte, error) {
				p, err := toPrefix(v, name)
				if err != nil {
					return dst, err
				}
				return append(dst, prefixText(p, isCIDR)...), nil
			},
			Decode: func(src []byte) (any, error) { return parseInetText(string(src), name, isCIDR) },
		},
	}
}

// parseInetText reads inet or cidr text in the forms Go's netip reads:
// the address, or address/bits. An IPv6 zone ("fe80::1%eth0"), which the
// server refuses and the wire form cannot carry, is refused rather than
// dropped, and so is a cidr with bits set right of its netmask
// ("10.1.2.3/8"), as the server does. The server also reads abbreviated
// IPv4 ("10/8") and octets with leading zeros; those are refused here.
func parseInetText(s, name string, isCIDR bool) (netip.Prefix, error) {
	var p netip.Prefix
	if strings.IndexByte(s, '/') >= 0 {
		var err error
		if p, err = netip.ParsePrefix(s); err != nil {
			return p, &DecodeError{PGType: name, Msg: err.Error()}
		}
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil {
			return p, &DecodeError{PGType: name, Msg: err.Error()}
		}
		if a.Zone() != "" {
			return p, &DecodeError{PGType: name, Msg: "invalid input syntax " + quoteInput(s) + ": PostgreSQL has no IPv6 zones"}
		}
		p = netip.PrefixFrom(a, a.BitLen())
	}
	if isCIDR && p.Masked() != p {
		return netip.Prefix{}, &DecodeError{PGType: name, Msg: "invalid cidr value " + quoteInput(s) + ": it has bits set to right of the mask"}
	}
	return p, nil
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

func decodeInet(src []byte, name string) (netip.Prefix, error) {
	if len(src) < 4 {
		return netip.Prefix{}, &DecodeError{PGType: name, Msg: "short value"}
	}
	fam, bits, n := src[0], int(src[1]), int(src[3])
	if len(src) != 4+n || !(fam == pgAFInet && n == 4 && bits <= 32 || fam == pgAFInet6 && n == 16 && bits <= 128) {
		return netip.Prefix{}, &DecodeError{PGType: name, Msg: "bad family or length"}
	}
	a, _ := netip.AddrFromSlice(src[4:])
	return netip.PrefixFrom(a, bits), nil
}

// prefixText is PostgreSQL's text form: inet omits a full-length prefix,
// cidr always shows it.
func prefixText(p netip.Prefix, isCIDR bool) string {
	if !isCIDR && p.Bits() == p.Addr().BitLen() {
		return p.Addr().String()
	}
	return p.Addr().String() + "/" + fmt.Sprint(p.Bits())
}

func assignPrefix(p netip.Prefix, dst any, name string, isCIDR bool) error {
	full := p.Bits() == p.Addr().BitLen()
	switch d := dst.(type) {
	case *netip.Prefix:
		*d = p
	case *netip.Addr:
		if !full {
			return fmt.Errorf("cannot scan %s %s into netip.Addr: it has a netmask; scan into netip.Prefix", name, p)
		}
		*d = p.Addr()
	case *net.IP:
		if !full {
			return fmt.Errorf("cannot scan %s %s into net.IP: it has a netmask; scan into netip.Prefix or net.IPNet", name, p)
		}
		*d = net.IP(p.Addr().AsSlice())
	case *net.IPNet:
		*d = net.IPNet{IP: net.IP(p.Addr().AsSlice()), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}
	case *string:
		*d = prefixText(p, isCIDR)
	}
	return nil
}

func toPrefix(v any, name string) (netip.Prefix, error) {
	switch x := v.(type) {
	case netip.Prefix:
		if !x.IsValid() {
			return x, unsupportedEncode(v, name, "the netip.Prefix is invalid (zero value)")
		}
		return x, nil
	case netip.Addr:
		if !x.IsValid() || x.Zone() != "" {
			return netip.Prefix{}, unsupportedEncode(v, name, "the netip.Addr is invalid or has a zone")
		}
		return netip.PrefixFrom(x, x.BitLen()), nil
	case net.IP:
		a, ok := ipAddr(x)
		if !ok {
			return netip.Prefix{}, unsupportedEncode(v, name, "the net.IP has neither 4 nor 16 bytes")
		}
		return netip.PrefixFrom(a, a.BitLen()), nil
	case net.IPNet:
		a, ok := ipAddr(x.IP)
		ones, bits := x.Mask.Size()
		if !ok || bits != a.BitLen() {
			return netip.Prefix{}, unsupportedEncode(v, name, "the net.IPNet's address and mask disagree")
		}
		return netip.PrefixFrom(a, ones), nil
	}
	return netip.Prefix{}, unsupportedEncode(v, name, "use netip.Prefix, netip.Addr, net.IP or net.IPNet")
}

// ipAddr converts a net.IP, which stores IPv4 in 16 bytes too, preferring
// the 4-byte form for IPv4.
func ipAddr(ip net.IP) (netip.Addr, bool) {
	if v4 := ip.To4(); v4 != nil {
		return netip.AddrFrom4([4]byte(v4)), true
	}
	return netip.AddrFromSlice(ip)
}
