package election

import (
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// codec is the stored form of every election event. The consent rules an
// election applies refuse with the consent package's errors, so their detail
// is read too.
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "election", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details, consentDetails},
},
	kernel.TypeOf[Event, Called](),
	kernel.TypeOf[Event, RoundOpened](),
	kernel.TypeOf[Event, Answered](),
	kernel.TypeOf[Event, ObjectionUnderstood](),
	kernel.TypeOf[Event, ObjectionTested](),
	kernel.TypeOf[Event, ObjectionResolved](),
	kernel.TypeOf[Event, DescriptionAmended](),
	kernel.TypeOf[Event, NominationsOpened](),
	kernel.TypeOf[Event, Nominated](),
	kernel.TypeOf[Event, NominationsRevealed](),
	kernel.TypeOf[Event, NominationChanged](),
	kernel.TypeOf[Event, ChangesRerun](),
	kernel.TypeOf[Event, Proposed](),
	kernel.TypeOf[Event, TermShortened](),
	kernel.TypeOf[Event, Declined](),
	kernel.TypeOf[Event, Elected](),
	kernel.TypeOf[Event, Cancelled](),
)

var consentDetails = kernel.DetailOf(func(e *consent.Error) string { return e.Detail })

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of ev: its type name and JSON body.
// The JSON field names are part of the storage format and never change
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(ev Event) (typ string, data []byte, err error) { return codec.Marshal(ev) }

// UnmarshalEvent decodes an event stored by [MarshalEvent] that comes from
// outside the library, strictly: an unknown type is refused with
// [ErrUnknownEventType]; unknown, missing or duplicate fields, case-variant
// keys and invalid values with [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json,
// three to four times faster than [UnmarshalEvent] (BenchmarkUnmarshal in internal/kernel). It still
// refuses an unknown type name ([ErrUnknownEventType]) and a body that is not
// JSON of the type ([ErrInvalidEvent]), and never panics. Replaying the event
// checks it against the election as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}
