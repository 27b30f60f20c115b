package pg

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Reset hook's context behaves as context.WithTimeout's: Done closes
// at the deadline with DeadlineExceeded, or at cancel with Canceled, and a
// context derived from it follows.
func TestHookContext(t *testing.T) {
	p := &Pool{epoch: time.Now()}

	ctx := newHookContext(p, 50*time.Millisecond)
	dl, ok := ctx.Deadline()
	require.True(t, ok)
	assert.WithinDuration(t, time.Now().Add(50*time.Millisecond), dl, 40*time.Millisecond)
	assert.NoError(t, ctx.Err())
	child, stop := context.WithCancel(ctx)
	defer stop()
	select {
	case <-child.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the deadline never fired")
	}
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)
	assert.ErrorIs(t, child.Err(), context.DeadlineExceeded)
	ctx.cancel() // after the deadline: the error stays
	assert.ErrorIs(t, ctx.Err(), context.DeadlineExceeded)

	// Past its deadline with nobody waiting: Err says so without Done.
	late := newHookContext(p, -time.Millisecond)
	assert.ErrorIs(t, late.Err(), context.DeadlineExceeded)
	select {
	case <-late.Done():
	default:
		t.Fatal("Done of an expired context is not closed")
	}

	// Cancelled before anyone asked for Done, and after.
	early := newHookContext(p, time.Hour)
	early.cancel()
	assert.ErrorIs(t, early.Err(), context.Canceled)
	<-early.Done()
	waited := newHookContext(p, time.Hour)
	done := waited.Done()
	waited.cancel()
	<-done
	assert.ErrorIs(t, waited.Err(), context.Canceled)
	assert.Nil(t, waited.Value("any"))
}
