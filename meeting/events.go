package meeting

import (
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
)

// Header is carried by every event of a meeting.
type Header struct {
	Org     circle.OrgID    `json:"org"`
	Meeting MeetingID       `json:"meeting"`
	Actor   circle.PersonID `json:"actor"`
	At      time.Time       `json:"at"` // UTC, microsecond precision
}

// EventHeader returns the header; it makes every event type an [Event].
func (h Header) EventHeader() Header { return h }

// Event is what an act yields. Replaying a meeting's events ([Replay])
// rebuilds it exactly.
type Event interface {
	EventType() string // stable name, "meeting.<snake_case>"
	EventHeader() Header
	apply(m *Meeting) error
}

// Item is one item of a meeting's agenda. Number is its place on the
// agenda, from 1. Exactly one of Review, Process and Election is set for
// the sources that name one; a member's request names the member.
type Item struct {
	Number       int                 `json:"number"`
	Source       Source              `json:"source"`
	Title        string              `json:"title"`
	Review       review.ItemID       `json:"review,omitzero"`
	Process      consent.ProcessID   `json:"process,omitzero"`
	Election     election.ElectionID `json:"election,omitzero"`
	AskedBy      circle.PersonID     `json:"askedBy,omitzero"`
	Confidential bool                `json:"confidential,omitempty"`
}

// Link is what an act done in the meeting wrote: one stream of the
// organisation's records, by its kind (the store's name for it:
// "consent", "election", "organisation", "review", ...) and ID, the
// versions it added (From to To, inclusive) and the types of the events
// written. A store makes links ([Meeting.RecordActs]); the minutes read
// them.
type Link struct {
	Stream string    `json:"stream"`
	ID     uuid.UUID `json:"id"`
	From   uint64    `json:"from"`
	To     uint64    `json:"to"`
	Types  []string  `json:"types"`
}

// Convened opens a meeting's record: the circle, who facilitates and who
// keeps the minutes, when it is to be held, and the circle's members when
// it was convened (they may attend as members and see confidential items).
type Convened struct {
	Header
	Circle      circle.CircleID   `json:"circle"`
	Title       string            `json:"title"`
	Facilitator circle.PersonID   `json:"facilitator"`
	Secretary   circle.PersonID   `json:"secretary"`
	Scheduled   time.Time         `json:"scheduled"`
	Members     []circle.PersonID `json:"members"`
}

// ItemsAdded puts items on the agenda, numbered after those already there.
type ItemsAdded struct {
	Header
	Items []Item `json:"items"`
}

// Opened records that the facilitator opened the meeting.
type Opened struct{ Header }

// AttendanceRecorded records how one person attended (the latest record
// for a person stands).
type AttendanceRecorded struct {
	Header
	Person     circle.PersonID `json:"person"`
	Attendance Attendance      `json:"attendance"`
}

// ActsRecorded records that an act done in the meeting, on the item
// numbered Item (0: none), wrote the streams of Links, in the same atomic
// append as the act.
type ActsRecorded struct {
	Header
	Item  int    `json:"item,omitzero"`
	Links []Link `json:"links"`
}

// Minuted records what happened to an agenda item; a later minute of the
// same item replaces it until the minutes are published.
type Minuted struct {
	Header
	Item    int     `json:"item"`
	Outcome Outcome `json:"outcome"`
	Note    string  `json:"note"`
}

// Closed records that the facilitator closed the meeting; the members
// whose attendance was not recorded are recorded absent.
type Closed struct {
	Header
	Absent []circle.PersonID `json:"absent"`
}

// Published records that the secretary published the minutes to every
// member of the organisation.
type Published struct{ Header }

// Cancelled records that the meeting was called off before it opened.
type Cancelled struct {
	Header
	Reason string `json:"reason"`
}

func (Convened) EventType() string           { return "meeting.convened" }
func (ItemsAdded) EventType() string         { return "meeting.items_added" }
func (Opened) EventType() string             { return "meeting.opened" }
func (AttendanceRecorded) EventType() string { return "meeting.attendance_recorded" }
func (ActsRecorded) EventType() string       { return "meeting.acts_recorded" }
func (Minuted) EventType() string            { return "meeting.minuted" }
func (Closed) EventType() string             { return "meeting.closed" }
func (Published) EventType() string          { return "meeting.published" }
func (Cancelled) EventType() string          { return "meeting.cancelled" }
