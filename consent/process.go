package consent

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// Proposal is what a circle consents to: a title, the driver (the need it
// answers), the text, and optionally a proposed review date (zero: the
// policy's default term, counted from adoption).
type Proposal struct {
	Title      string    `json:"title"`
	Driver     string    `json:"driver"`
	Text       string    `json:"text"`
	ReviewDate time.Time `json:"reviewDate,omitzero"`
}

// MaxTitle bounds, in bytes, a proposal's title.
const MaxTitle = 300

// Version is one version of the proposal and why it came about.
type Version struct {
	Version   int        `json:"version"`
	Proposal  Proposal   `json:"proposal"`
	Change    string     `json:"change,omitempty"`    // empty for version 1
	Addresses []PersonID `json:"addresses,omitempty"` // objectors whose objections it answered
	At        time.Time  `json:"at"`
	By        PersonID   `json:"by"`
}

// Question is a clarifying question and, once given, the proposer's answer.
type Question struct {
	Number     int       `json:"number"`
	By         PersonID  `json:"by"`
	Text       string    `json:"text"`
	AskedAt    time.Time `json:"askedAt"`
	Answer     string    `json:"answer,omitempty"`
	AnsweredAt time.Time `json:"answeredAt,omitzero"`
}

// Reaction is a participant's one reaction in the quick reaction round.
type Reaction struct {
	By   PersonID  `json:"by"`
	Text string    `json:"text"`
	At   time.Time `json:"at"`
}

// Measure watches the harm an objection fears: what is watched, the
// threshold that calls for action, who owns it, and the checkpoint date on
// which it is looked at (a review item).
type Measure struct {
	Watch      string    `json:"watch"`
	Threshold  string    `json:"threshold"`
	Owner      PersonID  `json:"owner"`
	Checkpoint time.Time `json:"checkpoint"`
}

// MeasureRecord is a measure with the objection it answers.
type MeasureRecord struct {
	Round    int      `json:"round"`
	Objector PersonID `json:"objector"`
	Measure
}

// Deferral is an objection deferred to a named owner and date.
type Deferral struct {
	Round    int       `json:"round"`
	Objector PersonID  `json:"objector"`
	Owner    PersonID  `json:"owner"`
	Until    time.Time `json:"until"`
	Note     string    `json:"note,omitempty"`
}

// ConsentWithdrawal is a member withdrawing their consent after adoption.
type ConsentWithdrawal struct {
	Person PersonID  `json:"person"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Decision is the record of an adopted decision, written so that someone
// outside the circle (a member, an auditor, a regulator) can read what was
// decided, when, until when, by whom, against which objections and under
// which rules.
type Decision struct {
	Process     ProcessID       `json:"process"`
	Org         circle.OrgID    `json:"org"`
	Circle      circle.CircleID `json:"circle"`
	Title       string          `json:"title"`
	Driver      string          `json:"driver"`
	Text        string          `json:"text"`
	Version     int             `json:"version"` // the proposal version adopted
	Proposer    PersonID        `json:"proposer"`
	Facilitator PersonID        `json:"facilitator"`
	AdoptedAt   time.Time       `json:"adoptedAt"`
	ReviewDate  time.Time       `json:"reviewDate"` // always set: proposed, shortened, or the policy default
	Round       int             `json:"round"`      // the round that gave consent
	Rounds      int             `json:"rounds"`     // how many rounds were held

	Consented  []PersonID `json:"consented,omitempty"`
	Concerns   []Answer   `json:"concerns,omitempty"`
	StoodAside []Answer   `json:"stoodAside,omitempty"` // with their optional notes
	// Silent lists participants who did not answer: under
	// AbsenceSilenceIsConsent their silence is consent; under
	// AbsenceLazyConsent they may object until LazyUntil.
	Silent    []PersonID `json:"silent,omitempty"`
	LazyUntil time.Time  `json:"lazyUntil,omitzero"`

	Objections []Objection     `json:"objections,omitempty"` // every objection of every round, with its resolution
	Measures   []MeasureRecord `json:"measures,omitempty"`
	Deferrals  []Deferral      `json:"deferrals,omitempty"`
	Policy     Policy          `json:"policy"` // the rules that applied

	// ConsentWithdrawals lists consents withdrawn after adoption; any makes
	// EarlyReview true. Both are empty in [DecisionAdopted].
	ConsentWithdrawals []ConsentWithdrawal `json:"consentWithdrawals,omitempty"`
	EarlyReview        bool                `json:"earlyReview,omitempty"`

	// Kind is the kind of decision, when the process named one.
	Kind circle.DecisionKind `json:"kind,omitempty"`
	// Support lists the answers of the round that gave consent that
	// someone gave or entered for the participant (each with its
	// [Support]: an advocate, a proxy, or an assisted entry), in
	// participant order: the support given. Every other answer the
	// participant gave themselves.
	Support []Answer `json:"support,omitempty"`
	// Superseded lists the answers an advocate or proxy gave in that round
	// that the participant's own answer replaced.
	Superseded []Answer `json:"superseded,omitempty"`
	// Membership is what a membership decision changes: the member who
	// joins or is removed.
	Membership *MembershipChange `json:"membership,omitempty"`
	// Heard lists what the subject of a removal said, heard without a
	// consent right: their objections do not block.
	Heard []Hearing `json:"heard,omitempty"`
	// Classes lists the members left out of the round that gave consent by
	// their participation class (learning members and guests), and Advice
	// what the learning members answered in it.
	Classes []Exclusion `json:"classes,omitempty"`
	Advice  []Advice    `json:"advice,omitempty"`
	// Interests lists every conflict of interest declared or raised in the
	// process, and how it was ruled on; the recused are among the
	// exclusions of the rounds that followed.
	Interests []Interest `json:"interests,omitempty"`
	// Recused lists who was left out of the round that gave consent by a
	// standing interest.
	Recused []PersonID `json:"recused,omitempty"`
	// Confidential marks a confidential item, whose record guests do not read.
	Confidential bool `json:"confidential,omitempty"`
	// Emergency, when set, is the emergency decision this decision
	// reviewed: in effect since the process started.
	Emergency *Emergency `json:"emergency,omitempty"`
}

// Act names an act of a consent process, for [Process.Allowed]. The zero
// value is invalid.
type Act uint8

// The acts, one per method of [Process].
const (
	ActPresent             Act = 1 + iota // [Process.Present]
	ActAskClarifying                      // [Process.AskClarifying]
	ActAnswerClarifying                   // [Process.AnswerClarifying]
	ActOpenReactions                      // [Process.OpenReactions]
	ActSkipReactions                      // [Process.SkipReactions]
	ActReact                              // [Process.React]
	ActAmend                              // [Process.Amend]
	ActOpenConsentRound                   // [Process.OpenConsentRound]
	ActConsent                            // [Process.Consent]
	ActRaiseConcern                       // [Process.RaiseConcern]
	ActStandAside                         // [Process.StandAside]
	ActObject                             // [Process.Object]
	ActSetDeadline                        // [Process.SetDeadline]
	ActRetakeSnapshot                     // [Process.RetakeSnapshot]
	ActIntegrate                          // [Process.Integrate]
	ActUnderstandObjection                // [Process.UnderstandObjection]
	ActTestObjection                      // [Process.TestObjection]
	ActShortenTerm                        // [Process.ShortenTerm]
	ActAddMeasure                         // [Process.AddMeasure]
	ActDefer                              // [Process.Defer]
	ActWithdrawObjection                  // [Process.WithdrawObjection]
	ActAdopt                              // [Process.Adopt]
	ActWithdrawConsent                    // [Process.WithdrawConsent]
	ActWithdraw                           // [Process.Withdraw]
	ActRefer                              // [Process.Refer]
)

var acts = enum.New[Act]("Act", "act", refuser(ErrInvalidEvent),
	"present", "ask-clarifying", "answer-clarifying", "open-reactions", "skip-reactions", "react", "amend",
	"open-consent-round", "consent", "raise-concern", "stand-aside", "object", "set-deadline", "retake-snapshot",
	"integrate", "understand-objection", "test-objection", "shorten-term", "add-measure", "defer",
	"withdraw-objection", "adopt", "withdraw-consent", "withdraw", "refer")

// Acts lists every act in order.
func Acts() []Act { return acts.Values() }

// String returns the text form.
func (a Act) String() string { return acts.Name(a) }

// Valid reports whether a is one of the constants.
func (a Act) Valid() bool { return acts.Valid(a) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (a Act) MarshalText() ([]byte, error) { return acts.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *Act) UnmarshalText(b []byte) error { return acts.UnmarshalText(b, a) }

// label is the act's name in error messages.
func (a Act) label() string {
	if a.Valid() {
		return actLabels[a-1]
	}
	return a.String()
}

var actLabels = func() []string {
	names := acts.Names()
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.ReplaceAll(n, "-", " ")
	}
	out[ActConsent-1] = "give consent" // not "consent: give consent: ..."
	return out
}()

// Process is one consent decision process of a circle: a pure aggregate
// driven by acts that return events. Create one with [Start] or rebuild it
// with [Replay]; the zero Process is not started and refuses every act.
// A Process is not safe for concurrent use; a host serialises the acts on
// one process (a store does so with optimistic concurrency on
// [Process.Version]).
type Process struct {
	out          outbox.Box[Event] // what acts yielded, for Take
	id           ProcessID
	org          circle.OrgID
	circle       circle.CircleID
	proposer     PersonID
	facilitator  PersonID
	policy       Policy
	zone         *time.Location // the organisation's zone, for review dates
	zoneName     string         // as the Started event names it ("" for UTC)
	kind         circle.DecisionKind
	membership   *MembershipChange // a membership decision, or nil
	heard        []Hearing         // the subject of a removal, heard
	advice       []Advice          // learning members' answers
	interests    []Interest        // conflicts of interest declared or raised
	stuck        bool              // the policy's rounds went by without consent
	escalated    bool              // referred to the parent circle, stuck
	history      *History          // the stuck process this one takes up
	emergency    *Emergency        // the emergency decision the process reviews
	confidential bool

	phase     Phase
	versions  []Version
	members   []PersonID  // snapshot for questions and reactions
	excluded  []Exclusion // members left out of the latest snapshot
	questions []Question
	reactions []Reaction
	skipped   bool
	rounds    []*Round
	// needsRound: the proposal changed since the latest round opened.
	needsRound bool
	measures   []MeasureRecord
	deferrals  []Deferral
	decisions  []Decision
	referredTo circle.CircleID
	endReason  string

	started bool
	last    time.Time
	events  uint64
}

// ProcessSpec describes a new process. Policy nil means [DefaultPolicy].
type ProcessSpec struct {
	ID          ProcessID
	Org         circle.OrgID
	Circle      circle.CircleID
	Proposer    PersonID
	Facilitator PersonID
	Proposal    Proposal
	Policy      *Policy
	// Zone is the organisation's IANA time zone: a decision's review date,
	// [Policy.ReviewMonths] after adoption, falls on the same local date and
	// wall clock there (month ends clamped, as review.AddMonths). "" means
	// UTC; [StartIn] takes the organisation's.
	Zone string
	// Review names the agreement of the policy register this process
	// reviews; zero for a new matter.
	Review Review
	// Kind names the kind of decision, so that mandates limited to some
	// kinds apply (see [circle.Mandate]); "" names none. A membership
	// decision is always of kind [circle.DecisionMembership].
	Kind circle.DecisionKind
	// Membership, when set, makes the process a membership decision (see
	// [MembershipChange]); use [StartIn], which checks it against the
	// organisation.
	Membership *MembershipChange
	// Confidential marks the process as a confidential item: the circle's
	// guests are left out of it and of its records (see [MayRead]).
	Confidential bool
	// History, set by [TakeUp], attaches the stuck process a parent circle
	// takes up.
	History *History
	// Emergency, when set, makes the proposal an emergency decision that
	// the proposer takes alone, in effect at once; the process is the
	// consent process on it (see [Policy.EmergencyRole]). Use [StartIn],
	// which checks the proposer's role and the scope.
	Emergency *EmergencySpec
	emergency *Emergency // what StartIn found
}

// Start starts a process in [PhaseDraft] at time at, acted by the proposer.
// It checks the IDs (none zero), the proposal (title, driver and text
// required; a proposed review date after at) and the policy.
func Start(s ProcessSpec, at time.Time) (*Process, []Event, error) {
	pol := DefaultPolicy()
	if s.Policy != nil {
		pol = *s.Policy
	}
	e := Started{
		Header:   Header{Process: s.ID, Org: s.Org, Circle: s.Circle, Actor: s.Proposer, At: circle.Normalize(at)},
		Proposer: s.Proposer, Facilitator: s.Facilitator, Proposal: normProposal(s.Proposal), Policy: pol, Zone: s.Zone, Review: s.Review,
		Kind: s.Kind, Confidential: s.Confidential, History: s.History.clone(),
	}
	if s.Emergency != nil {
		if s.emergency == nil {
			return nil, nil, refuse("decide in an emergency", ErrUnknownCircle, "an emergency decision is started with StartIn, which checks the role and scope in the organisation")
		}
		m := *s.emergency
		e.Emergency = &m
	}
	if s.Membership != nil {
		m := normMembership(*s.Membership)
		e.Membership, e.Kind = &m, circle.DecisionMembership
	}
	p := &Process{}
	if err := p.applyOne(e); err != nil {
		return nil, nil, err
	}
	return p, []Event{e}, nil
}

// StartIn is [Start] with the circle's current facilitator (see
// [FacilitatorOf]) when s.Facilitator is zero, after checking that the
// circle exists in org and that the proposer and facilitator are members of
// it.
func StartIn(org *circle.Organisation, s ProcessSpec, at time.Time) (*Process, []Event, error) {
	c, ok := org.Circle(s.Circle)
	if !ok || org.ID() != s.Org {
		return nil, nil, refuse("start", ErrUnknownCircle, "no circle %s in organisation %s", s.Circle, s.Org)
	}
	if s.Facilitator.IsZero() {
		s.Facilitator, _ = FacilitatorOf(org, s.Circle)
	}
	if s.Zone == "" {
		s.Zone = org.Zone().String()
	}
	for _, who := range []PersonID{s.Proposer, s.Facilitator} {
		if !who.IsZero() && !c.IsMember(who) {
			return nil, nil, refuse("start", ErrNotParticipant, "%s is not a member of circle %s", who, s.Circle)
		}
	}
	pol := DefaultPolicy()
	if s.Policy != nil {
		pol = *s.Policy
	}
	if s.Membership != nil {
		if err := prepareMembership(org, c, &s, pol); err != nil {
			return nil, nil, err
		}
	}
	if s.Emergency != nil {
		if err := prepareEmergency(org, c, &s, pol, at); err != nil {
			return nil, nil, err
		}
	}
	return Start(s, at)
}

// Members returns the current members of circle c of org, sorted: the
// snapshot to pass to [Process.Present], [Process.OpenConsentRound] and
// [Process.RetakeSnapshot].
func Members(org *circle.Organisation, c circle.CircleID) ([]PersonID, error) {
	ci, ok := org.Circle(c)
	if !ok {
		return nil, refuse("members", ErrUnknownCircle, "no circle %s", c)
	}
	return ci.Members(), nil
}

// FacilitatorOf returns the holder of circle c's facilitator role, if the
// role is filled.
func FacilitatorOf(org *circle.Organisation, c circle.CircleID) (PersonID, bool) {
	ci, ok := org.Circle(c)
	if !ok {
		return PersonID{}, false
	}
	a, ok := ci.Holder(circle.Facilitator)
	return a.Holder, ok
}

func normProposal(p Proposal) Proposal {
	if !p.ReviewDate.IsZero() {
		p.ReviewDate = circle.Normalize(p.ReviewDate)
	}
	return p
}

func checkProposal(act string, p Proposal, at time.Time) error {
	if err := checkLine(act, "title", p.Title, MaxTitle); err != nil {
		return err
	}
	if err := checkText(act, "driver", p.Driver, MaxProposalText, true); err != nil {
		return err
	}
	if err := checkText(act, "text", p.Text, MaxProposalText, true); err != nil {
		return err
	}
	if !p.ReviewDate.IsZero() && !p.ReviewDate.After(at) {
		return refuse(act, ErrInvalidReviewDate, "the proposed review date %s is not after %s", stamp(p.ReviewDate), stamp(at))
	}
	return nil
}

// ID is the process's ID.
func (p *Process) ID() ProcessID { return p.id }

// Org is the organisation the process belongs to.
func (p *Process) Org() circle.OrgID { return p.org }

// Circle is the circle the process belongs to.
func (p *Process) Circle() circle.CircleID { return p.circle }

// Proposer is the person who brought the proposal.
func (p *Process) Proposer() PersonID { return p.proposer }

// Facilitator is the person who runs the process.
func (p *Process) Facilitator() PersonID { return p.facilitator }

// Policy is the policy the process runs under.
func (p *Process) Policy() Policy { return p.policy }

// Kind is the kind of decision the process makes ("" when none was named).
func (p *Process) Kind() circle.DecisionKind { return p.kind }

// Phase is where the process stands.
func (p *Process) Phase() Phase { return p.phase }

// Version is the number of events applied: the expected version for a
// store's optimistic concurrency.
func (p *Process) Version() uint64 { return p.events }

// LastAt is the time of the latest event; acts dated before it are refused
// with [ErrTimeOrder].
func (p *Process) LastAt() time.Time { return p.last }

// Proposal returns the current proposal.
func (p *Process) Proposal() Proposal {
	if len(p.versions) == 0 {
		return Proposal{}
	}
	return p.versions[len(p.versions)-1].Proposal
}

// ProposalVersion is the current proposal version, from 1.
func (p *Process) ProposalVersion() int { return len(p.versions) }

// Versions returns every proposal version, oldest first.
func (p *Process) Versions() []Version {
	out := slices.Clone(p.versions)
	for i := range out {
		out[i].Addresses = slices.Clone(out[i].Addresses)
	}
	return out
}

// Participants returns the current snapshot of participants: the latest
// round's, or before any round the one taken when the proposal was
// presented.
func (p *Process) Participants() []PersonID {
	if len(p.rounds) > 0 {
		return p.rounds[len(p.rounds)-1].Participants()
	}
	return slices.Clone(p.members)
}

// IsParticipant reports whether person is in the current snapshot of
// participants, at a cost that does not depend on its size once a round
// has opened.
func (p *Process) IsParticipant(person PersonID) bool {
	if len(p.rounds) > 0 {
		return p.rounds[len(p.rounds)-1].IsParticipant(person)
	}
	return slices.Contains(p.members, person)
}

// Questions returns the clarifying questions in the order asked.
func (p *Process) Questions() []Question { return slices.Clone(p.questions) }

// Reactions returns the reactions in the order given.
func (p *Process) Reactions() []Reaction { return slices.Clone(p.reactions) }

// ReactionsSkipped reports whether the facilitator skipped the reaction
// round.
func (p *Process) ReactionsSkipped() bool { return p.skipped }

// Round returns a copy of the latest consent round, or nil before the first.
func (p *Process) Round() *Round {
	if len(p.rounds) == 0 {
		return nil
	}
	return p.rounds[len(p.rounds)-1].Clone()
}

// Rounds returns copies of every round, oldest first.
func (p *Process) Rounds() []*Round {
	if len(p.rounds) == 0 {
		return nil
	}
	out := make([]*Round, len(p.rounds))
	for i, r := range p.rounds {
		out[i] = r.Clone()
	}
	return out
}

// Objections returns every objection of every round, in the order raised.
func (p *Process) Objections() []Objection {
	var out []Objection
	for _, r := range p.rounds {
		out = append(out, r.objections...)
	}
	return out
}

// OpenObjections returns the number of objections open in the latest round
// (earlier rounds cannot hold open objections: a round opens only when none
// is open).
func (p *Process) OpenObjections() int {
	if len(p.rounds) == 0 {
		return 0
	}
	return p.rounds[len(p.rounds)-1].OpenObjections()
}

// Measures returns every measure added, in order.
func (p *Process) Measures() []MeasureRecord { return slices.Clone(p.measures) }

// Deferrals returns every deferral, in order.
func (p *Process) Deferrals() []Deferral { return slices.Clone(p.deferrals) }

// NeedsRound reports whether the proposal changed since the latest round
// opened, so a new consent round must precede adoption.
func (p *Process) NeedsRound() bool { return p.needsRound }

// Decision returns the current decision record (with any consent
// withdrawn since) while the process is adopted.
func (p *Process) Decision() (Decision, bool) {
	if p.phase != PhaseAdopted || len(p.decisions) == 0 {
		return Decision{}, false
	}
	return cloneDecision(p.decisions[len(p.decisions)-1]), true
}

// Decisions returns every decision record, oldest first: more than one when
// an objection within a lazy-consent window reopened a decision that was
// then adopted again.
func (p *Process) Decisions() []Decision {
	if len(p.decisions) == 0 {
		return nil
	}
	out := make([]Decision, len(p.decisions))
	for i, d := range p.decisions {
		out[i] = cloneDecision(d)
	}
	return out
}

// ReferredTo returns the circle the proposal was referred to.
func (p *Process) ReferredTo() (circle.CircleID, bool) { return p.referredTo, !p.referredTo.IsZero() }

// EndReason returns the reason recorded when the proposal was withdrawn or
// referred.
func (p *Process) EndReason() string { return p.endReason }

func cloneDecision(d Decision) Decision {
	d.Consented = slices.Clone(d.Consented)
	d.Concerns = slices.Clone(d.Concerns)
	d.StoodAside = slices.Clone(d.StoodAside)
	d.Silent = slices.Clone(d.Silent)
	d.Objections = slices.Clone(d.Objections)
	d.Measures = slices.Clone(d.Measures)
	d.Deferrals = slices.Clone(d.Deferrals)
	d.ConsentWithdrawals = slices.Clone(d.ConsentWithdrawals)
	d.Support = slices.Clone(d.Support)
	d.Superseded = slices.Clone(d.Superseded)
	d.Heard = slices.Clone(d.Heard)
	d.Classes = slices.Clone(d.Classes)
	d.Advice = slices.Clone(d.Advice)
	d.Interests = slices.Clone(d.Interests)
	d.Recused = slices.Clone(d.Recused)
	if d.Membership != nil {
		m := d.Membership.clone()
		d.Membership = &m
	}
	if d.Emergency != nil {
		m := *d.Emergency
		d.Emergency = &m
	}
	return d
}

// Clone returns a deep copy of p: acts on the copy never change p, and the
// copy shares nothing mutable with it. The copy records nothing for
// [Process.Take] until it is asked.
func (p *Process) Clone() *Process {
	c := *p
	c.out = outbox.Box[Event]{}
	c.versions = p.Versions()
	c.members = slices.Clone(p.members)
	c.excluded = slices.Clone(p.excluded)
	c.questions = slices.Clone(p.questions)
	c.reactions = slices.Clone(p.reactions)
	c.rounds = p.Rounds()
	c.measures = slices.Clone(p.measures)
	c.deferrals = slices.Clone(p.deferrals)
	c.decisions = p.Decisions()
	c.heard = slices.Clone(p.heard)
	c.advice = slices.Clone(p.advice)
	c.interests = slices.Clone(p.interests)
	c.history = p.history.clone()
	if p.emergency != nil {
		m := *p.emergency
		c.emergency = &m
	}
	if p.membership != nil {
		m := p.membership.clone()
		c.membership = &m
	}
	return &c
}

// Allowed lists the acts actor may do at time at, in the order of [Acts]:
// those whose preconditions (phase, authority, state, deadline) hold. Each
// still needs valid arguments; every act not listed is refused whatever its
// arguments. UIs use it to show the right buttons.
func (p *Process) Allowed(actor PersonID, at time.Time) []Act {
	at = circle.Normalize(at)
	var out []Act
	for _, a := range acts.Values() {
		if p.can(a, actor, at) == nil {
			out = append(out, a)
		}
	}
	return out
}

// Can reports why actor may not do act at time at (nil: they may). It is
// the check behind [Process.Allowed] and the first check of every act.
func (p *Process) Can(a Act, actor PersonID, at time.Time) error {
	return p.can(a, actor, circle.Normalize(at))
}

func (p *Process) latest() *Round {
	if len(p.rounds) == 0 {
		return nil
	}
	return p.rounds[len(p.rounds)-1]
}

// consentedTo reports whether who's consent is part of decision d at time
// at: they consented or raised a concern, or they stayed silent and
// silence is consent (under lazy consent, once the window has closed).
func consentedTo(d Decision, who PersonID, at time.Time) bool {
	if slices.Contains(d.Consented, who) {
		return true
	}
	for _, c := range d.Concerns {
		if c.Person == who {
			return true
		}
	}
	silenceCounts := d.Policy.Absence == AbsenceSilenceIsConsent ||
		(d.Policy.Absence == AbsenceLazyConsent && !at.Before(d.LazyUntil))
	return silenceCounts && slices.Contains(d.Silent, who)
}

// reviewDate is the review date a decision adopted at t would get.
func (p *Process) reviewDate(t time.Time) time.Time {
	if rd := p.Proposal().ReviewDate; !rd.IsZero() {
		return rd
	}
	return circle.Normalize(kernel.AddMonths(t, p.policy.ReviewMonths, p.zone))
}

// record builds the decision record of an adoption at t.
func (p *Process) record(t time.Time) Decision {
	r := p.latest()
	prop := p.Proposal()
	d := Decision{
		Process: p.id, Org: p.org, Circle: p.circle,
		Title: prop.Title, Driver: prop.Driver, Text: prop.Text, Version: len(p.versions),
		Proposer: p.proposer, Facilitator: p.facilitator,
		AdoptedAt: t, ReviewDate: p.reviewDate(t), Round: r.Number(), Rounds: len(p.rounds),
		Objections: p.Objections(), Measures: slices.Clone(p.measures), Deferrals: slices.Clone(p.deferrals),
		Policy: p.policy, Kind: p.kind, Superseded: r.Superseded(), Heard: slices.Clone(p.heard),
		Advice: p.adviceOf(r.Number()), Confidential: p.confidential, Interests: slices.Clone(p.interests),
	}
	for _, x := range p.excluded {
		if x.Class != 0 {
			d.Classes = append(d.Classes, x)
		}
		if x.Recused {
			d.Recused = append(d.Recused, x.Person)
		}
	}
	if len(d.Superseded) == 0 {
		d.Superseded = nil
	}
	if p.membership != nil {
		m := p.membership.clone()
		d.Membership = &m
	}
	if p.emergency != nil {
		m := *p.emergency
		d.Emergency = &m
	}
	for _, who := range r.opening.Participants {
		a, ok := r.answers[who]
		if !ok {
			d.Silent = append(d.Silent, who)
			continue
		}
		if !a.Support.IsZero() {
			d.Support = append(d.Support, a)
		}
		switch a.Kind {
		case AnswerConsent:
			d.Consented = append(d.Consented, who)
		case AnswerConcern:
			d.Concerns = append(d.Concerns, a)
		case AnswerStandAside:
			d.StoodAside = append(d.StoodAside, a)
		}
	}
	if p.policy.Absence == AbsenceLazyConsent && len(d.Silent) > 0 {
		d.LazyUntil = t.Add(p.policy.LazyWindow)
	}
	return d
}

// header builds the header of an act.
func (p *Process) header(actor PersonID, at time.Time) Header {
	return Header{Process: p.id, Org: p.org, Circle: p.circle, Actor: actor, At: circle.Normalize(at)}
}

// commit applies the events of an act; on error nothing changed.
func (p *Process) commit(e Event) ([]Event, error) {
	if err := p.applyOne(e); err != nil {
		return nil, err
	}
	p.out.Record(e)
	return []Event{e}, nil
}

// applyOne checks and applies one event.
func (p *Process) applyOne(e Event) error {
	h := e.EventHeader()
	if p.started && (h.Process != p.id || h.Org != p.org || h.Circle != p.circle) {
		return refuse("apply", ErrWrongProcess, "event %s of process %s applied to process %s", e.EventType(), h.Process, p.id)
	}
	if err := e.apply(p); err != nil {
		return err
	}
	p.last = circle.Normalize(h.At)
	p.events++
	return nil
}

// Replay rebuilds a process from its events, the first of which must be
// [Started]. Every event is checked as it is applied; a stream that does not
// fit is refused with an error matching [ErrInvalidEvent] (or
// [ErrWrongProcess]) that names the event's position.
func Replay(events []Event) (*Process, error) { return replayer.Run(events) }

var replayer = kernel.Replay[*Process, Event]{
	Opening:   "consent.started",
	Opens:     func(e Event) bool { _, ok := e.(Started); return ok },
	NotOpened: func(d string) error { return refuse("replay", ErrNotStarted, "%s", d) },
	Invalid:   func(i int, err error) error { return refuse("replay", sentinelOf(err), "event %d: %v", i, err) },
	Open: func(e Event) (*Process, error) {
		p := &Process{}
		if err := p.Apply(e); err != nil {
			return nil, refuse("replay", sentinelOf(err), "event 0: %v", err)
		}
		return p, nil
	},
	Apply: (*Process).Apply,
}

func sentinelOf(err error) error {
	if errors.Is(err, ErrWrongProcess) {
		return ErrWrongProcess
	}
	return ErrInvalidEvent
}

// Apply applies one event that a store read back, after those already
// applied. It refuses an event of another process and one that does not fit
// the current state; on error nothing changed.
func (p *Process) Apply(e Event) error {
	if e == nil {
		return refuse("apply", ErrInvalidEvent, "nil event")
	}
	if _, ok := e.(Started); ok == p.started {
		if ok {
			return refuse("apply", ErrInvalidEvent, "the process has already started")
		}
		return refuse("apply", ErrNotStarted, "%s before consent.started", e.EventType())
	}
	return p.applyOne(e)
}

// count spells n with its noun: "1 objection", "2 objections".
func count(n int, one string, many ...string) string {
	if n == 1 {
		return "1 " + one
	}
	if len(many) > 0 {
		return fmt.Sprintf("%d %s", n, many[0])
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// Take returns the events that acts on this process have yielded since the
// previous call of Take, and clears them. Recording starts at the first
// call, so a process nobody asks keeps nothing; events applied by [Replay] or
// Apply are never recorded. A store calls Take before it hands the process to a
// host's function and again after it, so that it appends exactly what the
// function's acts did and nothing else.
func (p *Process) Take() []Event { return p.out.Take() }

// phaseMessage says which phase the process is in and which the act needs.
func phaseMessage(act string, current Phase, needs []Phase) string {
	names := make([]string, len(needs))
	for i, n := range needs {
		names[i] = n.String()
	}
	return kernel.PhaseMessage("process", act, current.String(), names...)
}
