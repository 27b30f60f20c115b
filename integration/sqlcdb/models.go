package sqlcdb

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

type Mood string

const (
	MoodSad Mood = "sad"
	MoodOk  Mood = "ok"
)

func (e *Mood) Scan(src interface{}) error {
	switch s := src.(type) {
	case []byte:
		*e = Mood(s)
	case string:
		*e = Mood(s)
	default:
		return fmt.Errorf("unsupported scan type for Mood: %T", src)
	}
	return nil
}

func (e Mood) Value() (driver.Value, error) { return string(e), nil }

type Author struct {
	ID        int64
	Name      string
	Bio       sql.NullString
	Tags      []string
	Scores    []int32
	Mood      Mood
	CreatedAt time.Time
}
