package consent

import (
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

// SupportKind says how an answer given for someone came about. The zero
// value is invalid.
type SupportKind uint8

// The kinds of support.
const (
	// SupportAdvocate: the person's advocate answered for them, under a
	// mandate the person gave ([circle.MandateAdvocate]).
	SupportAdvocate SupportKind = 1 + iota
	// SupportProxy: the absent person's proxy answered for them, under a
	// mandate ([circle.MandateProxy]) and where the policy allows proxies.
	SupportProxy
	// SupportAssisted: the person gave the answer themselves, in person, by
	// phone or on paper, and the facilitator entered it for them.
	SupportAssisted
)

var supportKinds = enum.New[SupportKind]("SupportKind", "support kind", refuser(ErrInvalidEvent),
	"advocate", "proxy", "assisted")

// SupportKinds lists every support kind in order.
func SupportKinds() []SupportKind { return supportKinds.Values() }

// String returns the text form.
func (k SupportKind) String() string { return supportKinds.Name(k) }

// Valid reports whether k is one of the constants.
func (k SupportKind) Valid() bool { return supportKinds.Valid(k) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (k SupportKind) MarshalText() ([]byte, error) { return supportKinds.MarshalText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *SupportKind) UnmarshalText(b []byte) error { return supportKinds.UnmarshalText(b, k) }

// EntryMode says how a person gave an answer that someone else entered. The
// zero value is invalid.
type EntryMode uint8

// The modes of assisted entry.
const (
	EntryInPerson EntryMode = 1 + iota // said in the room, entered by the facilitator
	EntryPhone                         // given by phone
	EntryPaper                         // given on paper
)

var entryModes = enum.New[EntryMode]("EntryMode", "entry mode", refuser(ErrInvalidEvent),
	"in-person", "phone", "paper")

// EntryModes lists every entry mode in order.
func EntryModes() []EntryMode { return entryModes.Values() }

// String returns the text form.
func (m EntryMode) String() string { return entryModes.Name(m) }

// Valid reports whether m is one of the constants.
func (m EntryMode) Valid() bool { return entryModes.Valid(m) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (m EntryMode) MarshalText() ([]byte, error) { return entryModes.MarshalText(m) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (m *EntryMode) UnmarshalText(b []byte) error { return entryModes.UnmarshalText(b, m) }

// Support records who gave an answer for a participant, and how. The zero
// Support means the participant gave the answer themselves.
type Support struct {
	// By is who gave or entered the answer.
	By PersonID `json:"by"`
	// How is the kind of support.
	How SupportKind `json:"how"`
	// Mandate is the mandate an advocate or proxy answered under; zero for
	// an assisted entry.
	Mandate circle.MandateID `json:"mandate,omitzero"`
	// Mode is how the person gave an assisted answer; zero otherwise.
	Mode EntryMode `json:"mode,omitzero"`
}

// IsZero reports whether s is the zero Support: an answer the person gave
// themselves.
func (s Support) IsZero() bool { return s == Support{} }

// ForSomeone reports whether the answer was given by someone else for the
// person (an advocate or a proxy), rather than by the person (themselves or
// entered for them): the person's own answer replaces such an answer.
func (s Support) ForSomeone() bool { return s.How == SupportAdvocate || s.How == SupportProxy }

// checkSupport checks the shape of s for an answer of who.
func checkSupport(act string, who PersonID, s Support) error {
	switch {
	case s.IsZero():
		return nil
	case !s.How.Valid():
		return refuse(act, ErrInvalidEvent, "support kind %d is not valid", uint8(s.How))
	case s.By.IsZero():
		return refuse(act, ErrMissingID, "support names nobody who gave the answer")
	case s.By == who:
		return refuse(act, ErrInvalidEvent, "%s's own answer carries no support", who)
	case s.ForSomeone() && (s.Mandate.IsZero() || s.Mode != 0):
		return refuse(act, ErrInvalidEvent, "an answer by an advocate or proxy names its mandate and no entry mode")
	case s.How == SupportAssisted && (!s.Mode.Valid() || !s.Mandate.IsZero()):
		return refuse(act, ErrInvalidEvent, "an assisted entry names how the answer was given and no mandate")
	}
	return nil
}

func supportOf(k circle.MandateKind) SupportKind {
	if k == circle.MandateProxy {
		return SupportProxy
	}
	return SupportAdvocate
}

// MandateFor returns the mandate under which holder may answer for
// principal in this process at time at: one that holder holds from
// principal, in force, and whose scope covers the process's circle, kind
// and ID. An advocate's mandate is preferred to a proxy's. The error
// matches [ErrNoMandate].
func (p *Process) MandateFor(org *circle.Organisation, holder, principal PersonID, at time.Time) (circle.Mandate, error) {
	at = circle.Normalize(at)
	var found []circle.Mandate
	for _, m := range org.MandatesHeldBy(holder) {
		if m.Principal == principal && m.Covers(p.circle, p.kind, uuid.UUID(p.id), at) {
			found = append(found, m)
		}
	}
	if len(found) == 0 {
		return circle.Mandate{}, refuse("answer for", ErrNoMandate, "%s holds no mandate in force to answer for %s in %s",
			label(org, holder), label(org, principal), circleLabel(org, p.circle))
	}
	slices.SortStableFunc(found, func(a, b circle.Mandate) int { return int(a.Kind) - int(b.Kind) })
	return found[0], nil
}

// AnswerFor records an answer that actor gives for principal, a
// participant of the open round ([PhaseConsent]), as principal's advocate
// or proxy: actor must hold a mandate from principal that covers this
// process now (see [Process.MandateFor]; [ErrNoMandate] otherwise), and a
// proxy answers only where the policy allows, within its limit per holder.
// The answer is principal's in the round and on the [Decision], with the
// [Support] that says actor gave it. Principal's own answer, given later in
// the round, replaces it; an answer principal gave themselves is never
// replaced ([ErrAlreadyAnswered]).
func (p *Process) AnswerFor(actor PersonID, at time.Time, org *circle.Organisation, principal PersonID, kind AnswerKind, reason string) ([]Event, error) {
	a, ok := answerAct(kind)
	if !ok {
		return nil, refuse("answer for", ErrInvalidAnswer, "%d is not an answer kind", uint8(kind))
	}
	if err := p.canAs(a, principal, at, Support{By: actor, How: SupportAdvocate}); err != nil {
		return nil, err
	}
	m, err := p.MandateFor(org, actor, principal, at)
	if err != nil {
		return nil, withAct(a.label(), err)
	}
	s := Support{By: actor, How: supportOf(m.Kind), Mandate: m.ID}
	if err := p.canAs(a, principal, at, s); err != nil {
		return nil, err // a proxy beyond the policy's limit
	}
	return p.supported(a, actor, at, principal, s, kind, reason)
}

// EnterAnswer records an answer that person gave in person, by phone or on
// paper (mode), entered by the facilitator (actor; [ErrNotFacilitator]
// otherwise) during the open round ([PhaseConsent]). It is person's own
// answer, marked with who entered it and how it was given.
func (p *Process) EnterAnswer(actor PersonID, at time.Time, person PersonID, mode EntryMode, kind AnswerKind, reason string) ([]Event, error) {
	a, ok := answerAct(kind)
	if !ok {
		return nil, refuse("enter answer", ErrInvalidAnswer, "%d is not an answer kind", uint8(kind))
	}
	s := Support{By: actor, How: SupportAssisted, Mode: mode}
	if err := p.canAs(a, person, at, s); err != nil {
		return nil, err
	}
	if p.started && actor != p.facilitator {
		return nil, refuse(a.label(), ErrNotFacilitator, "%s is not the facilitator; only the facilitator enters an answer for someone", actor)
	}
	return p.supported(a, actor, at, person, s, kind, reason)
}

func (p *Process) supported(a Act, actor PersonID, at time.Time, person PersonID, s Support, kind AnswerKind, reason string) ([]Event, error) {
	if err := checkSupport(a.label(), person, s); err != nil {
		return nil, err
	}
	r := p.latest()
	if err := r.checkAnswer(a.label(), kind, reason); err != nil {
		return nil, err
	}
	return p.commit(Answered{Header: p.header(actor, at),
		AnswerGiven: AnswerGiven{Round: r.Number(), Person: person, Answer: kind, Reason: reason, Support: s}})
}

// AnswersFor lists, sorted, the participants actor may answer for now as
// their advocate or proxy: those whose mandate actor holds and who have
// not answered themselves. It is [Process.Allowed] for answers given for
// someone.
func (p *Process) AnswersFor(org *circle.Organisation, actor PersonID, at time.Time) []PersonID {
	at = circle.Normalize(at)
	var out []PersonID
	for _, m := range org.MandatesHeldBy(actor) {
		if slices.Contains(out, m.Principal) || !m.Covers(p.circle, p.kind, uuid.UUID(p.id), at) {
			continue
		}
		if p.canAs(ActConsent, m.Principal, at, Support{By: actor, How: supportOf(m.Kind), Mandate: m.ID}) == nil {
			out = append(out, m.Principal)
		}
	}
	slices.SortFunc(out, PersonID.Compare)
	return out
}

// CheckSupport reports whether every answer among evs that an advocate or
// proxy gave for someone stands on a mandate of org: it exists, was held by
// the one who answered, from the person answered for, of the kind the
// answer names, in force and covering the process when the answer was
// given. It refuses with [ErrNoMandate]. A store calls it on the events of
// every act on a process, with the organisation as it was when the act was
// made, as it calls [CheckMembers].
func CheckSupport(org *circle.Organisation, p *Process, evs []Event) error {
	for _, e := range evs {
		a, ok := e.(Answered)
		if !ok || !a.Support.ForSomeone() {
			continue
		}
		m, ok := org.Mandate(a.Support.Mandate)
		switch {
		case !ok:
			return refuse("check support", ErrNoMandate, "no mandate %s", a.Support.Mandate)
		case m.Holder != a.Support.By || m.Principal != a.Person || supportOf(m.Kind) != a.Support.How:
			return refuse("check support", ErrNoMandate, "mandate %s does not let %s answer for %s as %s",
				m.ID, label(org, a.Support.By), label(org, a.Person), a.Support.How)
		case !m.Covers(p.circle, p.kind, uuid.UUID(p.id), a.At):
			return refuse("check support", ErrNoMandate, "mandate %s of %s does not cover this process at %s",
				m.ID, label(org, a.Person), stamp(a.At))
		}
	}
	return nil
}

// SupportOf reports how person's answer in the round that gave consent was
// given: the [Support] recorded with it, and true when someone else gave
// or entered it; the zero Support and false when person answered
// themselves or did not answer.
func (d Decision) SupportOf(person PersonID) (Support, bool) {
	for _, a := range d.Support {
		if a.Person == person {
			return a.Support, true
		}
	}
	return Support{}, false
}

// AnswerRecord is how one participant of the round that gave consent
// answered, for a report: the answer (zero when they stayed silent), who
// gave it (By: the participant themselves, their advocate or proxy, or the
// one who entered it) and how ([Support]; zero when they answered
// themselves).
type AnswerRecord struct {
	Person  PersonID   `json:"person"`
	Kind    AnswerKind `json:"kind,omitzero"` // zero: silent
	Reason  string     `json:"reason,omitempty"`
	By      PersonID   `json:"by"`
	Support Support    `json:"support,omitzero"`
}

// Answers lists, sorted by person, every participant of the round that
// gave consent with their answer, who gave it and how: the record of who
// was asked and how each answered, support included. Answers an advocate
// or proxy gave that the participant's own replaced are in
// [Decision.Superseded].
func (d Decision) Answers() []AnswerRecord {
	var out []AnswerRecord
	add := func(p PersonID, k AnswerKind, reason string) {
		r := AnswerRecord{Person: p, Kind: k, Reason: reason, By: p}
		if s, ok := d.SupportOf(p); ok {
			r.Support, r.By = s, s.By
		}
		out = append(out, r)
	}
	for _, p := range d.Consented {
		add(p, AnswerConsent, "")
	}
	for _, a := range d.Concerns {
		add(a.Person, AnswerConcern, a.Reason)
	}
	for _, a := range d.StoodAside {
		add(a.Person, AnswerStandAside, a.Reason)
	}
	for _, p := range d.Silent {
		add(p, 0, "")
	}
	slices.SortFunc(out, func(a, b AnswerRecord) int { return a.Person.Compare(b.Person) })
	return out
}
