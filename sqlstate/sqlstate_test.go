package sqlstate

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConstants(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ got, want string }{
		{SuccessfulCompletion, "00000"},
		{UniqueViolation, "23505"},
		{SerializationFailure, "40001"},
		{DeadlockDetected, "40P01"},
		{QueryCanceled, "57014"},
		{FeatureNotSupported, "0A000"},
		{InvalidSQLStatementName, "26000"},
		{InvalidPassword, "28P01"},
		{StringDataRightTruncation, "22001"},
		{WarningStringDataRightTruncation, "01004"},
		{NullValueNotAllowed, "22004"},
		{ExternalRoutineInvocationExceptionNullValueNotAllowed, "39004"},
		{SQLRoutineExceptionModifyingSQLDataNotPermitted, "2F002"},
		{ExternalRoutineExceptionModifyingSQLDataNotPermitted, "38002"},
		{InvalidCatalogName, "3D000"},
		{ArraySubscriptError, "2202E"},
		{DatetimeFieldOverflow, "22008"},
		{InvalidJSONText, "22032"},
		{InvalidXMLDocument, "2200M"},
		{FDWError, "HV000"},
		{IOError, "58030"},
		{PLpgSQLError, "P0000"},
		{InvalidSQLStateReturned, "39001"},
		{ClassIntegrityConstraintViolation, "23"},
		{ClassNoData, "02"},
		{ClassForeignDataWrapperError, "HV"},
	} {
		assert.Equal(t, tt.want, tt.got)
	}
}

func TestName(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ code, want string }{
		{"23505", "unique_violation"},
		{"01004", "string_data_right_truncation"},
		{"22001", "string_data_right_truncation"},
		{"2202E", "array_subscript_error"}, // first of two C macros
		{"3D000", "invalid_catalog_name"},
		{"P0001", "raise_exception"},
		{"23XYZ", "integrity_constraint_violation"}, // unknown code: class generic
		{"40P99", "transaction_rollback"},
		{"ZZ000", ""},
		{"ZZ999", ""},
		{"23", ""},
		{"235050", ""},
		{"", ""},
		{"23505 ", ""},
		{"0a000", ""}, // codes are upper case
	} {
		assert.Equal(t, tt.want, Name(tt.code), "Name(%q)", tt.code)
	}
}

func TestClass(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ code, class, name string }{
		{"23505", "23", "Integrity Constraint Violation"},
		{"23", "23", "Integrity Constraint Violation"},
		{"0A000", "0A", "Feature Not Supported"},
		{"HV00R", "HV", "Foreign Data Wrapper Error (SQL/MED)"},
		{"P0002", "P0", "PL/pgSQL Error"},
		{"ZZ000", "ZZ", ""},
		{"2", "", ""},
		{"", "", ""},
	} {
		assert.Equal(t, tt.class, Class(tt.code), "Class(%q)", tt.code)
		assert.Equal(t, tt.name, ClassName(tt.code), "ClassName(%q)", tt.code)
	}
}

func TestClassHelpers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		is   func(string) bool
		yes  []string
		name string
	}{
		{IsWarning, []string{"01000", WarningStringDataRightTruncation, NoData}, "IsWarning"},
		{IsConnectionException, []string{ConnectionFailure, ProtocolViolation}, "IsConnectionException"},
		{IsDataException, []string{DivisionByZero, InvalidTextRepresentation}, "IsDataException"},
		{IsIntegrityConstraintViolation, []string{UniqueViolation, ForeignKeyViolation, NotNullViolation, "23XYZ"}, "IsIntegrityConstraintViolation"},
		{IsInvalidAuthorizationSpecification, []string{InvalidPassword}, "IsInvalidAuthorizationSpecification"},
		{IsTransactionRollback, []string{SerializationFailure, DeadlockDetected}, "IsTransactionRollback"},
		{IsSyntaxErrorOrAccessRuleViolation, []string{SyntaxError, UndefinedTable, InsufficientPrivilege}, "IsSyntaxErrorOrAccessRuleViolation"},
		{IsInsufficientResources, []string{TooManyConnections, DiskFull}, "IsInsufficientResources"},
		{IsOperatorIntervention, []string{QueryCanceled, AdminShutdown}, "IsOperatorIntervention"},
	} {
		for _, code := range tt.yes {
			assert.True(t, tt.is(code), "%s(%q)", tt.name, code)
		}
		for _, code := range []string{SuccessfulCompletion, InternalError, "", "4"} {
			assert.False(t, tt.is(code), "%s(%q)", tt.name, code)
		}
	}
}

// TestTables checks the generated tables' invariants: every code is five
// characters in a known class, and every class has its generic "000" code,
// which Name's fallback relies on.
func TestTables(t *testing.T) {
	t.Parallel()
	require.Len(t, classNames, 43) // PostgreSQL 15
	require.Greater(t, len(names), 250)
	for code, name := range names {
		assert.Len(t, code, 5, code)
		assert.NotEmpty(t, name, code)
		assert.Contains(t, classNames, Class(code), code)
	}
	for class := range classNames {
		assert.Contains(t, names, class+"000", "class %s has no generic code", class)
	}
}
