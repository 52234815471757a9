package circle

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/coproduce/sociocracy/internal/strictjson"
)

// eventTypes maps each stored type name to a decoder of that event.
var eventTypes = map[string]func([]byte) (Event, error){
	Founded{}.EventType():         decodeAs[Founded],
	Imported{}.EventType():        decodeAs[Imported],
	PersonAdded{}.EventType():     decodeAs[PersonAdded],
	PersonUpdated{}.EventType():   decodeAs[PersonUpdated],
	CircleAdded{}.EventType():     decodeAs[CircleAdded],
	AimChanged{}.EventType():      decodeAs[AimChanged],
	CircleMoved{}.EventType():     decodeAs[CircleMoved],
	CircleDissolved{}.EventType(): decodeAs[CircleDissolved],
	DomainDelegated{}.EventType(): decodeAs[DomainDelegated],
	DomainRevoked{}.EventType():   decodeAs[DomainRevoked],
	MemberAdded{}.EventType():     decodeAs[MemberAdded],
	MemberRemoved{}.EventType():   decodeAs[MemberRemoved],
	RoleAssigned{}.EventType():    decodeAs[RoleAssigned],
	RoleEnded{}.EventType():       decodeAs[RoleEnded],
}

// EventTypes lists the type names [UnmarshalEvent] accepts.
func EventTypes() []string { return sortedStrings(eventTypes) }

// MarshalEvent returns the stored form of e: its type name and JSON body.
// The JSON field names are part of the storage format and never change.
func MarshalEvent(e Event) (typ string, data []byte, err error) {
	data, err = json.Marshal(e)
	if err != nil {
		return "", nil, refuse("marshal event", ErrInvalidEvent, "%s: %v", e.EventType(), err)
	}
	return e.EventType(), data, nil
}

// UnmarshalEvent decodes an event stored by [MarshalEvent]. Decoding is
// strict: an unknown type is refused with [ErrUnknownEventType]; unknown or
// duplicate fields, case-variant keys, malformed IDs and invalid enum values
// with [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) {
	dec, ok := eventTypes[typ]
	if !ok {
		return nil, refuse("unmarshal event", ErrUnknownEventType, "%q is not a circle event type", clip(typ))
	}
	return dec(data)
}

func decodeAs[E Event](data []byte) (Event, error) {
	var e E
	if err := strictjson.Unmarshal(data, &e); err != nil {
		return nil, refuse("unmarshal event", ErrInvalidEvent, "%s: %s", e.EventType(), decodeDetail(err))
	}
	return e, nil
}

func sortedStrings[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// decodeDetail describes a strict decoding failure: the JSON path, then the
// plain message of the value's own error where there is one.
func decodeDetail(err error) string {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return detail(err)
	}
	msg := se.Msg
	if se.Err != nil {
		msg = detail(se.Err)
	}
	if se.Path == "" {
		return msg
	}
	return se.Path + ": " + msg
}
