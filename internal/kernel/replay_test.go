package kernel_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// A counter opened by "open" and moved by "add" events: the least aggregate.
type counterEvent interface{ EventType() string }

type opened struct{}
type added struct{ n int }

func (opened) EventType() string { return "t.opened" }
func (added) EventType() string  { return "t.added" }

type counter struct {
	total       int
	began, done int
}

var (
	errNotOpened = errors.New("not opened")
	errInvalid   = errors.New("invalid")
)

var counterReplay = kernel.Replay[*counter, counterEvent]{
	Opening:   "t.opened",
	Opens:     func(e counterEvent) bool { _, ok := e.(opened); return ok },
	NotOpened: func(d string) error { return fmt.Errorf("%w: %s", errNotOpened, d) },
	Invalid:   func(i int, err error) error { return fmt.Errorf("%w: event %d: %v", errInvalid, i, err) },
	Open:      func(counterEvent) (*counter, error) { return &counter{}, nil },
	Apply: func(c *counter, e counterEvent) error {
		a, ok := e.(added)
		if !ok || a.n < 0 {
			return fmt.Errorf("cannot apply %s", e.EventType())
		}
		c.total += a.n
		return nil
	},
	Begin: func(c *counter, n int) { c.began = n },
	End:   func(c *counter, n int) { c.done = n },
}

func TestReplayIsTheOneRebuilding(t *testing.T) {
	c, err := counterReplay.Run([]counterEvent{opened{}, added{2}, added{3}})
	require.NoError(t, err)
	assert.Equal(t, 5, c.total)
	assert.Equal(t, 3, c.began, "Begin runs once the aggregate is open, told how many events there are")
	assert.Equal(t, 3, c.done, "End runs after the last")

	for _, tc := range []struct {
		name   string
		events []counterEvent
		is     error
		says   string
	}{
		{"no events", nil, errNotOpened, "no events"},
		{"a first event that does not open", []counterEvent{added{1}}, errNotOpened, "event 0 is t.added, not t.opened"},
		{"a nil first event", []counterEvent{nil}, errNotOpened, "event 0 is nothing, not t.opened"},
		{"an event that does not apply", []counterEvent{opened{}, added{1}, added{-1}}, errInvalid, "event 2: cannot apply t.added"},
		{"a second opening", []counterEvent{opened{}, opened{}}, errInvalid, "event 1: cannot apply t.opened"},
		{"a nil later event", []counterEvent{opened{}, nil}, errInvalid, "event 1: no event"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := counterReplay.Run(tc.events)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, tc.is)
			assert.ErrorContains(t, err, tc.says)
		})
	}
}
