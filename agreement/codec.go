package agreement

import "github.com/coproduce/sociocracy/internal/kernel"

// codec is the stored form of every event of the register. Outside input is
// also checked against the rules Observe applies (checkEvent).
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "agreement", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details}, Check: checkEvent,
},
	kernel.TypeOf[Event, Opened](),
	kernel.TypeOf[Event, Adopted](),
	kernel.TypeOf[Event, Amended](),
	kernel.TypeOf[Event, Kept](),
	kernel.TypeOf[Event, Retired](),
	kernel.TypeOf[Event, Reopened](),
	kernel.TypeOf[Event, CircleDissolved](),
	kernel.TypeOf[Event, ReviewStarted](),
	kernel.TypeOf[Event, ReviewEnded](),
)

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of e: its type name and JSON body.
// The JSON field names are part of the storage format and never change
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(e Event) (typ string, data []byte, err error) { return codec.Marshal(e) }

// UnmarshalEvent decodes an event that comes from outside the library.
// Decoding is strict: an unknown type is refused with
// [ErrUnknownEventType]; unknown, missing or duplicate fields, case-variant
// keys, malformed IDs, invalid enum values and missing IDs with
// [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json.
// It still refuses an unknown type name and a body that is not JSON of the
// type, and never panics; replaying the event checks it as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}

func plain(err error) string { return kernel.Plain(err, details) }

func checkEvent(e Event) error {
	const act = "check"
	h := e.EventHeader()
	if h.Org.IsZero() || h.Actor.IsZero() || h.At.IsZero() {
		return refuse(act, ErrMissingID, "org, actor and time are required")
	}
	var missing bool
	switch e := e.(type) {
	case Adopted:
		missing = e.Text.missing()
	case Amended:
		missing = e.Text.missing()
	case Kept:
		missing = e.Text.missing()
	case Retired:
		missing = e.Agreement.IsZero() || e.Circle.IsZero() || e.Decision.IsZero()
	case Reopened:
		missing = e.Agreement.IsZero() || e.Circle.IsZero() || e.Decision.IsZero() || e.Version < 1
	case ReviewStarted:
		missing = e.Agreement.IsZero() || e.Circle.IsZero() || e.Process.IsZero()
	case ReviewEnded:
		missing = e.Agreement.IsZero() || e.Circle.IsZero() || e.Process.IsZero()
	case CircleDissolved:
		missing = e.Circle.IsZero()
	}
	if missing {
		return refuse(act, ErrMissingID, "%s: agreement, circle, decision or process id, or version, is missing", e.EventType())
	}
	return nil
}

func (t Text) missing() bool {
	return t.Agreement.IsZero() || t.Circle.IsZero() || t.Decision.IsZero() || t.Version < 1 || t.ReviewDate.IsZero()
}
