package store

import (
	"regexp"
	"strings"

	"github.com/coproduce/sociocracy/circle"
)

// Refusal is the error of an act the core refused, as the Store returns it:
// the same error, with the people and circles its message names by ID shown
// by their labels in the organisation. The core's acts on a process or an
// election do not hold the organisation, so their messages name people by
// ID; the Store does hold it, and a secretary reading "Sam Okafor is not a
// participant of round 2" can act on it where a UUID would leave them
// guessing.
//
// Programs never need the message: errors.Is matches the core's sentinel
// through a Refusal, and errors.As reaches the core's typed error (a
// *consent.Error, say) with the IDs as the core wrote them.
type Refusal struct {
	Err     error  // the core's error, unchanged
	Message string // Err's message with labels for the IDs the organisation knows
}

// Error implements error.
func (e *Refusal) Error() string { return e.Message }

// Unwrap returns the core's error.
func (e *Refusal) Unwrap() error { return e.Err }

// uuidText matches an ID as [circle.ID.String] writes it.
var uuidText = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// labelled returns err as a [Refusal] when its message names people or
// circles of o by ID, and err itself otherwise (no ID, or none that o
// knows). An ID that o does not know stays as it is: it may name a process,
// an election or a stranger, and the message is still true.
func labelled(o *circle.Organisation, err error) error {
	if err == nil || o == nil {
		return err
	}
	msg := err.Error()
	if !uuidText.MatchString(msg) {
		return err
	}
	changed := false
	out := uuidText.ReplaceAllStringFunc(msg, func(s string) string {
		if l := labelOf(o, s); l != "" {
			changed = true
			return l
		}
		return s
	})
	if !changed {
		return err
	}
	return &Refusal{Err: err, Message: out}
}

// labelOf returns the label of the person or the name of the circle that
// the ID text s names in o, or "" when o knows neither.
func labelOf(o *circle.Organisation, s string) string {
	if id, err := circle.ParsePersonID(s); err == nil {
		if p, ok := o.Person(id); ok && strings.TrimSpace(p.Label()) != "" {
			return p.Label()
		}
	}
	if id, err := circle.ParseCircleID(s); err == nil {
		if c, ok := o.Circle(id); ok && strings.TrimSpace(c.Name()) != "" {
			return c.Name()
		}
	}
	return ""
}
