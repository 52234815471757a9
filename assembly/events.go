package assembly

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Header is carried by every event of a general meeting.
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
	EventType() string // stable name, "assembly.<snake_case>"
	EventHeader() Header
	apply(m *Meeting) error
}

// Member is a member of the organisation with a vote, and their class.
type Member struct {
	Person circle.PersonID         `json:"person"`
	Class  circle.StakeholderClass `json:"class"`
}

// Called gives notice of a general meeting: its kind, when it is held, the
// chair, the rules it runs under and the members entitled to attend and
// vote (the organisation's people when notice was given).
type Called struct {
	Header
	Kind    Kind            `json:"kind"`
	Title   string          `json:"title"`
	Chair   circle.PersonID `json:"chair"`
	Held    time.Time       `json:"held"`
	Zone    string          `json:"zone"` // the organisation's IANA zone, in which notice is counted
	Rules   Rules           `json:"rules"`
	Members []Member        `json:"members"`
}

// Proposed puts a resolution on the notice, numbered from 1.
type Proposed struct {
	Header
	Resolution int      `json:"resolution"`
	Majority   Majority `json:"majority"`
	Title      string   `json:"title"`
	Text       string   `json:"text"`
}

// ProxyAppointed records that the actor appointed Holder their proxy.
type ProxyAppointed struct {
	Header
	Holder circle.PersonID `json:"holder"`
}

// ProxyRevoked records that the actor revoked their proxy.
type ProxyRevoked struct{ Header }

// Registered records a member present in person; a proxy they had
// appointed ends, since their own vote wins.
type Registered struct {
	Header
	Person     circle.PersonID `json:"person"`
	ProxyEnded bool            `json:"proxyEnded,omitempty"`
}

// Opened records that the chair opened the meeting, quorate: Present
// members in person or by proxy, of the Need the quorum asks.
type Opened struct {
	Header
	Present int `json:"present"`
	Need    int `json:"need"`
}

// Abandoned records that the meeting was called off before it opened.
type Abandoned struct {
	Header
	Reason string `json:"reason"`
}

// ConsentSought records that the chair put a resolution to the meeting for
// consent.
type ConsentSought struct {
	Header
	Resolution int `json:"resolution"`
}

// Objected records a member's objection, with its reason.
type Objected struct {
	Header
	Resolution int    `json:"resolution"`
	Reason     string `json:"reason"`
}

// ObjectionWithdrawn records that the objector withdrew their objection.
type ObjectionWithdrawn struct {
	Header
	Resolution int `json:"resolution"`
}

// VoteCalled records that an objection stood and the chair called a vote,
// as the rules allow.
type VoteCalled struct {
	Header
	Resolution int `json:"resolution"`
}

// Voted records a vote: Member's own (the actor) or cast for them by the
// actor, the proxy they appointed.
type Voted struct {
	Header
	Resolution int             `json:"resolution"`
	Member     circle.PersonID `json:"member"`
	Choice     Choice          `json:"choice"`
}

// Decided records the end of a resolution: carried by consent, or carried
// or lost on the count, whose result it holds.
type Decided struct {
	Header
	Resolution int     `json:"resolution"`
	Carried    bool    `json:"carried"`
	ByConsent  bool    `json:"byConsent,omitempty"`
	Result     *Result `json:"result,omitempty"`
}

// Withdrawn records that the chair withdrew a resolution.
type Withdrawn struct {
	Header
	Resolution int    `json:"resolution"`
	Reason     string `json:"reason"`
}

// Closed records that the chair closed the meeting.
type Closed struct{ Header }

func (Called) EventType() string             { return "assembly.called" }
func (Proposed) EventType() string           { return "assembly.proposed" }
func (ProxyAppointed) EventType() string     { return "assembly.proxy_appointed" }
func (ProxyRevoked) EventType() string       { return "assembly.proxy_revoked" }
func (Registered) EventType() string         { return "assembly.registered" }
func (Opened) EventType() string             { return "assembly.opened" }
func (Abandoned) EventType() string          { return "assembly.abandoned" }
func (ConsentSought) EventType() string      { return "assembly.consent_sought" }
func (Objected) EventType() string           { return "assembly.objected" }
func (ObjectionWithdrawn) EventType() string { return "assembly.objection_withdrawn" }
func (VoteCalled) EventType() string         { return "assembly.vote_called" }
func (Voted) EventType() string              { return "assembly.voted" }
func (Decided) EventType() string            { return "assembly.decided" }
func (Withdrawn) EventType() string          { return "assembly.withdrawn" }
func (Closed) EventType() string             { return "assembly.closed" }
