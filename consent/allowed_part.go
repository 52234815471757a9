package consent

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/enum"
)

// PartAct names an act of taking part that [Process.Allowed] does not
// list, because it is done for someone or needs the organisation: see
// [Process.AllowedParts]. The zero value is invalid.
type PartAct uint8

// The acts of taking part.
const (
	PartAnswerFor       PartAct = 1 + iota // [Process.AnswerFor], for the principals listed
	PartEnterAnswer                        // [Process.EnterAnswer], for the participants listed
	PartHearSubject                        // [Process.HearSubject]
	PartAdvise                             // [Process.Advise]
	PartDeclareInterest                    // [Process.DeclareInterest] of one's own interest
	PartRaiseInterest                      // [Process.DeclareInterest] of the participants listed
	PartRuleOnInterest                     // [Process.RuleOnInterest] on the participants listed
	PartReferToParent                      // [Process.ReferToParent]
)

var partActs = enum.New[PartAct]("PartAct", "act of taking part", refuser(ErrInvalidEvent),
	"answer-for", "enter-answer", "hear-subject", "advise", "declare-interest", "raise-interest", "rule-on-interest", "refer-to-parent")

// PartActs lists every act of taking part in order.
func PartActs() []PartAct { return partActs.Values() }

// String returns the text form.
func (a PartAct) String() string { return partActs.Name(a) }

// Valid reports whether a is one of the constants.
func (a PartAct) Valid() bool { return partActs.Valid(a) }

// MarshalText implements encoding.TextMarshaler; invalid values are an error.
func (a PartAct) MarshalText() ([]byte, error) { return partActs.MarshalText(a) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (a *PartAct) UnmarshalText(b []byte) error { return partActs.UnmarshalText(b, a) }

// Part is an act of taking part that a person may do now, with the people
// it may be done for (for [PartAnswerFor], [PartEnterAnswer],
// [PartRaiseInterest] and [PartRuleOnInterest]; empty for the others).
type Part struct {
	Act PartAct    `json:"act"`
	For []PersonID `json:"for,omitempty"`
}

// AllowedParts lists, in the order of [PartActs], the acts of taking part
// actor may do at time at, with whom each may be done for, reading the
// organisation for mandates and the parent circle: [Process.Allowed] for
// them. Each still needs valid arguments (a reason, a known answer kind);
// everything not listed is refused whatever its arguments.
func (p *Process) AllowedParts(org *circle.Organisation, actor PersonID, at time.Time) []Part {
	at = circle.Normalize(at)
	var out []Part
	add := func(a PartAct, ok bool, who []PersonID) {
		if ok {
			out = append(out, Part{Act: a, For: who})
		}
	}
	for_ := p.AnswersFor(org, actor, at)
	add(PartAnswerFor, len(for_) > 0, for_)
	var entered []PersonID
	if p.started && actor == p.facilitator {
		for _, x := range p.Participants() {
			if x != actor && p.canAs(ActConsent, x, at, Support{By: actor, How: SupportAssisted, Mode: EntryInPerson}) == nil {
				entered = append(entered, x)
			}
		}
	}
	add(PartEnterAnswer, len(entered) > 0, entered)
	add(PartHearSubject, p.CanHearSubject(actor, at) == nil, nil)
	add(PartAdvise, p.CanAdvise(actor, at) == nil, nil)
	own := InterestDeclared{Header: p.header(actor, at), Person: actor, Interest: "-"}
	add(PartDeclareInterest, own.check(p) == nil, nil)
	var raised, ruled []PersonID
	for _, x := range p.partakers() {
		if x != actor && (InterestDeclared{Header: p.header(actor, at), Person: x, Interest: "-"}).check(p) == nil {
			raised = append(raised, x)
		}
		if (InterestRuled{Header: p.header(actor, at), Person: x, Ruling: "-"}).check(p) == nil {
			ruled = append(ruled, x)
		}
	}
	add(PartRaiseInterest, len(raised) > 0, raised)
	add(PartRuleOnInterest, len(ruled) > 0, ruled)
	var parent circle.CircleID
	ci, ok := org.Circle(p.circle)
	if ok {
		parent, _ = ci.Parent()
	}
	up := ReferredToParent{Header: p.header(actor, at), To: parent, Reason: "-", Rounds: len(p.rounds)}
	add(PartReferToParent, ok && org.ID() == p.org && !parent.IsZero() && up.check(p) == nil, nil)
	return out
}

// partakers returns, sorted, the participants of the latest snapshot and
// those recused from it.
func (p *Process) partakers() []PersonID {
	out := p.Participants()
	for _, x := range p.excluded {
		if x.Recused {
			out = append(out, x.Person)
		}
	}
	slices.SortFunc(out, PersonID.Compare)
	return slices.Compact(out)
}
