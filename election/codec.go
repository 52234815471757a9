package election

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/coproduce/sociocracy/internal/strictjson"
)

var eventTypes = map[string]func([]byte) (Event, error){
	Called{}.EventType():              decodeAs[Called],
	RoundOpened{}.EventType():         decodeAs[RoundOpened],
	Answered{}.EventType():            decodeAs[Answered],
	ObjectionUnderstood{}.EventType(): decodeAs[ObjectionUnderstood],
	ObjectionTested{}.EventType():     decodeAs[ObjectionTested],
	ObjectionResolved{}.EventType():   decodeAs[ObjectionResolved],
	DescriptionAmended{}.EventType():  decodeAs[DescriptionAmended],
	NominationsOpened{}.EventType():   decodeAs[NominationsOpened],
	Nominated{}.EventType():           decodeAs[Nominated],
	NominationsRevealed{}.EventType(): decodeAs[NominationsRevealed],
	NominationChanged{}.EventType():   decodeAs[NominationChanged],
	ChangesRerun{}.EventType():        decodeAs[ChangesRerun],
	Proposed{}.EventType():            decodeAs[Proposed],
	TermShortened{}.EventType():       decodeAs[TermShortened],
	Declined{}.EventType():            decodeAs[Declined],
	Elected{}.EventType():             decodeAs[Elected],
	Cancelled{}.EventType():           decodeAs[Cancelled],
}

// EventTypes lists the type names [UnmarshalEvent] accepts, sorted.
func EventTypes() []string {
	out := make([]string, 0, len(eventTypes))
	for k := range eventTypes {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// MarshalEvent returns the stored form of ev: its type name and JSON body.
func MarshalEvent(ev Event) (typ string, data []byte, err error) {
	data, err = json.Marshal(ev)
	if err != nil {
		return "", nil, refuse("marshal event", ErrInvalidEvent, "%s: %v", ev.EventType(), err)
	}
	return ev.EventType(), data, nil
}

// UnmarshalEvent decodes an event stored by [MarshalEvent], strictly: an
// unknown type is refused with [ErrUnknownEventType]; unknown, missing or
// duplicate fields and invalid values with [ErrInvalidEvent].
func UnmarshalEvent(typ string, data []byte) (Event, error) {
	dec, ok := eventTypes[typ]
	if !ok {
		return nil, refuse("unmarshal event", ErrUnknownEventType, "%q is not an election event type", typ)
	}
	return dec(data)
}

func decodeAs[E Event](data []byte) (Event, error) {
	var ev E
	if err := strictjson.Unmarshal(data, &ev); err != nil {
		var se *strictjson.Error
		if errors.As(err, &se) && se.Err != nil {
			return nil, refuse("unmarshal event", ErrInvalidEvent, "%s: %s: %v", ev.EventType(), se.Path, se.Err)
		}
		return nil, refuse("unmarshal event", ErrInvalidEvent, "%s: %v", ev.EventType(), err)
	}
	return ev, nil
}
