package sqlstate

// Name returns the condition name of code as errcodes.txt and PL/pgSQL spell
// it, e.g. "unique_violation" for "23505". A code not in the table falls back
// to its class's generic condition ("23XYZ" gives
// "integrity_constraint_violation"); a code of an unknown class, or not five
// characters long, gives "".
func Name(code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	if len(code) != 5 {
		return ""
	}
	return names[code[:2]+"000"]
}

// Class returns the class of code: its first two characters ("23" for
// "23505"), or "" if code is shorter than that.
func Class(code string) string {
	if len(code) < 2 {
		return ""
	}
	return code[:2]
}

// ClassName returns the name of code's class as errcodes.txt spells it, e.g.
// "Integrity Constraint Violation" for "23505" or "23". It returns "" for an
// unknown class.
func ClassName(code string) string {
	return classNames[Class(code)]
}

// IsWarning reports whether code is a warning: class 01 (Warning) or 02 (No
// Data, a warning class per the SQL standard).
func IsWarning(code string) bool {
	c := Class(code)
	return c == ClassWarning || c == ClassNoData
}

// IsConnectionException reports whether code is in class 08, Connection
// Exception.
func IsConnectionException(code string) bool {
	return Class(code) == ClassConnectionException
}

// IsDataException reports whether code is in class 22, Data Exception (bad
// input values: overflow, invalid text representation, division by zero ...).
func IsDataException(code string) bool {
	return Class(code) == ClassDataException
}

// IsIntegrityConstraintViolation reports whether code is in class 23,
// Integrity Constraint Violation (unique, foreign key, check, not null ...).
func IsIntegrityConstraintViolation(code string) bool {
	return Class(code) == ClassIntegrityConstraintViolation
}

// IsInvalidAuthorizationSpecification reports whether code is in class 28
// (unknown role, wrong password, rejected by pg_hba.conf).
func IsInvalidAuthorizationSpecification(code string) bool {
	return Class(code) == ClassInvalidAuthorizationSpecification
}

// IsTransactionRollback reports whether code is in class 40, Transaction
// Rollback: serialization failures and deadlocks, after which the server has
// rolled the transaction back and retrying it may succeed.
func IsTransactionRollback(code string) bool {
	return Class(code) == ClassTransactionRollback
}

// IsSyntaxErrorOrAccessRuleViolation reports whether code is in class 42
// (syntax errors, undefined objects, insufficient privilege ...).
func IsSyntaxErrorOrAccessRuleViolation(code string) bool {
	return Class(code) == ClassSyntaxErrorOrAccessRuleViolation
}

// IsInsufficientResources reports whether code is in class 53 (out of
// memory, disk full, too many connections).
func IsInsufficientResources(code string) bool {
	return Class(code) == ClassInsufficientResources
}

// IsOperatorIntervention reports whether code is in class 57: query
// canceled, admin or crash shutdown, idle session timeout.
func IsOperatorIntervention(code string) bool {
	return Class(code) == ClassOperatorIntervention
}
