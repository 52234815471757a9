package consent

import (
	"encoding/json"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// processJSON is the JSON form of a [Process]: a snapshot of its state. The
// field names are stable.
type processJSON struct {
	ID          ProcessID       `json:"id"`
	Org         circle.OrgID    `json:"org"`
	Circle      circle.CircleID `json:"circle"`
	Proposer    PersonID        `json:"proposer"`
	Facilitator PersonID        `json:"facilitator"`
	Policy      Policy          `json:"policy"`
	Zone        string          `json:"zone,omitempty"`
	Phase       Phase           `json:"phase"`
	Versions    []Version       `json:"versions"`
	Members     []PersonID      `json:"members,omitempty"`
	Excluded    []Exclusion     `json:"excluded,omitempty"`
	Questions   []Question      `json:"questions,omitempty"`
	Reactions   []Reaction      `json:"reactions,omitempty"`
	Skipped     bool            `json:"reactionsSkipped,omitempty"`
	Rounds      []roundJSON     `json:"rounds,omitempty"`
	NeedsRound  bool            `json:"needsRound,omitempty"`
	Measures    []MeasureRecord `json:"measures,omitempty"`
	Deferrals   []Deferral      `json:"deferrals,omitempty"`
	Decisions   []Decision      `json:"decisions,omitempty"`
	ReferredTo  circle.CircleID `json:"referredTo,omitzero"`
	EndReason   string          `json:"endReason,omitempty"`
	LastAt      time.Time       `json:"lastAt"`
	Events      uint64          `json:"events"`

	Kind         circle.DecisionKind `json:"kind,omitempty"`
	Membership   *MembershipChange   `json:"membership,omitempty"`
	Heard        []Hearing           `json:"heard,omitempty"`
	Advice       []Advice            `json:"advice,omitempty"`
	Interests    []Interest          `json:"interests,omitempty"`
	Stuck        bool                `json:"stuck,omitempty"`
	Escalated    bool                `json:"escalated,omitempty"`
	History      *History            `json:"history,omitempty"`
	Emergency    *Emergency          `json:"emergency,omitempty"`
	Confidential bool                `json:"confidential,omitempty"`
}

// roundJSON is the JSON form of a [Round].
type roundJSON struct {
	Opening    RoundOpening `json:"opening"`
	Answers    []Answer     `json:"answers,omitempty"` // sorted by person
	SetAside   []Answer     `json:"setAside,omitempty"`
	Objections []Objection  `json:"objections,omitempty"`
	Superseded []Answer     `json:"superseded,omitempty"`
}

// MarshalJSON encodes a snapshot of the process's state with stable field
// names. A store may keep it beside the event stream to load a long process
// without replaying it.
func (p *Process) MarshalJSON() ([]byte, error) {
	if !p.started {
		return nil, refuse("marshal process", ErrNotStarted, "the process has not been started")
	}
	s := processJSON{
		ID: p.id, Org: p.org, Circle: p.circle, Proposer: p.proposer, Facilitator: p.facilitator, Policy: p.policy, Zone: p.zoneName,
		Phase: p.phase, Versions: p.versions, Members: p.members, Excluded: p.excluded, Questions: p.questions, Reactions: p.reactions,
		Skipped: p.skipped, NeedsRound: p.needsRound, Measures: p.measures, Deferrals: p.deferrals,
		Decisions: p.decisions, ReferredTo: p.referredTo, EndReason: p.endReason, LastAt: p.last, Events: p.events,
		Kind: p.kind, Membership: p.membership, Heard: p.heard, Advice: p.advice, Confidential: p.confidential, Interests: p.interests, Stuck: p.stuck, Escalated: p.escalated, History: p.history, Emergency: p.emergency,
	}
	for _, r := range p.rounds {
		s.Rounds = append(s.Rounds, r.toJSON())
	}
	return json.Marshal(s)
}

// UnmarshalJSON decodes a snapshot written by [Process.MarshalJSON],
// strictly (unknown, missing or duplicate fields and invalid values are
// refused with [ErrInvalidEvent]), then checks it with [Process.Check]. On
// error p is unchanged.
func (p *Process) UnmarshalJSON(data []byte) error {
	var s processJSON
	if err := strictjson.Unmarshal(data, &s); err != nil {
		return refuse("unmarshal process", ErrInvalidEvent, "%s", kernel.DecodeDetail(err, details))
	}
	if err := s.Policy.Validate(); err != nil {
		return withAct("unmarshal process", err)
	}
	q := Process{
		id: s.ID, org: s.Org, circle: s.Circle, proposer: s.Proposer, facilitator: s.Facilitator, policy: s.Policy,
		phase: s.Phase, versions: s.Versions, members: s.Members, excluded: s.Excluded, questions: s.Questions, reactions: s.Reactions,
		skipped: s.Skipped, needsRound: s.NeedsRound, measures: s.Measures, deferrals: s.Deferrals,
		decisions: s.Decisions, referredTo: s.ReferredTo, endReason: s.EndReason, last: s.LastAt, events: s.Events,
		started: true, zone: time.UTC, zoneName: s.Zone,
		kind: s.Kind, membership: s.Membership, heard: s.Heard, advice: s.Advice, confidential: s.Confidential, interests: s.Interests, stuck: s.Stuck, escalated: s.Escalated, history: s.History, emergency: s.Emergency,
	}
	if s.Zone != "" {
		var ok bool
		if q.zone, ok = kernel.Zone(s.Zone); !ok {
			return refuse("unmarshal process", ErrInvalidEvent, "%q is not a known IANA time zone", clip(s.Zone))
		}
	}
	for _, rj := range s.Rounds {
		r, err := rj.round()
		if err != nil {
			return withAct("unmarshal process", err)
		}
		q.rounds = append(q.rounds, r)
	}
	if err := q.Check(); err != nil {
		return err
	}
	*p = q
	return nil
}

func (r *Round) toJSON() roundJSON {
	return roundJSON{Opening: r.opening, Answers: r.Answers(), SetAside: r.setAside, Objections: r.objections, Superseded: r.superseded}
}

// round rebuilds a round; the current objection of a participant is the
// one raised with their current objecting answer.
func (rj roundJSON) round() (*Round, error) {
	r, err := NewRound(rj.Opening)
	if err != nil {
		return nil, err
	}
	if !openingEqual(r.opening, rj.Opening) {
		return nil, refuse("unmarshal round", ErrInvalidEvent, "round %d: the opening is not normalised", rj.Opening.Round)
	}
	for i, a := range rj.Answers {
		if !r.member[a.Person] || (i > 0 && rj.Answers[i-1].Person.Compare(a.Person) >= 0) {
			return nil, refuse("unmarshal round", ErrInvalidEvent, "round %d: answers must be of distinct participants, sorted", rj.Opening.Round)
		}
		r.answers[a.Person] = a
		if a.Support.How == SupportProxy {
			if r.proxied == nil {
				r.proxied = map[PersonID]int{}
			}
			r.proxied[a.Support.By]++
		}
	}
	r.setAside = rj.SetAside
	r.superseded = rj.Superseded
	r.objections = rj.Objections
	for i, o := range r.objections {
		if a, ok := r.answers[o.Objector]; ok && a.Kind == AnswerObject && a.At.Equal(o.RaisedAt) {
			r.current[o.Objector] = i
		}
	}
	return r, nil
}
