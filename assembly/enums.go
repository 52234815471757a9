package assembly

import (
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

type meetingKind struct{}

func (meetingKind) IDKind() string { return "general-meeting" }

// MeetingID identifies a general meeting of the members.
type MeetingID = circle.ID[meetingKind]

// ParseMeetingID parses a [MeetingID]; see [circle.ParseID].
func ParseMeetingID(s string) (MeetingID, error) { return circle.ParseID[meetingKind](s) }

// The enumerations of the package share one shape (see internal/enum).

// Kind is the kind of a general meeting.
type Kind uint8

// The kinds of general meeting.
const (
	Annual        Kind = 1 + iota // the annual general meeting (AGM)
	Extraordinary                 // any other general meeting (EGM)
)

var kinds = enum.New[Kind]("Kind", "meeting kind", refuser, "annual", "extraordinary")

func (k Kind) String() string                { return kinds.Name(k) }
func (k Kind) Valid() bool                   { return kinds.Valid(k) }
func (k Kind) MarshalText() ([]byte, error)  { return kinds.MarshalText(k) }
func (k *Kind) UnmarshalText(b []byte) error { return kinds.UnmarshalText(b, k) }

// Phase is where a general meeting stands. The zero value is invalid.
type Phase uint8

// The phases, in order.
const (
	PhaseCalled    Phase = 1 + iota // notice given; resolutions, proxies and registrations come in
	PhaseInSession                  // opened by the chair, quorate
	PhaseClosed                     // closed; every resolution decided
	PhaseAbandoned                  // called off, or inquorate when it should have opened
)

var phases = enum.New[Phase]("Phase", "phase", refuser, "called", "in-session", "closed", "abandoned")

func (p Phase) String() string                { return phases.Name(p) }
func (p Phase) Valid() bool                   { return phases.Valid(p) }
func (p Phase) MarshalText() ([]byte, error)  { return phases.MarshalText(p) }
func (p *Phase) UnmarshalText(b []byte) error { return phases.UnmarshalText(b, p) }

// Ended reports whether p is a terminal phase.
func (p Phase) Ended() bool { return p == PhaseClosed || p == PhaseAbandoned }

// Majority is the kind of resolution, which says what majority it needs.
type Majority uint8

// The kinds of resolution.
const (
	Ordinary Majority = 1 + iota // more than half, unless the rules say otherwise
	Special                      // 75%, or the organisation's own threshold
)

var majorities = enum.New[Majority]("Majority", "resolution kind", refuser, "ordinary", "special")

func (m Majority) String() string                { return majorities.Name(m) }
func (m Majority) Valid() bool                   { return majorities.Valid(m) }
func (m Majority) MarshalText() ([]byte, error)  { return majorities.MarshalText(m) }
func (m *Majority) UnmarshalText(b []byte) error { return majorities.UnmarshalText(b, m) }

// Comparison says whether a threshold must be passed or only reached.
type Comparison uint8

// The comparisons.
const (
	MoreThan Comparison = 1 + iota // the share for must be greater than the threshold
	AtLeast                        // the share for must reach the threshold
)

var comparisons = enum.New[Comparison]("Comparison", "comparison", refuser, "more-than", "at-least")

func (c Comparison) String() string                { return comparisons.Name(c) }
func (c Comparison) Valid() bool                   { return comparisons.Valid(c) }
func (c Comparison) MarshalText() ([]byte, error)  { return comparisons.MarshalText(c) }
func (c *Comparison) UnmarshalText(b []byte) error { return comparisons.UnmarshalText(b, c) }

// Base is what a majority is a share of.
type Base uint8

// The bases of a majority.
const (
	VotesCast      Base = 1 + iota // votes for and against; abstentions do not count
	MembersPresent                 // every member present, in person or by proxy, whether they vote or not
)

var bases = enum.New[Base]("Base", "majority base", refuser, "votes-cast", "members-present")

func (b Base) String() string                { return bases.Name(b) }
func (b Base) Valid() bool                   { return bases.Valid(b) }
func (b Base) MarshalText() ([]byte, error)  { return bases.MarshalText(b) }
func (b *Base) UnmarshalText(t []byte) error { return bases.UnmarshalText(t, b) }

// Weighting is how the votes of stakeholder classes are weighted.
type Weighting uint8

// The weightings.
const (
	// Unweighted: one member, one vote.
	Unweighted Weighting = 1 + iota
	// Capped: a class listed with a cap carries at most that share of the
	// total; its votes are scaled down only when it would carry more.
	Capped
	// FixedShare: a class listed with a share carries exactly that share of
	// the total; the classes not listed carry the rest together, one vote
	// each among them.
	FixedShare
)

var weightings = enum.New[Weighting]("Weighting", "weighting", refuser, "unweighted", "capped", "fixed-share")

func (w Weighting) String() string                { return weightings.Name(w) }
func (w Weighting) Valid() bool                   { return weightings.Valid(w) }
func (w Weighting) MarshalText() ([]byte, error)  { return weightings.MarshalText(w) }
func (w *Weighting) UnmarshalText(b []byte) error { return weightings.UnmarshalText(b, w) }

// Voting says whether a resolution that finds no consent goes to a vote.
type Voting uint8

// The voting rules.
const (
	// VoteAfterConsent: consent in the first instance, with voting to follow
	// when an objection stands (Equal Care Co-op's rule).
	VoteAfterConsent Voting = 1 + iota
	// ConsentOnly: no vote; a resolution with an objection standing is lost
	// or withdrawn.
	ConsentOnly
)

var votings = enum.New[Voting]("Voting", "voting rule", refuser, "vote-after-consent", "consent-only")

func (v Voting) String() string                { return votings.Name(v) }
func (v Voting) Valid() bool                   { return votings.Valid(v) }
func (v Voting) MarshalText() ([]byte, error)  { return votings.MarshalText(v) }
func (v *Voting) UnmarshalText(b []byte) error { return votings.UnmarshalText(b, v) }

// Choice is a vote.
type Choice uint8

// The choices of a vote.
const (
	For Choice = 1 + iota
	Against
	Abstain
)

var choices = enum.New[Choice]("Choice", "vote", refuser, "for", "against", "abstain")

func (c Choice) String() string                { return choices.Name(c) }
func (c Choice) Valid() bool                   { return choices.Valid(c) }
func (c Choice) MarshalText() ([]byte, error)  { return choices.MarshalText(c) }
func (c *Choice) UnmarshalText(b []byte) error { return choices.UnmarshalText(b, c) }

// Stage is where a resolution stands.
type Stage uint8

// The stages of a resolution.
const (
	StageProposed  Stage = 1 + iota // on the notice, not yet taken
	StageConsent                    // the chair asks for consent; objections are heard
	StageVoting                     // an objection stood; the members vote
	StageCarried                    // passed, by consent or by vote
	StageLost                       // failed the vote, or an objection stood where the rules allow no vote
	StageWithdrawn                  // withdrawn by the chair
)

var stages = enum.New[Stage]("Stage", "resolution stage", refuser, "proposed", "consent", "voting", "carried", "lost", "withdrawn")

func (s Stage) String() string                { return stages.Name(s) }
func (s Stage) Valid() bool                   { return stages.Valid(s) }
func (s Stage) MarshalText() ([]byte, error)  { return stages.MarshalText(s) }
func (s *Stage) UnmarshalText(b []byte) error { return stages.UnmarshalText(b, s) }

// Decided reports whether s is a final stage.
func (s Stage) Decided() bool { return s >= StageCarried }

// Act names an act of a general meeting, for [Meeting.Allowed].
type Act uint8

// The acts.
const (
	ActPropose Act = 1 + iota
	ActAppointProxy
	ActRevokeProxy
	ActRegister
	ActOpen
	ActSeekConsent
	ActObject
	ActWithdrawObjection
	ActDeclareConsent
	ActCallVote
	ActVote
	ActCount
	ActWithdraw
	ActClose
	ActAbandon
)

var acts = enum.New[Act]("Act", "act", refuser,
	"propose", "appoint-proxy", "revoke-proxy", "register", "open", "seek-consent", "object", "withdraw-objection",
	"declare-consent", "call-vote", "vote", "count", "withdraw", "close", "abandon")

func (a Act) String() string                { return acts.Name(a) }
func (a Act) Valid() bool                   { return acts.Valid(a) }
func (a Act) MarshalText() ([]byte, error)  { return acts.MarshalText(a) }
func (a *Act) UnmarshalText(b []byte) error { return acts.UnmarshalText(b, a) }

// The values of each enumeration, in order.

// Kinds lists every kind of general meeting.
func Kinds() []Kind { return kinds.Values() }

// Phases lists every phase.
func Phases() []Phase { return phases.Values() }

// Majorities lists every kind of resolution.
func Majorities() []Majority { return majorities.Values() }

// Comparisons lists every comparison.
func Comparisons() []Comparison { return comparisons.Values() }

// Bases lists every base of a majority.
func Bases() []Base { return bases.Values() }

// Weightings lists every weighting.
func Weightings() []Weighting { return weightings.Values() }

// Votings lists every voting rule.
func Votings() []Voting { return votings.Values() }

// Choices lists every choice of a vote.
func Choices() []Choice { return choices.Values() }

// Stages lists every stage of a resolution.
func Stages() []Stage { return stages.Values() }

// Acts lists every act.
func Acts() []Act { return acts.Values() }
