package consent

import "github.com/coproduce/sociocracy/internal/kernel"

// codec is the stored form of every consent event.
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "consent", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details},
},
	kernel.TypeOf[Event, Started](),
	kernel.TypeOf[Event, Presented](),
	kernel.TypeOf[Event, QuestionAsked](),
	kernel.TypeOf[Event, QuestionAnswered](),
	kernel.TypeOf[Event, ReactionsOpened](),
	kernel.TypeOf[Event, ReactionsSkipped](),
	kernel.TypeOf[Event, Reacted](),
	kernel.TypeOf[Event, ProposalAmended](),
	kernel.TypeOf[Event, ConsentRoundOpened](),
	kernel.TypeOf[Event, Answered](),
	kernel.TypeOf[Event, DeadlineSet](),
	kernel.TypeOf[Event, SnapshotRetaken](),
	kernel.TypeOf[Event, IntegrationBegun](),
	kernel.TypeOf[Event, ObjectionUnderstood](),
	kernel.TypeOf[Event, ObjectionTested](),
	kernel.TypeOf[Event, TermShortened](),
	kernel.TypeOf[Event, MeasureAdded](),
	kernel.TypeOf[Event, ObjectionDeferred](),
	kernel.TypeOf[Event, ObjectionWithdrawn](),
	kernel.TypeOf[Event, DecisionAdopted](),
	kernel.TypeOf[Event, DecisionReopened](),
	kernel.TypeOf[Event, ConsentWithdrawn](),
	kernel.TypeOf[Event, ProposalWithdrawn](),
	kernel.TypeOf[Event, Referred](),
	kernel.TypeOf[Event, SubjectHeard](),
	kernel.TypeOf[Event, AdviceGiven](),
	kernel.TypeOf[Event, InterestDeclared](),
	kernel.TypeOf[Event, InterestRuled](),
	kernel.TypeOf[Event, DecisionStuck](),
	kernel.TypeOf[Event, ReferredToParent](),
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
// keys, malformed IDs and invalid enum values with [ErrInvalidEvent], naming
// the place. Whether the event fits a process is checked when it is applied
// ([Process.Apply]).
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json,
// three to four times faster than [UnmarshalEvent] (BenchmarkUnmarshal in internal/kernel). It still
// refuses an unknown type name ([ErrUnknownEventType]) and a body that is not
// JSON of the type ([ErrInvalidEvent]), and never panics; it does not look
// for unknown, duplicate or missing fields. Applying the event checks it
// against the process as always.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}
