package codec

import "fmt"

// Scan implements sql.Scanner for database/sql, whose drivers (pg's
// stdlib, lib/pq, pgx's stdlib) deliver money as the server's text,
// "$1,234.56" under lc_monetary C: it is read as cash_in reads it (see
// parseMoneyText). An integer is a count of cents, as Money is. NULL is
// an error, as for Money anywhere else; scan into *Money or Null[Money]
// for a nullable column.
func (m *Money) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		return &NullError{GoType: "pg.Money", PGType: "money"}
	case Money:
		*m = s
		return nil
	case int64:
		*m = Money(s)
		return nil
	case string:
		v, err := parseMoneyText(s)
		if err != nil {
			return err
		}
		*m = v
		return nil
	case []byte:
		return m.Scan(string(s))
	}
	return fmt.Errorf("cannot scan Go type %T into pg.Money", src)
}
