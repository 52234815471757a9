package meeting

import "github.com/coproduce/sociocracy/internal/kernel"

// codec is the stored form of every meeting event. Outside input is also
// held to the rules the JSON types cannot carry ([checkEvent]).
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "meeting", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details}, Check: checkEvent,
},
	kernel.TypeOf[Event, Convened](),
	kernel.TypeOf[Event, ItemsAdded](),
	kernel.TypeOf[Event, Opened](),
	kernel.TypeOf[Event, AttendanceRecorded](),
	kernel.TypeOf[Event, ActsRecorded](),
	kernel.TypeOf[Event, Minuted](),
	kernel.TypeOf[Event, Closed](),
	kernel.TypeOf[Event, Published](),
	kernel.TypeOf[Event, Cancelled](),
)

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of ev: its type name and JSON body.
// The JSON field names are part of the storage format and never change
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(ev Event) (typ string, data []byte, err error) { return codec.Marshal(ev) }

// UnmarshalEvent decodes an event stored by [MarshalEvent] that comes from
// outside the library, strictly: an unknown type is refused with
// [ErrUnknownEventType]; unknown, missing or duplicate fields, case-variant
// keys, invalid values and texts or links that no act would write with
// [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json,
// several times faster than [UnmarshalEvent]. It still refuses an unknown
// type name ([ErrUnknownEventType]) and a body that is not JSON of the type
// ([ErrInvalidEvent]), and never panics. Replaying the event checks it
// against the meeting as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}

// checkEvent holds outside input to the rules of the acts.
func checkEvent(ev Event) error {
	const act = "check event"
	switch ev := ev.(type) {
	case Convened:
		return checkTitle(act, ev.Title)
	case ItemsAdded:
		for _, it := range ev.Items {
			if err := checkItem(act, ItemSpec{Source: it.Source, Title: it.Title, Review: it.Review, Process: it.Process, Election: it.Election, Confidential: it.Confidential}); err != nil {
				return err
			}
		}
	case ActsRecorded:
		return checkLinks(act, ev.Links)
	case Minuted:
		return checkNote(act, "note", ev.Note)
	case Cancelled:
		return checkNote(act, "reason", ev.Reason)
	}
	return nil
}
