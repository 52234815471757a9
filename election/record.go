package election

import (
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Record is everything an election keeps, for the logbook and a regulator:
// the role, who took part, every nomination, change and reason, each
// proposal, each consent round with its answers and objections, who
// declined, and the outcome. Before the nominations are revealed, Record
// leaves them out (see [Election.Nominations]).
type Record struct {
	Election       ElectionID        `json:"election"`
	Org            circle.OrgID      `json:"org"`
	Circle         circle.CircleID   `json:"circle"`
	Role           circle.Role       `json:"role"`
	Facilitator    circle.PersonID   `json:"facilitator"`
	Description    string            `json:"description"`
	Qualifications string            `json:"qualifications"`
	Term           circle.Term       `json:"term"`
	Participants   []circle.PersonID `json:"participants"`
	Incumbent      circle.PersonID   `json:"incumbent,omitzero"`
	Ineligible     []Ineligible      `json:"ineligible"`
	Policy         Policy            `json:"policy"`
	Phase          Phase             `json:"phase"`
	Nominations    []Nomination      `json:"nominations"`
	Changes        []Change          `json:"changes"`
	Proposals      []Proposal        `json:"proposals"`
	Rounds         []RoundRecord     `json:"rounds"`
	Declined       []Ineligible      `json:"declined"`
	Outcome        *Outcome          `json:"outcome,omitempty"`
	Cancelled      string            `json:"cancelled,omitempty"`
	LastAct        time.Time         `json:"lastAct"`
}

// RoundRecord is one consent round of an election.
type RoundRecord struct {
	Purpose     Purpose              `json:"purpose"`
	Nominee     circle.PersonID      `json:"nominee,omitzero"`
	Term        circle.Term          `json:"term"`
	Description string               `json:"description"`
	Opening     consent.RoundOpening `json:"opening"`
	Answers     []consent.Answer     `json:"answers"`
	SetAside    []consent.Answer     `json:"setAside"`
	Objections  []consent.Objection  `json:"objections"`
}

// Record returns the election's record.
func (e *Election) Record() Record {
	r := Record{
		Election: e.id, Org: e.org, Circle: e.circle, Role: e.role, Facilitator: e.facilitator,
		Description: e.description, Qualifications: e.qualifications, Term: e.term,
		Participants: slices.Clone(e.participants), Incumbent: e.incumbent, Ineligible: slices.Clone(e.ineligibleList),
		Policy: e.policy, Phase: e.phase, Nominations: []Nomination{}, Changes: slices.Clone(e.changes),
		Proposals: slices.Clone(e.proposals), Rounds: []RoundRecord{}, Declined: []Ineligible{}, Cancelled: e.cancelled,
		LastAct: e.last,
	}
	if e.revealed {
		r.Nominations = e.Nominations(circle.PersonID{})
	}
	if r.Changes == nil {
		r.Changes = []Change{}
	}
	if r.Proposals == nil {
		r.Proposals = []Proposal{}
	}
	for _, rs := range e.rounds {
		r.Rounds = append(r.Rounds, RoundRecord{
			Purpose: rs.purpose, Nominee: rs.nominee, Term: rs.term, Description: rs.description,
			Opening: rs.round.Opening(), Answers: nonNil(rs.round.Answers()), SetAside: nonNil(rs.round.SetAside()), Objections: nonNil(rs.round.Objections()),
		})
	}
	for _, p := range sortedUnique(keys(e.declined)) {
		r.Declined = append(r.Declined, Ineligible{Person: p, Reason: e.declined[p]})
	}
	if e.outcome != nil {
		o := *e.outcome
		r.Outcome = &o
	}
	return r
}

func keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
