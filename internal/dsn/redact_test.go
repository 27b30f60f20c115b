package dsn

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, want string }{
		{"", ""},
		{"postgres://u:secret@h/db", "postgres://u:xxxxx@h/db"},
		{"postgresql://u:secret@h1,h2/db?sslpassword=kp&sslmode=require", "postgresql://u:xxxxx@h1,h2/db?sslpassword=xxxxx&sslmode=require"},
		{"postgres://u@h/db", "postgres://u@h/db"},
		{"postgres://u:@h/db", "postgres://u:@h/db"},
		{"postgres://u:pa?ss@h/db?password=x&a=b", "postgres://u:xxxxx@h/db?password=xxxxx&a=b"},
		{"postgres://u:p/w@h/db", "postgres://u:xxxxx@h/db"},
		{"postgres://h/db?pass%77ord=x", "postgres://h/db?pass%77ord=xxxxx"},
		{"postgres://h/db?application_name=me@x", "postgres://h/db?application_name=me@x"},
		{"host=h password=secret user=u", "host=h password=xxxxx user=u"},
		{`password='a b\' c' sslpassword=x host=h`, "password=xxxxx sslpassword=xxxxx host=h"},
		{"password = secret", "password = xxxxx"},
		{"host=h password='unterminated", "host=h xxxxx"},
		{"password=my secret", "password=xxxxx xxxxx"},
		{"host=h port=5432", "host=h port=5432"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, Redact(tc.in), "Redact(%q)", tc.in)
	}
}
