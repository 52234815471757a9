package review

import "github.com/coproduce/sociocracy/internal/kernel"

// codec is the stored form of every review event. Outside input is also
// checked against the rules the acts apply to their arguments (checkEvent).
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "review", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details}, Check: checkEvent,
},
	kernel.TypeOf[Event, Opened](),
	kernel.TypeOf[Event, ItemScheduled](),
	kernel.TypeOf[Event, ItemRescheduled](),
	kernel.TypeOf[Event, ReviewCompleted](),
	kernel.TypeOf[Event, ItemRetired](),
)

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of e: its type name and JSON body.
// The JSON field names are part of the storage format and never change
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(e Event) (typ string, data []byte, err error) { return codec.Marshal(e) }

// UnmarshalEvent decodes an event stored by [MarshalEvent] that comes from
// outside the library. Decoding is strict: an unknown type is refused with
// [ErrUnknownEventType]; unknown, missing or duplicate fields, case-variant
// keys, malformed IDs, invalid enum values and rules with [ErrInvalidEvent],
// naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json,
// three to four times faster than [UnmarshalEvent] (BenchmarkUnmarshal in internal/kernel). It still
// refuses an unknown type name ([ErrUnknownEventType]) and a body that is not
// JSON of the type ([ErrInvalidEvent]), and never panics; it skips the
// checks of outside input. Replaying the event checks it against the
// calendar as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}

// checkEvent applies an event type's rules of outside input, if it has any.
func checkEvent(e Event) error {
	if c, ok := e.(interface{ check() error }); ok {
		return c.check()
	}
	return nil
}

// check validates what the JSON types alone do not: the same rules the acts
// apply to their arguments.
func (e Opened) check() error {
	if e.Org.IsZero() || e.Actor.IsZero() {
		return refuse("check", ErrMissingID, "org and actor are required")
	}
	_, err := loadZone("check", e.Zone)
	return err
}

func (e ItemScheduled) check() error {
	const act = "check"
	if err := firstErr(
		requireID(act, "item", e.Item.IsZero()),
		requireID(act, "circle", e.Circle.IsZero()),
		checkText(act, "title", e.Title, 1, 200, false),
		e.Source.Validate(),
		checkDate(act, "due", e.Due),
	); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return refuse(act, ErrInvalidKind, "kind is required")
	}
	if e.Recurrence != nil {
		return firstErr(e.Recurrence.Validate(), checkDate(act, "recurrence start", e.Recurrence.Start))
	}
	return nil
}

func (e ItemRescheduled) check() error {
	const act = "check"
	return firstErr(requireID(act, "item", e.Item.IsZero()), checkDate(act, "from", e.From), checkDate(act, "to", e.To),
		checkText(act, "reason", e.Reason, 1, 1000, true))
}

func (e ReviewCompleted) check() error {
	const act = "check"
	if err := firstErr(requireID(act, "item", e.Item.IsZero()), checkDate(act, "reviewed", e.Reviewed), checkText(act, "note", e.Note, 0, 4000, true)); err != nil {
		return err
	}
	switch {
	case !e.Outcome.Valid():
		return refuse(act, ErrInvalidOutcome, "outcome is required")
	case e.Outcome == OutcomeKept && e.Next.IsZero():
		return refuse(act, ErrInvalidDate, "a kept item needs its next date")
	case e.Outcome == OutcomeRetired && !e.Next.IsZero():
		return refuse(act, ErrInvalidDate, "a retired item has no next date")
	case e.Outcome == OutcomeAmended && e.Process.IsZero():
		return refuse(act, ErrMissingProcess, "an amendment names its consent process")
	case !e.Next.IsZero():
		return checkDate(act, "next", e.Next)
	}
	return nil
}

func (e ItemRetired) check() error {
	const act = "check"
	return firstErr(requireID(act, "item", e.Item.IsZero()), checkText(act, "reason", e.Reason, 1, 1000, true))
}
