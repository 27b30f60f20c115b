package pg

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCopyOptionsWithClause(t *testing.T) {
	assert.Equal(t, "", (&CopyOptions{}).withClause())
	o := CopyOptions{
		Format: "CSV", Freeze: true, Delimiter: "|", Null: new(""), Header: true,
		Quote: `'`, Escape: `\`, ForceQuote: []string{"a", `B"`}, ForceNotNull: []string{"c"},
		ForceNull: []string{"d"}, Encoding: "LATIN1",
	}
	assert.Equal(t, ` WITH (FORMAT "csv", FREEZE, DELIMITER E'|', NULL E'', HEADER, QUOTE E'''', ESCAPE E'\\', FORCE_QUOTE ("a", "B"""), FORCE_NOT_NULL ("c"), FORCE_NULL ("d"), ENCODING E'LATIN1')`, o.withClause())
	assert.Equal(t, ` WITH (FORCE_QUOTE *)`, (&CopyOptions{ForceQuote: []string{"*"}}).withClause())
	assert.Equal(t, ` WITH (HEADER MATCH)`, (&CopyOptions{Header: true, HeaderMatch: true}).withClause())
}
