package agreement

import (
	"slices"
	"sort"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/outbox"
)

// ID identifies an agreement of the register: [consent.AgreementID], which
// a review names in [consent.Review].
type ID = consent.AgreementID

// Namespace is the UUID namespace of derived agreement IDs: the name-based
// (version 5) UUID of the URL "https://github.com/coproduce/sociocracy/agreement".
var Namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/coproduce/sociocracy/agreement"))

// IDFor returns the ID of the agreement that decision p (by its consent
// process) made in organisation org when it adopted a new matter: a
// name-based UUID, pure and stable, so a host knows it from the process.
func IDFor(org circle.OrgID, p consent.ProcessID) ID {
	name := make([]byte, 0, 32)
	name = append(name, org[:]...)
	name = append(name, p[:]...)
	return ID(uuid.NewSHA1(Namespace, name))
}

// Version is one version of an agreement: the text a decision gave it, and
// when it was in force. Versions are never changed once another follows;
// Until is set when the next version, a retirement or a reopening ends it.
type Version struct {
	Version    int               `json:"version"` // from 1
	Change     Change            `json:"change"`
	Decision   consent.ProcessID `json:"decision"` // the consent process whose decision made this version
	Title      string            `json:"title"`
	Text       string            `json:"text"`
	ReviewDate time.Time         `json:"reviewDate"`
	From       time.Time         `json:"from"`           // in force from (the decision's adoption)
	Until      time.Time         `json:"until,omitzero"` // in force until, not including; zero while in force
	By         circle.PersonID   `json:"by"`             // who adopted it (the facilitator who closed the decision)
}

// InForceAt reports whether v was in force at t: From <= t < Until.
func (v Version) InForceAt(t time.Time) bool {
	return !t.Before(v.From) && (v.Until.IsZero() || t.Before(v.Until))
}

// Agreement is what an adopted decision became: a standing agreement of its
// circle (what the circle's rules call a policy), with every version it has
// had. Agreements are returned by value; changing one changes nothing in the
// register.
type Agreement struct {
	ID        ID                  `json:"id"`
	Circle    circle.CircleID     `json:"circle"`
	State     State               `json:"state"`
	Versions  []Version           `json:"versions"` // oldest first
	Retired   time.Time           `json:"retired,omitzero"`
	RetiredBy consent.ProcessID   `json:"retiredBy,omitzero"` // the decision that retired it; zero when it ended with its circle
	Reviews   []consent.ProcessID `json:"reviews,omitempty"`  // review processes started and not yet ended, in start order
}

// Current returns the latest version (in force unless the agreement is
// retired or reopened).
func (a Agreement) Current() Version { return a.Versions[len(a.Versions)-1] }

// At returns the version in force at t, if any.
func (a Agreement) At(t time.Time) (Version, bool) {
	if v := a.at(t); v != nil {
		return *v, true
	}
	return Version{}, false
}

// at returns the version in force at t, or nil. Versions follow each other
// in time, so it is the last one starting at or before t, if it had not
// ended by t; the latest version is tried first, since most questions are
// about the present.
func (a *Agreement) at(t time.Time) *Version {
	vs := a.Versions
	n := len(vs)
	if n == 0 {
		return nil
	}
	i := n
	if vs[n-1].From.After(t) {
		i = sort.Search(n, func(i int) bool { return vs[i].From.After(t) })
	}
	if i == 0 || !vs[i-1].InForceAt(t) {
		return nil
	}
	return &vs[i-1]
}

// InForce is one agreement's version in force at an instant, as the
// register's questions answer it.
type InForce struct {
	Agreement ID              `json:"agreement"`
	Circle    circle.CircleID `json:"circle"`
	Version   Version         `json:"version"`
}

// Register is the aggregate: the policy register of one organisation, every
// agreement of every circle with its versions.
//
// A Register is created by [Open] or [Replay] and changes only by
// [Register.Observe], which keeps it in step with the consent decisions of
// the organisation; it has no other acts, since only a consent decision
// makes, keeps, amends or retires an agreement. Observe either returns an
// [*Error] and changes nothing, or returns the events it applied.
//
// The zero Register is not usable. A Register is not safe for concurrent
// use; concurrent reads without writes are safe.
type Register struct {
	out        outbox.Box[Event]
	org        circle.OrgID
	version    uint64
	last       time.Time
	list       []*Agreement                         // in order of first adoption
	byID       map[ID]*Agreement                    //
	byCircle   map[circle.CircleID][]*Agreement     // in order of first adoption
	byDecision map[consent.ProcessID]ID             // the agreement each decision made, kept, amended or retired
	reviews    map[consent.ProcessID]consent.Review // review processes started and not yet ended
}

// Open starts the policy register of organisation org.
func Open(org circle.OrgID, actor circle.PersonID, at time.Time) (*Register, []Event, error) {
	const act = "open register"
	switch {
	case org.IsZero():
		return nil, nil, refuse(act, ErrMissingID, "organisation id is required")
	case actor.IsZero():
		return nil, nil, refuse(act, ErrMissingID, "actor id is required")
	}
	e := Opened{Header: circle.Header{Org: org, Actor: actor, At: circle.Normalize(at)}}
	r := &Register{}
	if err := e.apply(r); err != nil {
		return nil, nil, err
	}
	r.last = e.At
	return r, []Event{e}, nil
}

// Org returns the organisation's ID.
func (r *Register) Org() circle.OrgID { return r.org }

// Version returns the number of events applied (1 after [Open]). Stores use
// it as the stream version.
func (r *Register) Version() uint64 { return r.version }

// Len returns the number of agreements, in any state.
func (r *Register) Len() int { return len(r.list) }

// Agreement returns agreement id, in any state.
func (r *Register) Agreement(id ID) (Agreement, bool) {
	a, ok := r.byID[id]
	if !ok {
		return Agreement{}, false
	}
	return a.copy(), true
}

// Agreements returns every agreement, in any state, in the order they were
// first adopted.
func (r *Register) Agreements() []Agreement {
	out := make([]Agreement, len(r.list))
	for i, a := range r.list {
		out[i] = a.copy()
	}
	return out
}

// Of returns every agreement of circle c, in any state, in the order they
// were first adopted.
func (r *Register) Of(c circle.CircleID) []Agreement {
	as := r.byCircle[c]
	out := make([]Agreement, len(as))
	for i, a := range as {
		out[i] = a.copy()
	}
	return out
}

// ByDecision returns the agreement decision p (by its consent process) made,
// kept, amended or retired.
func (r *Register) ByDecision(p consent.ProcessID) (ID, bool) {
	id, ok := r.byDecision[p]
	return id, ok
}

// InForce returns the agreements of the whole organisation in force at t,
// each with the version in force then, in the order they were first
// adopted. t may be any instant, past or present: the register keeps every
// version with the interval it was in force, so the answer for a past
// instant is what was in force then, as far as the register has seen.
func (r *Register) InForce(t time.Time) []InForce { return inForce(r.list, t) }

// InForceIn is [Register.InForce] for the agreements of circle c.
func (r *Register) InForceIn(c circle.CircleID, t time.Time) []InForce {
	return inForce(r.byCircle[c], t)
}

func inForce(as []*Agreement, t time.Time) []InForce {
	var out []InForce
	for _, a := range as {
		if v := a.at(t); v != nil {
			if out == nil {
				out = make([]InForce, 0, len(as))
			}
			out = append(out, InForce{Agreement: a.ID, Circle: a.Circle, Version: *v})
		}
	}
	return out
}

// Reviewable returns the agreements in force now that actor may start a
// review of ([consent.ProcessSpec.Review]): those of the circles of o that
// actor is a member of, since only a member proposes in a circle. It is the
// register's answer to "what may this person do".
func (r *Register) Reviewable(o *circle.Organisation, actor circle.PersonID) []ID {
	var out []ID
	for _, a := range r.list {
		if a.State != StateInForce {
			continue
		}
		if c, ok := o.Circle(a.Circle); ok && c.IsMember(actor) {
			out = append(out, a.ID)
		}
	}
	return out
}

func (a *Agreement) copy() Agreement {
	cp := *a
	cp.Versions = slices.Clone(a.Versions)
	cp.Reviews = slices.Clone(a.Reviews)
	return cp
}

// Take returns the events that Observe has yielded since the previous call
// of Take, and clears them. Recording starts at the first call; events
// applied by [Replay] or Apply are never recorded.
func (r *Register) Take() []Event { return r.out.Take() }
