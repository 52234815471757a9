package review

import (
	"encoding/json"
	"errors"
	"slices"

	"github.com/coproduce/sociocracy/internal/strictjson"
)

// eventTypes maps each stored type name to a decoder of that event.
var eventTypes = map[string]func([]byte) (Event, error){
	Opened{}.EventType():          decodeAs[Opened],
	ItemScheduled{}.EventType():   decodeAs[ItemScheduled],
	ItemRescheduled{}.EventType(): decodeAs[ItemRescheduled],
	ReviewCompleted{}.EventType(): decodeAs[ReviewCompleted],
	ItemRetired{}.EventType():     decodeAs[ItemRetired],
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
	data, err = json.Marshal(e)
	if err != nil {
		return "", nil, refuse("marshal event", ErrInvalidEvent, "%s: %v", e.EventType(), err)
	}
	return e.EventType(), data, nil
}

// UnmarshalEvent decodes an event stored by [MarshalEvent]. Decoding is
// strict: an unknown type is refused with [ErrUnknownEventType]; unknown,
// missing or duplicate fields, case-variant keys, malformed IDs, invalid
// enum values and rules with [ErrInvalidEvent], naming the place.
func UnmarshalEvent(typ string, data []byte) (Event, error) {
	dec, ok := eventTypes[typ]
	if !ok {
		return nil, refuse("unmarshal event", ErrUnknownEventType, "%q is not a review event type", clip(typ))
	}
	return dec(data)
}

func decodeAs[E interface {
	Event
	check() error
}](data []byte) (Event, error) {
	var e E
	if err := strictjson.Unmarshal(data, &e); err != nil {
		return nil, refuse("unmarshal event", ErrInvalidEvent, "%s: %s", e.EventType(), decodeDetail(err))
	}
	if err := e.check(); err != nil {
		return nil, refuse("unmarshal event", ErrInvalidEvent, "%s: %s", e.EventType(), err.(*Error).Detail)
	}
	return e, nil
}

// check validates what the JSON types alone do not: the same rules the acts
// apply to their arguments.
func (e Opened) check() error {
	if e.Org.IsZero() || e.Actor.IsZero() {
		return refuse("check", ErrMissingID, "org and actor are required")
	}
	_, err := loadZone("check", e.Zone)
	return err
}

func (e ItemScheduled) check() error {
	const act = "check"
	if err := firstErr(
		requireID(act, "item", e.Item.IsZero()),
		requireID(act, "circle", e.Circle.IsZero()),
		checkText(act, "title", e.Title, 1, 200, false),
		e.Source.Validate(),
		checkDate(act, "due", e.Due),
	); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return refuse(act, ErrInvalidKind, "kind is required")
	}
	if e.Recurrence != nil {
		return firstErr(e.Recurrence.Validate(), checkDate(act, "recurrence start", e.Recurrence.Start))
	}
	return nil
}

func (e ItemRescheduled) check() error {
	const act = "check"
	return firstErr(requireID(act, "item", e.Item.IsZero()), checkDate(act, "from", e.From), checkDate(act, "to", e.To),
		checkText(act, "reason", e.Reason, 1, 1000, true))
}

func (e ReviewCompleted) check() error {
	const act = "check"
	if err := firstErr(requireID(act, "item", e.Item.IsZero()), checkDate(act, "reviewed", e.Reviewed), checkText(act, "note", e.Note, 0, 4000, true)); err != nil {
		return err
	}
	switch {
	case !e.Outcome.Valid():
		return refuse(act, ErrInvalidOutcome, "outcome is required")
	case e.Outcome == OutcomeKept && e.Next.IsZero():
		return refuse(act, ErrInvalidDate, "a kept item needs its next date")
	case e.Outcome == OutcomeRetired && !e.Next.IsZero():
		return refuse(act, ErrInvalidDate, "a retired item has no next date")
	case e.Outcome == OutcomeAmended && e.Process.IsZero():
		return refuse(act, ErrMissingProcess, "an amendment names its consent process")
	case !e.Next.IsZero():
		return checkDate(act, "next", e.Next)
	}
	return nil
}

func (e ItemRetired) check() error {
	const act = "check"
	return firstErr(requireID(act, "item", e.Item.IsZero()), checkText(act, "reason", e.Reason, 1, 1000, true))
}

// decodeDetail describes a strict decoding failure: the JSON path, then the
// plain message of the value's own error where there is one.
func decodeDetail(err error) string {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return err.Error()
	}
	msg := se.Msg
	if se.Err != nil {
		var re *Error
		if errors.As(se.Err, &re) && re.Detail != "" {
			msg = re.Detail
		} else {
			msg = se.Err.Error()
		}
	}
	if se.Path == "" {
		return msg
	}
	return se.Path + ": " + msg
}
