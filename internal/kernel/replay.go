package kernel

import "fmt"

// Replay says how one package rebuilds its aggregate from stored events;
// [Replay.Run] is the rebuilding, the same in every core package.
type Replay[A any, E Event] struct {
	// Opening names the events that may come first, for messages:
	// "consent.started", "circle.founded or circle.imported".
	Opening string
	// Opens reports whether e opens the aggregate.
	Opens func(e E) bool
	// NotOpened is the package's refusal of a history that does not start
	// with an opening event (detail says what came instead).
	NotOpened func(detail string) error
	// Invalid is the package's refusal of event i (from 0), which did not
	// apply with err.
	Invalid func(i int, err error) error
	// Open makes the aggregate from the opening event.
	Open func(e E) (A, error)
	// Apply applies a later event, as the aggregate's exported Apply does.
	Apply func(a A, e E) error
	// Begin, when set, runs once the aggregate is open and before the
	// later events (to build an index once at the end instead of event by
	// event, say); End, when set, after the last.
	Begin, End func(a A, events int)
}

// Run rebuilds the aggregate from events: the first must open it, the rest
// are applied in order. It refuses an empty history, a history that does
// not open, and the first event that does not apply, by its position.
func (r Replay[A, E]) Run(events []E) (A, error) {
	var zero A
	if len(events) == 0 {
		return zero, r.NotOpened("no events")
	}
	if isNil(events[0]) || !r.Opens(events[0]) {
		got := "nothing"
		if !isNil(events[0]) {
			got = events[0].EventType()
		}
		return zero, r.NotOpened(fmt.Sprintf("event 0 is %s, not %s", got, r.Opening))
	}
	a, err := r.Open(events[0])
	if err != nil {
		return zero, err
	}
	if r.Begin != nil {
		r.Begin(a, len(events))
	}
	for i, e := range events[1:] {
		if isNil(e) {
			return zero, r.Invalid(i+1, fmt.Errorf("no event"))
		}
		if err := r.Apply(a, e); err != nil {
			return zero, r.Invalid(i+1, err)
		}
	}
	if r.End != nil {
		r.End(a, len(events))
	}
	return a, nil
}
