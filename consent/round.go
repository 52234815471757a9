package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// Round is one consent round: who may answer (a snapshot of the circle's
// members taken when the round opens), when ([Round.Opens], [Round.Closes]),
// under which [Policy], their answers, and the objections raised in it with
// their understanding, validity test and resolution. It is the shared
// engine of every consent decision in the library: [Process] runs one per
// proposal version, and the election package runs one to consent to a
// nominee, with the rule that the nominee answers last ([RoundOpening.Last]).
//
// # Embedding a round in another process
//
// Round follows a decide/apply split, so that the embedding aggregate keeps
// its own events, header and authority rules:
//
//  1. Build a [RoundOpening] (number, the version of what is under consent,
//     participants, opens/closes, optional Last, policy), pass it through
//     [PrepareRound] and put the result in your own "round opened" event
//     (embed it: `type ConsentRoundOpened struct { Header; consent.RoundOpening }`).
//     When applying that event, call [NewRound].
//  2. For every act on the round call the matching Decide method:
//     [Round.DecideAnswer], [Round.DecideLateObjection],
//     [Round.DecideUnderstand], [Round.DecideTest], [Round.DecideResolve],
//     [Round.DecideRetake], [Round.DecideDeadline]. It checks the act and
//     returns a payload ([AnswerGiven], [ObjectionUnderstanding],
//     [ValidityTest], [Resolution], [SnapshotChange], [DeadlineChange]) or
//     an [*Error] matching one of this package's sentinels. It never
//     changes the round.
//  3. Wrap the payload in your own event (embed it next to your header; the
//     payloads carry no time and use only the JSON names round, version,
//     participants, opens, closes, last, policy, person, answer, reason,
//     late, objector, understanding, valid, reasons, rule, how, note,
//     joined and left, so they do not clash with a header's org, actor, at)
//     and, when the event is applied (live or on replay), call
//     [Round.Apply] with the payload and the event's time. Apply checks the
//     payload again, so a replayed stream that does not fit is refused
//     rather than corrupting state.
//  4. Ask [Round.Result], [Round.Complete], [Round.Tally],
//     [Round.OpenObjections] to decide whether your process may proceed.
//     "Nothing is adopted while an objection is open" is the embedding
//     process's check: refuse adoption unless Result is
//     [ResultConsented].
//
// The round enforces the rules that concern only the round: only
// participants answer, once each; answers within [opens, closes); reasons
// required and bounded; concerns and standing aside only where the policy
// allows; the designated last participant answers after everyone else; an
// objection is understood before anyone but its objector resolves it; only
// the objector withdraws it; a validity test only under a testing policy.
// Who may understand, test, resolve or change the snapshot (usually the
// facilitator) is the embedding process's rule.
//
// A Round is created by [NewRound]; the zero Round has no participants,
// refuses every answer and is never complete ([ResultPending]). A Round
// is not safe for concurrent use.
type Round struct {
	opening    RoundOpening
	member     map[PersonID]bool // current participants
	answers    map[PersonID]Answer
	setAside   []Answer
	objections []Objection
	current    map[PersonID]int // objector -> index in objections of their current objection
	superseded []Answer         // answers for someone replaced by their own
	proxied    map[PersonID]int // proxy holder -> current answers they gave as proxy
}

// RoundOpening opens a round. It is the payload of a "round opened" event.
type RoundOpening struct {
	// Round numbers the round within its process, from 1.
	Round int `json:"round"`
	// Version is the version of what is under consent (a proposal version,
	// a nominee's number); at least 1.
	Version int `json:"version"`
	// Participants is the snapshot of who may answer. PrepareRound sorts it
	// and removes duplicates; it must not be empty or hold a zero ID.
	Participants []PersonID `json:"participants"`
	// Opens is the first instant an answer is accepted.
	Opens time.Time `json:"opens"`
	// Closes, when not zero, is the first instant an answer is refused
	// ([ErrRoundClosed]): the round is the half-open interval [Opens, Closes).
	Closes time.Time `json:"closes,omitzero"`
	// Last, when not zero, is a participant who may answer only after every
	// other current participant has answered (an election's nominee).
	Last PersonID `json:"last,omitzero"`
	// Policy is the circle's policy this round runs under.
	Policy Policy `json:"policy"`
}

// Answer is a participant's recorded answer.
type Answer struct {
	Person PersonID   `json:"person"`
	Kind   AnswerKind `json:"kind"`
	Reason string     `json:"reason,omitempty"` // the objection's reason or the concern's note
	At     time.Time  `json:"at"`
	Late   bool       `json:"late,omitempty"` // an objection raised in a lazy-consent window
	// Support says who gave the answer for Person and how; zero: Person
	// gave it themselves.
	Support Support `json:"support,omitzero"`
}

// Objection is an objection with everything that happened to it.
type Objection struct {
	Round    int       `json:"round"`
	Objector PersonID  `json:"objector"`
	Reason   string    `json:"reason"`
	RaisedAt time.Time `json:"raisedAt"`
	Late     bool      `json:"late,omitempty"` // raised in a lazy-consent window after adoption
	// Support says who raised it for the objector and how; zero: the
	// objector raised it themselves.
	Support Support `json:"support,omitzero"`

	Understanding string    `json:"understanding,omitempty"` // how the circle understood it
	UnderstoodAt  time.Time `json:"understoodAt,omitzero"`   // zero: not yet understood

	Tested      bool         `json:"tested,omitempty"` // a validity test was recorded
	Valid       bool         `json:"valid,omitempty"`  // its finding (meaningful only when Tested)
	TestReasons string       `json:"testReasons,omitempty"`
	TestRule    ValidityRule `json:"testRule,omitzero"`

	Status     ObjectionStatus `json:"status"`
	Resolution ResolutionKind  `json:"resolution,omitzero"` // how it was resolved, when Status is ObjectionResolved
	Note       string          `json:"note,omitempty"`      // detail of the resolution
	ClosedAt   time.Time       `json:"closedAt,omitzero"`   // when it was resolved or set aside
}

// Understood reports whether the objection's understanding was recorded.
func (o Objection) Understood() bool { return !o.UnderstoodAt.IsZero() }

// Tally counts a round's current answers. Set-aside answers are counted
// apart and in no other field.
type Tally struct {
	Participants   int `json:"participants"`
	Consent        int `json:"consent"`
	Concern        int `json:"concern"`
	StandAside     int `json:"standAside"`
	Object         int `json:"object"`
	Missing        int `json:"missing"`        // participants without an answer
	SetAside       int `json:"setAside"`       // answers of people who left
	OpenObjections int `json:"openObjections"` // objections of current participants still open
}

// RoundEvent is implemented by the payloads [Round.Apply] accepts:
// [AnswerGiven], [ObjectionUnderstanding], [ValidityTest], [Resolution],
// [SnapshotChange] and [DeadlineChange].
type RoundEvent interface{ roundEvent() }

// AnswerGiven is the payload of an answer.
type AnswerGiven struct {
	Round  int        `json:"round"`
	Person PersonID   `json:"person"`
	Answer AnswerKind `json:"answer"`
	Reason string     `json:"reason,omitempty"`
	Late   bool       `json:"late,omitempty"`
	// Support, when not zero, says that someone else gave the answer for
	// Person: an advocate or a proxy under a mandate, or someone who
	// entered an answer Person gave in person, by phone or on paper.
	Support Support `json:"support,omitzero"`
}

// ObjectionUnderstanding records how an objection was understood.
type ObjectionUnderstanding struct {
	Round         int      `json:"round"`
	Objector      PersonID `json:"objector"`
	Understanding string   `json:"understanding"`
}

// ValidityTest records the finding of a validity test (S3 group test or
// Holacracy facilitator test). A finding of not valid resolves the
// objection with [ResolvedAsNotValid].
type ValidityTest struct {
	Round    int          `json:"round"`
	Objector PersonID     `json:"objector"`
	Valid    bool         `json:"valid"`
	Reasons  string       `json:"reasons,omitempty"`
	Rule     ValidityRule `json:"rule"`
}

// Resolution records how an objection was resolved.
type Resolution struct {
	Round    int            `json:"round"`
	Objector PersonID       `json:"objector"`
	How      ResolutionKind `json:"how"`
	Note     string         `json:"note,omitempty"`
}

// SnapshotChange records a re-taken participant snapshot: who joined (they
// must answer) and who left (their answers and objections are set aside,
// not deleted).
type SnapshotChange struct {
	Round  int        `json:"round"`
	Joined []PersonID `json:"joined,omitempty"`
	Left   []PersonID `json:"left,omitempty"`
}

// DeadlineChange sets a new closing time; zero means no deadline.
type DeadlineChange struct {
	Round  int       `json:"round"`
	Closes time.Time `json:"closes,omitzero"`
}

func (AnswerGiven) roundEvent()            {}
func (ObjectionUnderstanding) roundEvent() {}
func (ValidityTest) roundEvent()           {}
func (Resolution) roundEvent()             {}
func (SnapshotChange) roundEvent()         {}
func (DeadlineChange) roundEvent()         {}

// PrepareRound checks o and returns it normalised: participants sorted and
// without duplicates, times in UTC at microsecond precision. The error
// matches [ErrInvalidParticipant], [ErrMissingID], [ErrInvalidTime] or
// [ErrInvalidPolicy].
func PrepareRound(o RoundOpening) (RoundOpening, error) {
	const act = "open round"
	if o.Round < 1 {
		return RoundOpening{}, refuse(act, ErrInvalidEvent, "round number %d: rounds are numbered from 1", o.Round)
	}
	if o.Version < 1 {
		return RoundOpening{}, refuse(act, ErrInvalidEvent, "version %d: versions are numbered from 1", o.Version)
	}
	if err := o.Policy.Validate(); err != nil {
		return RoundOpening{}, withAct(act, err)
	}
	ps, err := snapshot(act, o.Participants)
	if err != nil {
		return RoundOpening{}, err
	}
	o.Participants = ps
	if o.Opens.IsZero() {
		return RoundOpening{}, refuse(act, ErrInvalidTime, "the opening time is required")
	}
	o.Opens = circle.Normalize(o.Opens)
	if !o.Closes.IsZero() {
		o.Closes = circle.Normalize(o.Closes)
		if !o.Closes.After(o.Opens) {
			return RoundOpening{}, refuse(act, ErrInvalidTime, "the round closes (%s) before or when it opens (%s)", stamp(o.Closes), stamp(o.Opens))
		}
	}
	if !o.Last.IsZero() {
		if _, ok := slices.BinarySearchFunc(ps, o.Last, PersonID.Compare); !ok {
			return RoundOpening{}, refuse(act, ErrNotParticipant, "%s answers last but is not a participant", o.Last)
		}
	}
	return o, nil
}

// snapshot sorts and de-duplicates a participant list.
func snapshot(act string, in []PersonID) ([]PersonID, error) {
	if len(in) == 0 {
		return nil, refuse(act, ErrInvalidParticipant, "no participants")
	}
	ps := slices.Clone(in)
	slices.SortFunc(ps, PersonID.Compare)
	ps = slices.Compact(ps)
	if ps[0].IsZero() {
		return nil, refuse(act, ErrMissingID, "a participant has the zero id")
	}
	return ps, nil
}

// NewRound builds a round from a prepared opening (see [PrepareRound]); it
// prepares it again, so an opening read from storage is checked.
func NewRound(o RoundOpening) (*Round, error) {
	o, err := PrepareRound(o)
	if err != nil {
		return nil, err
	}
	r := &Round{
		opening: o,
		member:  make(map[PersonID]bool, len(o.Participants)),
		answers: make(map[PersonID]Answer, len(o.Participants)),
		current: make(map[PersonID]int),
	}
	for _, p := range o.Participants {
		r.member[p] = true
	}
	return r, nil
}

// Number is the round's number within its process.
func (r *Round) Number() int { return r.opening.Round }

// Version is the version of what is under consent.
func (r *Round) Version() int { return r.opening.Version }

// Opens is the first instant an answer is accepted.
func (r *Round) Opens() time.Time { return r.opening.Opens }

// Closes is the first instant an answer is refused; zero means no deadline.
func (r *Round) Closes() time.Time { return r.opening.Closes }

// Last is the participant who answers last, or the zero ID.
func (r *Round) Last() PersonID { return r.opening.Last }

// Policy is the policy the round runs under.
func (r *Round) Policy() Policy { return r.opening.Policy }

// Opening returns the round's opening with its current participants and
// deadline.
func (r *Round) Opening() RoundOpening {
	o := r.opening
	o.Participants = slices.Clone(o.Participants)
	return o
}

// Participants returns the current snapshot, sorted.
func (r *Round) Participants() []PersonID { return slices.Clone(r.opening.Participants) }

// IsParticipant reports whether p is in the current snapshot.
func (r *Round) IsParticipant(p PersonID) bool { return r.member[p] }

// Answer returns p's current answer.
func (r *Round) Answer(p PersonID) (Answer, bool) { a, ok := r.answers[p]; return a, ok }

// Answers returns the current answers, sorted by person.
func (r *Round) Answers() []Answer {
	out := make([]Answer, 0, len(r.answers))
	for _, p := range r.opening.Participants {
		if a, ok := r.answers[p]; ok {
			out = append(out, a)
		}
	}
	return out
}

// SetAside returns the answers of people who left the snapshot, in the
// order they were set aside.
func (r *Round) SetAside() []Answer { return slices.Clone(r.setAside) }

// Missing returns the current participants who have not answered, sorted.
func (r *Round) Missing() []PersonID {
	var out []PersonID
	for _, p := range r.opening.Participants {
		if _, ok := r.answers[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// Objections returns every objection raised in the round, in the order
// raised, set-aside ones included.
func (r *Round) Objections() []Objection { return slices.Clone(r.objections) }

// Objection returns the current objection of objector (the one not set
// aside), whatever its status.
func (r *Round) Objection(objector PersonID) (Objection, bool) {
	i, ok := r.current[objector]
	if !ok {
		return Objection{}, false
	}
	return r.objections[i], true
}

// OpenObjections returns the number of objections still open.
func (r *Round) OpenObjections() int {
	n := 0
	for _, o := range r.objections {
		if o.Status == ObjectionOpen {
			n++
		}
	}
	return n
}

// OpenObjectors returns, sorted, the participants whose objections are open.
func (r *Round) OpenObjectors() []PersonID {
	var out []PersonID
	for _, o := range r.objections {
		if o.Status == ObjectionOpen {
			out = append(out, o.Objector)
		}
	}
	slices.SortFunc(out, PersonID.Compare)
	return out
}

// IsOpen reports whether an answer given at t falls inside [Opens, Closes).
func (r *Round) IsOpen(at time.Time) bool {
	return !at.Before(r.opening.Opens) && (r.opening.Closes.IsZero() || at.Before(r.opening.Closes))
}

// Closed reports whether the deadline has passed at t (t >= Closes).
func (r *Round) Closed(at time.Time) bool {
	return !r.opening.Closes.IsZero() && !at.Before(r.opening.Closes)
}

// Complete reports whether no more answers are awaited at t: every current
// participant has answered, or the round has closed and the policy's
// absence rule is not [AbsenceHold].
func (r *Round) Complete(at time.Time) bool {
	if len(r.opening.Participants) == 0 {
		return false // the zero Round
	}
	if len(r.answers) == len(r.opening.Participants) {
		return true
	}
	return r.opening.Policy.Absence != AbsenceHold && r.Closed(at)
}

// Result returns [ResultObjected] while an objection is open,
// [ResultConsented] when the round is complete without one, and
// [ResultPending] otherwise.
func (r *Round) Result(at time.Time) Result {
	switch {
	case r.OpenObjections() > 0:
		return ResultObjected
	case r.Complete(at):
		return ResultConsented
	default:
		return ResultPending
	}
}

// Outcome is the earlier name of [Round.Result].
//
// Deprecated: use [Round.Result].
func (r *Round) Outcome(at time.Time) Result { return r.Result(at) }

// Tally counts the current answers.
func (r *Round) Tally() Tally {
	t := Tally{Participants: len(r.opening.Participants), SetAside: len(r.setAside)}
	for _, a := range r.answers {
		switch a.Kind {
		case AnswerConsent:
			t.Consent++
		case AnswerConcern:
			t.Concern++
		case AnswerStandAside:
			t.StandAside++
		case AnswerObject:
			t.Object++
		}
	}
	t.Missing = t.Participants - len(r.answers)
	t.OpenObjections = r.OpenObjections()
	return t
}

// DecideAnswer checks an answer by who at time at and returns its payload.
// A reason is required for [AnswerObject] and [AnswerConcern] (its note),
// optional for [AnswerStandAside] (a note), and not taken by
// [AnswerConsent]. The error matches [ErrNotParticipant], [ErrRoundNotOpen],
// [ErrRoundClosed] (at or after Closes), [ErrAlreadyAnswered],
// [ErrAnswersLast], [ErrNotAllowedByPolicy], [ErrInvalidAnswer],
// [ErrMissingReason], [ErrReasonTooLong] or [ErrInvalidText].
func (r *Round) DecideAnswer(who PersonID, at time.Time, kind AnswerKind, reason string) (AnswerGiven, error) {
	return r.DecideAnswerFor(who, Support{}, at, kind, reason)
}

// DecideAnswerFor is [Round.DecideAnswer] for an answer that s.By gives for
// who (see [Support]); a zero s is who's own answer. Who's own answer
// (given themselves or entered for them, [SupportAssisted]) replaces an
// answer an advocate or proxy gave for them earlier in the round; nothing
// replaces who's own answer ([ErrAlreadyAnswered]). A proxy answers only
// where the policy allows proxies, and for at most [Policy.Proxies]
// participants ([ErrProxyLimit]). Whether s.By may answer for who (the
// mandate, the facilitator's authority) is the embedding process's check.
func (r *Round) DecideAnswerFor(who PersonID, s Support, at time.Time, kind AnswerKind, reason string) (AnswerGiven, error) {
	act := "answer"
	if kind.Valid() {
		act = answerActs[kind-1]
	}
	at = circle.Normalize(at)
	if err := checkSupport(act, who, s); err != nil {
		return AnswerGiven{}, err
	}
	if err := r.canAnswer(act, who, s, at); err != nil {
		return AnswerGiven{}, err
	}
	if err := r.checkAnswer(act, kind, reason); err != nil {
		return AnswerGiven{}, err
	}
	return AnswerGiven{Round: r.opening.Round, Person: who, Answer: kind, Reason: reason, Support: s}, nil
}

var answerActs = []string{"give consent", "raise concern", "stand aside", "object"}

// canAnswer is the part of DecideAnswer that does not depend on the answer.
func (r *Round) canAnswer(act string, who PersonID, s Support, at time.Time) error {
	if !r.member[who] {
		return refuse(act, ErrNotParticipant, "%s is not a participant of round %d", who, r.opening.Round)
	}
	if at.Before(r.opening.Opens) {
		return refuse(act, ErrRoundNotOpen, "round %d opens at %s", r.opening.Round, stamp(r.opening.Opens))
	}
	if r.Closed(at) {
		return refuse(act, ErrRoundClosed, "round %d closed at %s", r.opening.Round, stamp(r.opening.Closes))
	}
	if prev, ok := r.answers[who]; ok {
		switch {
		case !prev.Support.ForSomeone():
			return refuse(act, ErrAlreadyAnswered, "%s has already answered in round %d", who, r.opening.Round)
		case s.ForSomeone():
			return refuse(act, ErrAlreadyAnswered, "%s answered for %s in round %d; only %s's own answer replaces it", prev.Support.By, who, r.opening.Round, who)
		}
	}
	if s.How == SupportProxy {
		switch max := r.opening.Policy.Proxies; {
		case max == 0:
			return refuse(act, ErrNotAllowedByPolicy, "the circle's policy does not allow proxies")
		case r.proxied[s.By] >= max:
			return refuse(act, ErrProxyLimit, "%s already answers for %s in round %d, the most the circle's policy allows", s.By, count(max, "person", "people"), r.opening.Round)
		}
	}
	if who == r.opening.Last && len(r.answers) < len(r.opening.Participants)-1 {
		return refuse(act, ErrAnswersLast, "%s answers after the %d others", who, len(r.opening.Participants)-1-len(r.answers))
	}
	return nil
}

func (r *Round) checkAnswer(act string, kind AnswerKind, reason string) error {
	p := r.opening.Policy
	switch kind {
	case AnswerConsent:
		if reason != "" {
			return refuse(act, ErrInvalidText, "%s takes no reason", kind)
		}
	case AnswerStandAside:
		if !p.AllowStandAside {
			return refuse(act, ErrNotAllowedByPolicy, "the circle's policy does not allow standing aside")
		}
		return checkText(act, "note", reason, p.MaxReason, false)
	case AnswerConcern:
		if !p.AllowConcerns {
			return refuse(act, ErrNotAllowedByPolicy, "the circle's policy does not allow concerns")
		}
		return checkText(act, "concern", reason, p.MaxReason, true)
	case AnswerObject:
		return checkText(act, "objection reason", reason, p.MaxReason, true)
	default:
		return refuse(act, ErrInvalidAnswer, "%d is not an answer kind", uint8(kind))
	}
	return nil
}

// DecideLateObjection checks an objection by an absentee after the round
// closed, as lazy consent allows, and returns its payload (Late set). The
// window itself is the embedding process's rule; the round checks that
// who is a participant who has not answered and that the reason is
// acceptable.
func (r *Round) DecideLateObjection(who PersonID, reason string) (AnswerGiven, error) {
	const act = "object"
	if !r.member[who] {
		return AnswerGiven{}, refuse(act, ErrNotParticipant, "%s is not a participant of round %d", who, r.opening.Round)
	}
	if _, ok := r.answers[who]; ok {
		return AnswerGiven{}, refuse(act, ErrAlreadyAnswered, "%s answered in round %d; only absentees may object late", who, r.opening.Round)
	}
	if err := checkText(act, "objection reason", reason, r.opening.Policy.MaxReason, true); err != nil {
		return AnswerGiven{}, err
	}
	return AnswerGiven{Round: r.opening.Round, Person: who, Answer: AnswerObject, Reason: reason, Late: true}, nil
}

// DecideUnderstand checks that objector's objection is open and not yet
// understood, and returns the payload recording understanding.
func (r *Round) DecideUnderstand(objector PersonID, understanding string) (ObjectionUnderstanding, error) {
	const act = "understand objection"
	o, err := r.openObjection(act, objector)
	if err != nil {
		return ObjectionUnderstanding{}, err
	}
	if o.Understood() {
		return ObjectionUnderstanding{}, refuse(act, ErrAlreadyUnderstood, "the objection of %s was understood at %s", objector, stamp(o.UnderstoodAt))
	}
	if err := checkText(act, "understanding", understanding, r.opening.Policy.MaxReason, true); err != nil {
		return ObjectionUnderstanding{}, err
	}
	return ObjectionUnderstanding{Round: r.opening.Round, Objector: objector, Understanding: understanding}, nil
}

// DecideTest checks a validity test of objector's objection and returns its
// payload. Only a policy of [ValidityGroupTest] or [ValidityFacilitatorTest]
// allows it; the objection must be open, understood and not yet tested.
// Reasons are required under [ValidityFacilitatorTest] and optional under
// [ValidityGroupTest].
func (r *Round) DecideTest(objector PersonID, valid bool, reasons string) (ValidityTest, error) {
	const act = "test objection"
	rule := r.opening.Policy.Validity
	if rule == ValidityAllStated {
		return ValidityTest{}, refuse(act, ErrNotAllowedByPolicy, "under the circle's policy every stated objection is valid")
	}
	o, err := r.openObjection(act, objector)
	if err != nil {
		return ValidityTest{}, err
	}
	if !o.Understood() {
		return ValidityTest{}, refuse(act, ErrNotUnderstood, "understand the objection of %s before testing it", objector)
	}
	if o.Tested {
		return ValidityTest{}, refuse(act, ErrAlreadyTested, "the objection of %s was already found valid", objector)
	}
	if err := checkText(act, "test reasons", reasons, r.opening.Policy.MaxReason, rule == ValidityFacilitatorTest); err != nil {
		return ValidityTest{}, err
	}
	return ValidityTest{Round: r.opening.Round, Objector: objector, Valid: valid, Reasons: reasons, Rule: rule}, nil
}

// DecideResolve checks that actor may resolve objector's objection the way
// how says and returns the payload. [ResolvedByWithdrawal] is for the
// objector alone ([ErrNotObjector] otherwise) and needs no understanding;
// every other way needs the objection understood first ([ErrNotUnderstood]).
// [ResolvedAsNotValid] is only reached through [Round.DecideTest]. The note
// is optional and bounded by the policy.
func (r *Round) DecideResolve(actor, objector PersonID, how ResolutionKind, note string) (Resolution, error) {
	act := "resolve objection"
	if how.Valid() {
		act = resolveActs[how-1]
	}
	if !how.Valid() || how == ResolvedAsNotValid {
		return Resolution{}, refuse(act, ErrInvalidEvent, "%s is not a way to resolve an objection directly", how)
	}
	if how == ResolvedByWithdrawal && actor != objector {
		return Resolution{}, refuse(act, ErrNotObjector, "%s cannot withdraw the objection of %s", actor, objector)
	}
	o, err := r.openObjection(act, objector)
	if err != nil {
		return Resolution{}, err
	}
	if how != ResolvedByWithdrawal && !o.Understood() {
		return Resolution{}, refuse(act, ErrNotUnderstood, "understand the objection of %s before resolving it", objector)
	}
	if err := checkText(act, "note", note, r.opening.Policy.MaxReason, false); err != nil {
		return Resolution{}, err
	}
	return Resolution{Round: r.opening.Round, Objector: objector, How: how, Note: note}, nil
}

var resolveActs = []string{"amend", "shorten term", "add measure", "defer", "withdraw objection", "test objection"}

func (r *Round) openObjection(act string, objector PersonID) (Objection, error) {
	i, ok := r.current[objector]
	if !ok {
		return Objection{}, refuse(act, ErrNoObjection, "%s has no objection in round %d", objector, r.opening.Round)
	}
	o := r.objections[i]
	if o.Status != ObjectionOpen {
		return Objection{}, refuse(act, ErrObjectionClosed, "the objection of %s is %s", objector, o.Status)
	}
	return o, nil
}

// DecideRetake compares members (the circle's members now) with the
// snapshot and returns the change: who joined and must answer, who left and
// whose answers and objections are set aside. An unchanged snapshot gives an
// empty change, which is still worth recording: the snapshot was confirmed.
func (r *Round) DecideRetake(members []PersonID) (SnapshotChange, error) {
	ps, err := snapshot("retake snapshot", members)
	if err != nil {
		return SnapshotChange{}, err
	}
	c := SnapshotChange{Round: r.opening.Round}
	in := make(map[PersonID]bool, len(ps))
	for _, p := range ps {
		in[p] = true
		if !r.member[p] {
			c.Joined = append(c.Joined, p)
		}
	}
	for _, p := range r.opening.Participants {
		if !in[p] {
			c.Left = append(c.Left, p)
		}
	}
	return c, nil
}

// DecideDeadline checks a new closing time set at time at: zero removes the
// deadline; otherwise it must be after Opens and not before at (closes equal
// to at closes the round now).
func (r *Round) DecideDeadline(at, closes time.Time) (DeadlineChange, error) {
	const act = "set deadline"
	at = circle.Normalize(at)
	if !closes.IsZero() {
		closes = circle.Normalize(closes)
		if !closes.After(r.opening.Opens) {
			return DeadlineChange{}, refuse(act, ErrInvalidTime, "the round opens at %s; it cannot close at %s", stamp(r.opening.Opens), stamp(closes))
		}
		if closes.Before(at) {
			return DeadlineChange{}, refuse(act, ErrInvalidTime, "a deadline of %s is in the past at %s", stamp(closes), stamp(at))
		}
	}
	return DeadlineChange{Round: r.opening.Round, Closes: closes}, nil
}

// Apply applies a payload returned by a Decide method (live, or read back
// from storage) at time at. It checks the payload against the round again
// and changes nothing when it does not fit, returning an error matching
// [ErrInvalidEvent] or the sentinel of the check that failed.
func (r *Round) Apply(e RoundEvent, at time.Time) error {
	at = circle.Normalize(at)
	if r.member == nil {
		return refuse("apply", ErrInvalidEvent, "the round was not opened")
	}
	switch e := e.(type) {
	case AnswerGiven:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		var ok AnswerGiven
		var err error
		if e.Late {
			if !e.Support.IsZero() {
				return refuse("object", ErrInvalidEvent, "a late objection is raised by its objector")
			}
			ok, err = r.DecideLateObjection(e.Person, e.Reason)
		} else {
			ok, err = r.DecideAnswerFor(e.Person, e.Support, at, e.Answer, e.Reason)
		}
		if err != nil {
			return err
		}
		r.record(ok, at)
	case ObjectionUnderstanding:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		if _, err := r.DecideUnderstand(e.Objector, e.Understanding); err != nil {
			return err
		}
		o := &r.objections[r.current[e.Objector]]
		o.Understanding, o.UnderstoodAt = e.Understanding, at
	case ValidityTest:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		v, err := r.DecideTest(e.Objector, e.Valid, e.Reasons)
		if err != nil {
			return err
		}
		if v.Rule != e.Rule {
			return refuse("test objection", ErrInvalidEvent, "the test names rule %s but the round runs under %s", e.Rule, v.Rule)
		}
		o := &r.objections[r.current[e.Objector]]
		o.Tested, o.Valid, o.TestReasons, o.TestRule = true, e.Valid, e.Reasons, e.Rule
		if !e.Valid {
			o.Status, o.Resolution, o.ClosedAt = ObjectionResolved, ResolvedAsNotValid, at
		}
	case Resolution:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		actor := PersonID{} // authority was the embedding process's check; withdrawal names its objector
		if e.How == ResolvedByWithdrawal {
			actor = e.Objector
		}
		if _, err := r.DecideResolve(actor, e.Objector, e.How, e.Note); err != nil {
			return err
		}
		o := &r.objections[r.current[e.Objector]]
		o.Status, o.Resolution, o.Note, o.ClosedAt = ObjectionResolved, e.How, e.Note, at
	case SnapshotChange:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		return r.applyRetake(e, at)
	case DeadlineChange:
		if err := r.checkNumber(e.Round); err != nil {
			return err
		}
		d, err := r.DecideDeadline(at, e.Closes)
		if err != nil {
			return err
		}
		r.opening.Closes = d.Closes
	default:
		return refuse("apply", ErrInvalidEvent, "%T is not a round event", e)
	}
	return nil
}

// record records a checked answer given at at.
func (r *Round) record(g AnswerGiven, at time.Time) {
	if prev, ok := r.answers[g.Person]; ok { // an answer for someone, replaced by their own
		r.superseded = append(r.superseded, prev)
		r.dropAnswer(g.Person, at)
	}
	r.answers[g.Person] = Answer{Person: g.Person, Kind: g.Answer, Reason: g.Reason, At: at, Late: g.Late, Support: g.Support}
	if g.Support.How == SupportProxy {
		if r.proxied == nil {
			r.proxied = map[PersonID]int{}
		}
		r.proxied[g.Support.By]++
	}
	if g.Answer == AnswerObject {
		r.current[g.Person] = len(r.objections)
		r.objections = append(r.objections, Objection{
			Round: r.opening.Round, Objector: g.Person, Reason: g.Reason, RaisedAt: at, Late: g.Late, Support: g.Support, Status: ObjectionOpen,
		})
	}
}

// dropAnswer removes p's current answer (kept elsewhere by the caller) and
// sets p's open objection aside.
func (r *Round) dropAnswer(p PersonID, at time.Time) {
	if a, ok := r.answers[p]; ok {
		if a.Support.How == SupportProxy {
			if r.proxied[a.Support.By]--; r.proxied[a.Support.By] == 0 {
				delete(r.proxied, a.Support.By)
			}
			if len(r.proxied) == 0 {
				r.proxied = nil // as a round rebuilt from a snapshot has it
			}
		}
		delete(r.answers, p)
	}
	if i, ok := r.current[p]; ok {
		if r.objections[i].Status == ObjectionOpen {
			r.objections[i].Status, r.objections[i].ClosedAt = ObjectionSetAside, at
		}
		delete(r.current, p)
	}
}

// Superseded returns the answers an advocate or a proxy gave that the
// person's own answer replaced, in the order replaced.
func (r *Round) Superseded() []Answer { return slices.Clone(r.superseded) }

func (r *Round) checkNumber(n int) error {
	if n != r.opening.Round {
		return refuse("apply", ErrInvalidEvent, "event of round %d applied to round %d", n, r.opening.Round)
	}
	return nil
}

func (r *Round) applyRetake(c SnapshotChange, at time.Time) error {
	const act = "retake snapshot"
	for i, p := range c.Joined {
		if p.IsZero() || r.member[p] || (i > 0 && c.Joined[i-1].Compare(p) >= 0) {
			return refuse(act, ErrInvalidEvent, "joined list must be sorted new participants")
		}
	}
	for i, p := range c.Left {
		if !r.member[p] || (i > 0 && c.Left[i-1].Compare(p) >= 0) {
			return refuse(act, ErrInvalidEvent, "left list must be sorted current participants")
		}
	}
	if len(r.opening.Participants)+len(c.Joined)-len(c.Left) < 1 {
		return refuse(act, ErrInvalidParticipant, "the snapshot would be empty")
	}
	for _, p := range c.Left {
		r.setAsideOf(p, at)
		delete(r.member, p)
	}
	for _, p := range c.Joined {
		r.member[p] = true
	}
	ps := make([]PersonID, 0, len(r.member))
	for _, p := range r.opening.Participants {
		if r.member[p] {
			ps = append(ps, p)
		}
	}
	ps = append(ps, c.Joined...)
	slices.SortFunc(ps, PersonID.Compare)
	r.opening.Participants = ps
	// The participant who answers last answers after newcomers too.
	if last := r.opening.Last; len(c.Joined) > 0 && r.member[last] {
		r.setAsideOf(last, at)
	}
	return nil
}

// setAsideOf moves p's answer (and objection) aside.
func (r *Round) setAsideOf(p PersonID, at time.Time) {
	if a, ok := r.answers[p]; ok {
		r.setAside = append(r.setAside, a)
	}
	r.dropAnswer(p, at)
}

// Clone returns a deep copy: an embedding aggregate's own Clone uses it.
func (r *Round) Clone() *Round {
	c := *r
	c.opening.Participants = slices.Clone(r.opening.Participants)
	c.member = cloneMap(r.member)
	c.answers = cloneMap(r.answers)
	c.setAside = slices.Clone(r.setAside)
	c.objections = slices.Clone(r.objections)
	c.current = cloneMap(r.current)
	c.superseded = slices.Clone(r.superseded)
	if r.proxied != nil {
		c.proxied = cloneMap(r.proxied)
	}
	return &c
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	c := make(map[K]V, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// checkText applies the library's one text rule (kernel.CheckText) to a
// multi-line text of at most max bytes: when required not blank
// ([ErrMissingReason]); otherwise too long, not UTF-8 or with a control
// character other than newline and tab is [ErrInvalidText].
func checkText(act, what, s string, max int, required bool) error {
	return textRule(act, kernel.Text{What: "the " + what, Min: boolInt(required), Max: max, Multiline: true}, s)
}

// checkLine is checkText for one line (a title).
func checkLine(act, what, s string, max int) error {
	return textRule(act, kernel.Text{What: "the " + what, Min: 1, Max: max}, s)
}

func textRule(act string, rule kernel.Text, s string) error {
	switch p, msg := kernel.CheckText(rule, s); p {
	case kernel.TextOK:
		return nil
	case kernel.TextMissing:
		return refuse(act, ErrMissingReason, "%s", msg)
	default:
		return refuse(act, ErrInvalidText, "%s", msg)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.999999Z") }
