package pg

import (
	"errors"
	"iter"
)

// CopySource supplies the rows of CopyRecordsToTable. EachRow calls emit
// with each row in order — one value per column, nil for NULL — and
// stops at the first error emit returns, returning it; its own failure is
// returned the same way and aborts the COPY. The row slice may be reused
// once emit returns.
type CopySource interface {
	EachRow(emit func(row []any) error) error
}

// CopyFromRows is a CopySource over rows held in memory.
func CopyFromRows(rows [][]any) CopySource { return rowsSource(rows) }

type rowsSource [][]any

func (s rowsSource) EachRow(emit func([]any) error) error {
	for _, row := range s {
		if err := emit(row); err != nil {
			return err
		}
	}
	return nil
}

// CopyFromSeq is a CopySource over a Go iterator of rows; an error it
// yields aborts the COPY.
func CopyFromSeq(seq iter.Seq2[[]any, error]) CopySource { return seqSource(seq) }

type seqSource iter.Seq2[[]any, error]

func (s seqSource) EachRow(emit func([]any) error) error {
	var err error
	for row, rerr := range s {
		if rerr != nil {
			err = rerr
			break
		}
		if err = emit(row); err != nil {
			break
		}
	}
	return err
}

// CopyFromFunc is a CopySource calling next for each row until it returns
// a nil row (the end) or an error (which aborts the COPY).
func CopyFromFunc(next func() (row []any, err error)) CopySource { return funcSource(next) }

type funcSource func() ([]any, error)

func (f funcSource) EachRow(emit func([]any) error) error {
	if f == nil {
		return errors.New("pg: CopyFromFunc needs a function")
	}
	for {
		row, err := f()
		if err != nil {
			return err
		}
		if row == nil {
			return nil
		}
		if err := emit(row); err != nil {
			return err
		}
	}
}
