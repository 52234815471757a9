package circle

import (
	"github.com/coproduce/sociocracy/internal/kernel"
)

// codec is the stored form of every circle event.
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "circle", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details},
},
	kernel.TypeOf[Event, Founded](),
	kernel.TypeOf[Event, Imported](),
	kernel.TypeOf[Event, PersonAdded](),
	kernel.TypeOf[Event, PersonUpdated](),
	kernel.TypeOf[Event, CircleAdded](),
	kernel.TypeOf[Event, AimChanged](),
	kernel.TypeOf[Event, CircleMoved](),
	kernel.TypeOf[Event, CircleDissolved](),
	kernel.TypeOf[Event, DomainDelegated](),
	kernel.TypeOf[Event, DomainRevoked](),
	kernel.TypeOf[Event, MemberAdded](),
	kernel.TypeOf[Event, MemberRemoved](),
	kernel.TypeOf[Event, RoleAssigned](),
	kernel.TypeOf[Event, RoleEnded](),
	kernel.TypeOf[Event, MandateGranted](),
	kernel.TypeOf[Event, MandateRevoked](),
	kernel.TypeOf[Event, ParticipationSet](),
)

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of e: its type name and JSON body.
// The JSON field names are part of the storage format and never change
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(e Event) (typ string, data []byte, err error) { return codec.Marshal(e) }

// UnmarshalEvent decodes an event stored by [MarshalEvent] that comes from
// outside the library. Decoding is strict: an unknown type is refused with
// [ErrUnknownEventType]; unknown or duplicate fields, case-variant keys,
// malformed IDs and invalid enum values with [ErrInvalidEvent], naming the
// place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json,
// three to four times faster than [UnmarshalEvent] (BenchmarkUnmarshal in internal/kernel). It still
// refuses an unknown type name ([ErrUnknownEventType]) and a body that is not
// JSON of the type ([ErrInvalidEvent]), and never panics; it does not look
// for unknown, duplicate or missing fields. Replaying the event checks it
// against the organisation as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}
