// Package outbox records the events an aggregate's acts yield, for the code
// that hands the aggregate to someone else's function and must know exactly
// what that function did to it (the store does, before it appends the
// events the function returns).
//
// Recording starts at the first [Box.Take], so an aggregate that nobody asks
// keeps nothing. Events applied by replay are never recorded: only an act's
// commit calls [Box.Record].
package outbox

// Box is the record of one aggregate. The zero Box records nothing until
// Take is first called. A Box is not safe for concurrent use, like the
// aggregate that holds it; copying an aggregate must give the copy a zero
// Box.
type Box[E any] struct {
	on  bool
	evs []E
}

// Record notes the events of one committed act.
func (b *Box[E]) Record(evs ...E) {
	if b.on {
		b.evs = append(b.evs, evs...)
	}
}

// Take returns the events recorded since the previous Take (nil the first
// time) and starts recording if it had not yet.
func (b *Box[E]) Take() []E {
	b.on = true
	out := b.evs
	b.evs = nil
	return out
}
