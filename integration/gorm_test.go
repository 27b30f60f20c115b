package integration

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

type gormAuthor struct {
	ID        uint   `gorm:"primaryKey"`
	Name      string `gorm:"size:100;not null;uniqueIndex"`
	Bio       *string
	Rating    float64 `gorm:"type:numeric(4,2)"`
	CreatedAt time.Time
	Books     []gormBook `gorm:"foreignKey:AuthorID"`
}

type gormBook struct {
	ID       uint `gorm:"primaryKey"`
	AuthorID uint `gorm:"index"`
	Title    string
	Pages    int32
}

// recordingLogger keeps the SQL GORM runs, to see what AutoMigrate does.
type recordingLogger struct{ sql *[]string }

func (l recordingLogger) LogMode(logger.LogLevel) logger.Interface { return l }
func (recordingLogger) Info(context.Context, string, ...any)       {}
func (recordingLogger) Warn(context.Context, string, ...any)       {}
func (recordingLogger) Error(context.Context, string, ...any)      {}
func (l recordingLogger) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	s, _ := fc()
	*l.sql = append(*l.sql, s)
}

func TestGORM(t *testing.T) {
	_, dsn := openDB(t, "it_gorm")
	var statements []string
	// GORM's postgres dialector opens pgx's driver unless told another
	// name: DriverName "pg" makes it sql.Open("pg", DSN).
	db, err := gorm.Open(postgres.New(postgres.Config{DriverName: "pg", DSN: dsn}), &gorm.Config{
		TranslateError: true,
		Logger:         recordingLogger{sql: &statements},
	})
	require.NoError(t, err)
	sqlDB, err := db.DB()
	require.NoError(t, err)
	defer sqlDB.Close()

	require.NoError(t, db.AutoMigrate(&gormAuthor{}, &gormBook{}))
	statements = nil
	require.NoError(t, db.AutoMigrate(&gormAuthor{}, &gormBook{}))
	require.NotEmpty(t, statements, "the second AutoMigrate inspects the tables")
	for _, s := range statements {
		verb := strings.ToUpper(strings.Fields(s)[0])
		assert.Contains(t, []string{"SELECT", "SHOW"}, verb, "the second AutoMigrate changes nothing: %s", s)
	}

	bio := "writes"
	a := gormAuthor{Name: "Ann", Bio: &bio, Rating: 4.25, Books: []gormBook{{Title: "One", Pages: 100}, {Title: "Two", Pages: 200}}}
	require.NoError(t, db.Create(&a).Error)
	assert.NotZero(t, a.ID)
	assert.NotZero(t, a.Books[1].ID)

	var got gormAuthor
	require.NoError(t, db.Preload("Books").First(&got, a.ID).Error)
	assert.Equal(t, "Ann", got.Name)
	assert.Equal(t, 4.25, got.Rating)
	require.Len(t, got.Books, 2)

	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&gormAuthor{Name: "Bob"}).Error; err != nil {
			return err
		}
		return errors.New("roll back")
	})
	assert.EqualError(t, err, "roll back")
	var n int64
	require.NoError(t, db.Model(&gormAuthor{}).Where("name = ?", "Bob").Count(&n).Error)
	assert.Zero(t, n, "the transaction was rolled back")

	err = db.Create(&gormAuthor{Name: "Ann"}).Error
	assert.ErrorIs(t, err, gorm.ErrDuplicatedKey, "TranslateError reads pg's SQLSTATE")
	err = db.Create(&gormBook{AuthorID: 999999, Title: "orphan"}).Error
	assert.ErrorIs(t, err, gorm.ErrForeignKeyViolated)

	// Over a *sql.DB of one's own.
	db2, err := gorm.Open(postgres.New(postgres.Config{Conn: sqlDB}), &gorm.Config{})
	require.NoError(t, err)
	var books []gormBook
	require.NoError(t, db2.Where("pages > ?", 150).Find(&books).Error)
	require.Len(t, books, 1)
	assert.Equal(t, "Two", books[0].Title)
}
