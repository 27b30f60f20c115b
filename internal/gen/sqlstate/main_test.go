package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCamel(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"unique_violation":                            "UniqueViolation",
		"invalid_sql_statement_name":                  "InvalidSQLStatementName",
		"sqlclient_unable_to_establish_sqlconnection": "SQLClientUnableToEstablishSQLConnection",
		"fdw_invalid_handle":                          "FDWInvalidHandle",
		"invalid_json_text":                           "InvalidJSONText",
		"io_error":                                    "IOError",
		"unterminated_c_string":                       "UnterminatedCString",
		"Syntax Error or Access Rule Violation":       "SyntaxErrorOrAccessRuleViolation",
		"WITH CHECK OPTION Violation":                 "WithCheckOptionViolation",
		className("PL/pgSQL Error"):                   "PLpgSQLError",
		className("No Data (this is also a warning)"): "NoData",
	} {
		assert.Equal(t, want, camel(in), in)
	}
}

const sample = `# comment
Section: Class 01 - Warning
01000    W    ERRCODE_WARNING                       warning
01004    W    ERRCODE_WARNING_STRING_DATA_RIGHT_TRUNCATION     string_data_right_truncation
Section: Class 22 - Data Exception
22000    E    ERRCODE_DATA_EXCEPTION                data_exception
2202E    E    ERRCODE_ARRAY_ELEMENT_ERROR
2202E    E    ERRCODE_ARRAY_SUBSCRIPT_ERROR         array_subscript_error
22001    E    ERRCODE_STRING_DATA_RIGHT_TRUNCATION  string_data_right_truncation
22002    E    ERRCODE_ANOTHER                       array_subscript_error_again
22002    E    ERRCODE_ANOTHER_DUP                   ignored_second_name
01000    W    ERRCODE_ALIAS_OUT_OF_SECTION
`

func TestParseAndName(t *testing.T) {
	t.Parallel()
	classes, conds, err := parse(strings.NewReader(sample))
	require.NoError(t, err)
	require.Len(t, classes, 2)
	assert.Equal(t, "DataException", classes[1].GoName)
	require.NoError(t, nameConditions(conds))
	got := map[string]string{}
	for _, c := range conds {
		got[c.Code] = c.GoName + " " + c.Name
	}
	assert.Equal(t, map[string]string{
		"01000": "Warning warning",
		"01004": "WarningStringDataRightTruncation string_data_right_truncation",
		"22000": "DataException data_exception",
		"2202E": "ArraySubscriptError array_subscript_error",
		"22001": "StringDataRightTruncation string_data_right_truncation",
		"22002": "ArraySubscriptErrorAgain array_subscript_error_again",
	}, got)
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"",
		"Section: bogus\n",
		"Section: Class 01 - Warning\n01000 W\n",
		"Section: Class 01 - Warning\n22000 E ERRCODE_X x\n",
		"Section: Class 01 - Warning\n0100 W ERRCODE_X x\n",
	} {
		_, _, err := parse(strings.NewReader(in))
		assert.Error(t, err, in)
	}
}

func TestNameClash(t *testing.T) {
	t.Parallel()
	_, conds, err := parse(strings.NewReader("Section: Class 01 - Warning\n" +
		"01001 W ERRCODE_A a_b\n01002 W ERRCODE_B a_B\n"))
	require.NoError(t, err)
	assert.ErrorContains(t, nameConditions(conds), "condition a_b (01001) and a_B (01002) both map to Go name AB")
}

// TestUpToDate fails when sqlstate_gen.go was edited by hand or not
// regenerated after a change here or to errcodes.txt.
func TestUpToDate(t *testing.T) {
	t.Parallel()
	f, err := os.Open("errcodes.txt")
	require.NoError(t, err)
	defer f.Close()
	classes, conds, err := parse(f)
	require.NoError(t, err)
	require.NoError(t, nameConditions(conds))
	src, err := generate(classes, conds)
	require.NoError(t, err)
	have, err := os.ReadFile("../../../sqlstate/sqlstate_gen.go")
	require.NoError(t, err)
	assert.Equal(t, string(src), string(have), "run go generate ./sqlstate")
}
