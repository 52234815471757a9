package members

import "github.com/coproduce/sociocracy/internal/kernel"

// codec is the stored form of every event of the member register.
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "members", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details}, Check: checkEvent,
},
	kernel.TypeOf[Event, Opened](),
	kernel.TypeOf[Event, Admitted](),
	kernel.TypeOf[Event, Ceased](),
	kernel.TypeOf[Event, SharesSet](),
	kernel.TypeOf[Event, ConditionSet](),
	kernel.TypeOf[Event, ConditionLapsed](),
	kernel.TypeOf[Event, ConditionCleared](),
	kernel.TypeOf[Event, ClassChanged](),
	kernel.TypeOf[Event, OfficeTaken](),
	kernel.TypeOf[Event, OfficeLeft](),
)

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string { return codec.Types() }

// MarshalEvent returns the stored form of e: its type name and JSON body
// (docs/storage.md). A nil event is refused with [ErrInvalidEvent].
func MarshalEvent(e Event) (typ string, data []byte, err error) { return codec.Marshal(e) }

// UnmarshalEvent decodes an event that comes from outside the library,
// strictly: an unknown type is refused with [ErrUnknownEventType]; unknown,
// missing or duplicate fields, case-variant keys, malformed IDs, invalid
// enum values, missing IDs and negative shares with [ErrInvalidEvent],
// naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches for it: plain encoding/json, still refusing an unknown type
// and a body that is not JSON of the type, never panicking.
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
	switch e := e.(type) {
	case Opened:
		if e.Top.IsZero() {
			return refuse(act, ErrMissingID, "top circle id is required")
		}
		for _, o := range e.Offices {
			if o.Person.IsZero() || o.From.IsZero() {
				return refuse(act, ErrMissingID, "an office names its holder and when it began")
			}
		}
	case Admitted:
		if e.Person.IsZero() {
			return refuse(act, ErrMissingID, "person id is required")
		}
		if e.Shares < 0 {
			return refuse(act, ErrInvalidShares, "shares %d are negative", e.Shares)
		}
	case SharesSet:
		if e.Person.IsZero() {
			return refuse(act, ErrMissingID, "person id is required")
		}
		if e.Shares < 0 {
			return refuse(act, ErrInvalidShares, "shares %d are negative", e.Shares)
		}
	case Ceased:
		return firstPerson(e.Person, checkText(act, "reason", e.Reason, 1, 1000))
	case ConditionSet:
		return firstPerson(e.Person, nil)
	case ConditionLapsed:
		return firstPerson(e.Person, checkText(act, "reason", e.Reason, 1, 1000))
	case ConditionCleared:
		return firstPerson(e.Person, checkText(act, "reason", e.Reason, 1, 1000))
	case ClassChanged:
		return firstPerson(e.Person, nil)
	case OfficeTaken:
		return firstPerson(e.Person, nil)
	case OfficeLeft:
		return firstPerson(e.Person, nil)
	}
	return nil
}

func firstPerson(p interface{ IsZero() bool }, err error) error {
	if p.IsZero() {
		return refuse("check", ErrMissingID, "person id is required")
	}
	return err
}
