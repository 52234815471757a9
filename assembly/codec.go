package assembly

import (
	"math/big"
	"strings"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// codec is the stored form of every event of a general meeting.
var codec = kernel.NewCodec(kernel.CodecSpec[Event]{
	Pkg: "assembly", Invalid: ErrInvalidEvent, Unknown: ErrUnknownEventType,
	Refuse: refuseText, Details: []kernel.Detailed{details}, Check: checkEvent,
},
	kernel.TypeOf[Event, Called](),
	kernel.TypeOf[Event, Proposed](),
	kernel.TypeOf[Event, ProxyAppointed](),
	kernel.TypeOf[Event, ProxyRevoked](),
	kernel.TypeOf[Event, Registered](),
	kernel.TypeOf[Event, Opened](),
	kernel.TypeOf[Event, Abandoned](),
	kernel.TypeOf[Event, ConsentSought](),
	kernel.TypeOf[Event, Objected](),
	kernel.TypeOf[Event, ObjectionWithdrawn](),
	kernel.TypeOf[Event, VoteCalled](),
	kernel.TypeOf[Event, Voted](),
	kernel.TypeOf[Event, Decided](),
	kernel.TypeOf[Event, Withdrawn](),
	kernel.TypeOf[Event, Closed](),
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
// keys, invalid values, invalid rules and results that are not exact
// rationals with [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) { return codec.Unmarshal(typ, data) }

// UnmarshalStoredEvent decodes an event read back from a store whose hash
// chain vouches that it is what [MarshalEvent] wrote: plain encoding/json.
// It still refuses an unknown type name ([ErrUnknownEventType]) and a body
// that is not JSON of the type ([ErrInvalidEvent]), and never panics.
func UnmarshalStoredEvent(typ string, data []byte) (Event, error) {
	return codec.UnmarshalStored(typ, data)
}

// checkEvent holds outside input to the rules of the acts.
func checkEvent(ev Event) error {
	const act = "check event"
	switch ev := ev.(type) {
	case Called:
		if err := ev.Rules.Validate(); err != nil {
			return err
		}
		return checkText(act, "title", ev.Title, 1, 200, false)
	case Proposed:
		return kernel.FirstErr(checkText(act, "title", ev.Title, 1, 200, false), checkText(act, "text", ev.Text, 1, 20000, true))
	case Objected:
		return checkText(act, "reason", ev.Reason, 1, 4000, true)
	case Abandoned:
		return checkText(act, "reason", ev.Reason, 0, 4000, true)
	case Withdrawn:
		return checkText(act, "reason", ev.Reason, 0, 4000, true)
	case Decided:
		if r := ev.Result; r != nil {
			for _, s := range append([]string{r.For, r.Against, r.Total}, weightsOf(r)...) {
				if !isRat(s) {
					return refuse(act, ErrInvalidEvent, "%q is not an exact non-negative rational such as \"9/41\"", s)
				}
			}
		}
	}
	return nil
}

// isRat reports whether s is a non-negative rational written as
// math/big's RatString writes it ("9/41", "2"), at most 200 bytes: digits
// and one slash only, so that no exponent can make it costly.
func isRat(s string) bool {
	if len(s) == 0 || len(s) > 200 || strings.Count(s, "/") > 1 || strings.Trim(s, "0123456789/") != "" {
		return false
	}
	q, ok := new(big.Rat).SetString(s)
	return ok && q.Sign() >= 0
}

func weightsOf(r *Result) []string {
	out := make([]string, len(r.Classes))
	for i, c := range r.Classes {
		out[i] = c.Weight
	}
	return out
}

// checkText applies the library's one text rule (kernel.CheckText).
func checkText(act, what, s string, minLen, maxLen int, multiline bool) error {
	if p, msg := kernel.CheckText(kernel.Text{What: what, Min: minLen, Max: maxLen, Multiline: multiline}, s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}
