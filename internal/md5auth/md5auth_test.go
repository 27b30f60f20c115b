package md5auth

import "testing"

func TestPassword(t *testing.T) {
	t.Parallel()
	// Expected values computed outside Go with coreutils and OpenSSL:
	//
	//	inner=$(printf '%s' "$password$user" | md5sum | cut -d' ' -f1)
	//	{ printf '%s' "$inner"; printf "$salt_escapes"; } | md5sum
	//
	// md5("postgrespostgres") = 3175bce1d3201d16594cebf9d7eb3f9d is also the
	// well-known stored hash "md53175bce1d3201d16594cebf9d7eb3f9d" of role
	// postgres with password postgres.
	tests := []struct {
		user, password string
		salt           [4]byte
		want           string
	}{
		{"postgres", "postgres", [4]byte{0x01, 0x02, 0x03, 0x04}, "md568be9ed08db75f318087ab337aaea044"},
		{"alice", "secret", [4]byte{0xde, 0xad, 0xbe, 0xef}, "md53e1d73ba00a55e8805aa0277d29996c5"},
	}
	for _, tt := range tests {
		if got := Password(tt.user, tt.password, tt.salt); got != tt.want {
			t.Errorf("Password(%q, %q, %x) = %q, want %q", tt.user, tt.password, tt.salt, got, tt.want)
		}
	}
}

func TestPasswordFormat(t *testing.T) {
	t.Parallel()
	got := Password("", "", [4]byte{})
	if len(got) != 35 || got[:3] != "md5" {
		t.Fatalf("Password = %q, want \"md5\" and 32 hex digits", got)
	}
	for _, r := range got[3:] {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			t.Fatalf("Password = %q: %q is not a lower-case hex digit", got, r)
		}
	}
}
