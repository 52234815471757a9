package meeting

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

type meetingKind struct{}

func (meetingKind) IDKind() string { return "meeting" }

// MeetingID identifies a meeting of a circle.
type MeetingID = circle.ID[meetingKind]

// ParseMeetingID parses a [MeetingID]; see [circle.ParseID].
func ParseMeetingID(s string) (MeetingID, error) { return circle.ParseID[meetingKind](s) }

// Phase is where a meeting stands. The zero value is invalid.
type Phase uint8

// The phases, in order.
const (
	PhasePlanned   Phase = 1 + iota // convened; the agenda is being built
	PhaseInSession                  // opened by the facilitator
	PhaseClosed                     // closed; the secretary completes the minutes
	PhasePublished                  // minutes published to every member of the organisation
	PhaseCancelled                  // called off before it opened
)

var phases = enum.New[Phase]("Phase", "phase", refuser, "planned", "in-session", "closed", "published", "cancelled")

// Phases lists every phase in order.
func Phases() []Phase { return phases.Values() }

// String returns the text form.
func (p Phase) String() string { return phases.Name(p) }

// Valid reports whether p is one of the constants.
func (p Phase) Valid() bool { return phases.Valid(p) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (p Phase) MarshalText() ([]byte, error) { return phases.MarshalText(p) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (p *Phase) UnmarshalText(b []byte) error { return phases.UnmarshalText(b, p) }

// Source says where an agenda item comes from.
type Source uint8

// The sources of agenda items.
const (
	SourceReview   Source = 1 + iota // due on the review calendar
	SourceProcess                    // an open consent process of the circle
	SourceElection                   // an open election of the circle
	SourceRequest                    // asked for by a member
)

var sources = enum.New[Source]("Source", "item source", refuser, "review", "process", "election", "request")

// ItemSources lists every item source in order.
func ItemSources() []Source { return sources.Values() }

// String returns the text form.
func (s Source) String() string { return sources.Name(s) }

// Valid reports whether s is one of the constants.
func (s Source) Valid() bool { return sources.Valid(s) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (s Source) MarshalText() ([]byte, error) { return sources.MarshalText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Source) UnmarshalText(b []byte) error { return sources.UnmarshalText(b, s) }

// Attendance is how a person took part in a meeting.
type Attendance uint8

// The kinds of attendance. Present, absent and apologies are for members of
// the circle; guest is for anyone else.
const (
	Present   Attendance = 1 + iota // a member who took part
	Absent                          // a member who did not come and sent no apologies
	Apologies                       // a member who sent apologies
	Guest                           // someone who is not a member: no consent right, leaves for confidential items
)

var attendances = enum.New[Attendance]("Attendance", "attendance", refuser, "present", "absent", "apologies", "guest")

// Attendances lists every kind of attendance in order.
func Attendances() []Attendance { return attendances.Values() }

// String returns the text form.
func (a Attendance) String() string { return attendances.Name(a) }

// Valid reports whether a is one of the constants.
func (a Attendance) Valid() bool { return attendances.Valid(a) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (a Attendance) MarshalText() ([]byte, error) { return attendances.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Attendance) UnmarshalText(b []byte) error { return attendances.UnmarshalText(b, a) }

// Outcome is what happened to an agenda item, as the minutes record it.
type Outcome uint8

// The outcomes of an agenda item.
const (
	OutcomeDecided    Outcome = 1 + iota // a decision was taken (a consent process adopted, an election ended, a review completed)
	OutcomeProgressed                    // the matter moved on (a round held, objections integrated) but is not finished
	OutcomeDeferred                      // carried to a later meeting
	OutcomeNoted                         // heard, nothing to decide
	OutcomeDropped                       // taken off the agenda
)

var outcomes = enum.New[Outcome]("Outcome", "item outcome", refuser, "decided", "progressed", "deferred", "noted", "dropped")

// Outcomes lists every outcome in order.
func Outcomes() []Outcome { return outcomes.Values() }

// String returns the text form.
func (o Outcome) String() string { return outcomes.Name(o) }

// Valid reports whether o is one of the constants.
func (o Outcome) Valid() bool { return outcomes.Valid(o) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomes.UnmarshalText(b, o) }

// Act names an act of a meeting, for [Meeting.Allowed].
type Act uint8

// The acts.
const (
	ActAddItems Act = 1 + iota
	ActRequestItem
	ActOpen
	ActAttend
	ActSendApologies
	ActRecordActs
	ActMinute
	ActClose
	ActPublish
	ActCancel
)

var acts = enum.New[Act]("Act", "act", refuser,
	"add-items", "request-item", "open", "attend", "send-apologies", "record-acts", "minute", "close", "publish", "cancel")

// Acts lists every act in order.
func Acts() []Act { return acts.Values() }

// String returns the text form.
func (a Act) String() string { return acts.Name(a) }

// Valid reports whether a is one of the constants.
func (a Act) Valid() bool { return acts.Valid(a) }

// MarshalText implements encoding.TextMarshaler; an invalid value is an error.
func (a Act) MarshalText() ([]byte, error) { return acts.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Act) UnmarshalText(b []byte) error { return acts.UnmarshalText(b, a) }
