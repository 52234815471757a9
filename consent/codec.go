package consent

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/coproduce/sociocracy/internal/strictjson"
)

// eventTypes maps each stored type name to a decoder of that event.
var eventTypes = map[string]func([]byte) (Event, error){
	Started{}.EventType():             decodeAs[Started],
	Presented{}.EventType():           decodeAs[Presented],
	QuestionAsked{}.EventType():       decodeAs[QuestionAsked],
	QuestionAnswered{}.EventType():    decodeAs[QuestionAnswered],
	ReactionsOpened{}.EventType():     decodeAs[ReactionsOpened],
	ReactionsSkipped{}.EventType():    decodeAs[ReactionsSkipped],
	Reacted{}.EventType():             decodeAs[Reacted],
	ProposalAmended{}.EventType():     decodeAs[ProposalAmended],
	ConsentRoundOpened{}.EventType():  decodeAs[ConsentRoundOpened],
	Answered{}.EventType():            decodeAs[Answered],
	DeadlineSet{}.EventType():         decodeAs[DeadlineSet],
	SnapshotRetaken{}.EventType():     decodeAs[SnapshotRetaken],
	IntegrationBegun{}.EventType():    decodeAs[IntegrationBegun],
	ObjectionUnderstood{}.EventType(): decodeAs[ObjectionUnderstood],
	ObjectionTested{}.EventType():     decodeAs[ObjectionTested],
	TermShortened{}.EventType():       decodeAs[TermShortened],
	MeasureAdded{}.EventType():        decodeAs[MeasureAdded],
	ObjectionDeferred{}.EventType():   decodeAs[ObjectionDeferred],
	ObjectionWithdrawn{}.EventType():  decodeAs[ObjectionWithdrawn],
	DecisionAdopted{}.EventType():     decodeAs[DecisionAdopted],
	DecisionReopened{}.EventType():    decodeAs[DecisionReopened],
	ConsentWithdrawn{}.EventType():    decodeAs[ConsentWithdrawn],
	ProposalWithdrawn{}.EventType():   decodeAs[ProposalWithdrawn],
	Referred{}.EventType():            decodeAs[Referred],
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

// MarshalEvent returns the stored form of e: its type name and JSON body.
// The JSON field names are part of the storage format and never change.
func MarshalEvent(e Event) (typ string, data []byte, err error) {
	if e == nil {
		return "", nil, refuse("marshal event", ErrInvalidEvent, "nil event")
	}
	data, err = json.Marshal(e)
	if err != nil {
		return "", nil, refuse("marshal event", ErrInvalidEvent, "%s: %v", e.EventType(), err)
	}
	return e.EventType(), data, nil
}

// UnmarshalEvent decodes an event stored by [MarshalEvent]. Decoding is
// strict: an unknown type is refused with [ErrUnknownEventType]; unknown,
// missing or duplicate fields, case-variant keys, malformed IDs and invalid
// enum values with [ErrInvalidEvent], naming the place. Whether the event
// fits a process is checked when it is applied ([Process.Apply]).
func UnmarshalEvent(typ string, data []byte) (Event, error) {
	dec, ok := eventTypes[typ]
	if !ok {
		return nil, refuse("unmarshal event", ErrUnknownEventType, "%q is not a consent event type", clip(typ))
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

// decodeDetail describes a strict decoding failure: the JSON path, then the
// plain message of the value's own error where there is one.
func decodeDetail(err error) string {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	msg := se.Msg
	var ce *Error
	if se.Err != nil && errors.As(se.Err, &ce) && ce.Detail != "" {
		msg = ce.Detail
	} else if se.Err != nil {
		msg = se.Err.Error()
	}
	if se.Path == "" {
		return msg
	}
	return se.Path + ": " + msg
}
