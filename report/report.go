package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// Schema names the version of the report's JSON form. A change that could
// break a reader (a field removed, renamed or given another meaning) comes
// with a new version; fields may be added within one.
const Schema = "sociocracy.governance-report/1"

// The values of [Answer.How]: how an answer was given.
const (
	// HowInPerson: the person answered for themselves.
	HowInPerson = "in-person"
	// HowAdvocate: the person's advocate answered for them, under a
	// mandate the person gave.
	HowAdvocate = "advocate"
	// HowProxy: an absent person's proxy answered for them, under a
	// mandate.
	HowProxy = "proxy"
	// HowAssisted: the person gave the answer (in the room, by phone or on
	// paper, see [Answer.Mode]) and the facilitator entered it for them.
	HowAssisted = "assisted"
)

// Errors of [Build].
var (
	// ErrInvalid: the request cannot be met as given (no organisation, no
	// period, a period that ends before it starts).
	ErrInvalid = errors.New("report: invalid request")
	// ErrNoCircle: the circle named is not in the organisation at the end
	// of the period.
	ErrNoCircle = errors.New("report: no such circle")
)

// Options choose what a report covers. From and Until are required.
type Options struct {
	// Circle, when not zero, limits the report to one circle: its
	// decisions, roles, elections, members and calendar.
	Circle circle.CircleID
	// From and Until bound the period, half-open: everything recorded at
	// or after From and before Until.
	From, Until time.Time
}

// Report is a governance report: what an organisation (or one of its
// circles) decided in a period, with whom, under which rules, and how its
// reviews went. Every record names the logbook entry it comes from
// ([Ref]), so a reader can check it against the verified log. Its JSON form
// is versioned by [Schema] and documented in docs/report.md.
type Report struct {
	Schema       string       `json:"schema"`
	Organisation Organisation `json:"organisation"`
	// Circle is the scope; nil: the whole organisation.
	Circle *CircleRef `json:"circle,omitempty"`
	Period Period     `json:"period"`
	Log    Log        `json:"log"`

	Decisions    []Decision         `json:"decisions"`
	Roles        []RoleRecord       `json:"roles"`
	Elections    []ElectionRecord   `json:"elections"`
	Membership   []MembershipChange `json:"membership"`
	CoProduction []Coverage         `json:"coProduction"`
	Overdue      []OverdueItem      `json:"overdue"`
}

// Organisation names the organisation.
type Organisation struct {
	ID   circle.OrgID `json:"id"`
	Name string       `json:"name"`
	Zone string       `json:"zone"`
}

// CircleRef names a circle.
type CircleRef struct {
	ID   circle.CircleID `json:"id"`
	Name string          `json:"name"`
	Kind circle.Kind     `json:"kind"`
}

// Period is the half-open interval [From, Until) the report covers.
type Period struct {
	From  time.Time `json:"from"`
	Until time.Time `json:"until"`
}

// Log says what the report was read from: the head of the logbook at the
// end of the period (the last entry before Until), the head when the report
// was made, and whether the whole log verified then.
type Log struct {
	PeriodEnd Ref    `json:"periodEnd"`
	Head      Ref    `json:"head"`
	Verified  bool   `json:"verified"`
	Problem   string `json:"problem,omitempty"` // why it did not verify
}

// Ref is the logbook entry a record comes from: its sequence number and
// hash, as [store.Store.Log] returns them.
type Ref struct {
	Seq  uint64     `json:"seq"`
	Hash store.Hash `json:"hash"`
}

// Person is someone named in a record, with their stakeholder class at the
// time of the record. Label is the name the organisation records for them.
type Person struct {
	ID    circle.PersonID         `json:"id"`
	Label string                  `json:"label"`
	Class circle.StakeholderClass `json:"class"`
}

// Decision is one decision adopted in the period.
type Decision struct {
	Entry       Ref               `json:"entry"` // the adoption
	Process     consent.ProcessID `json:"process"`
	Circle      CircleRef         `json:"circle"`
	Title       string            `json:"title"`
	Driver      string            `json:"driver"`
	Text        string            `json:"text"`
	Version     int               `json:"version"` // the proposal version adopted
	Proposer    Person            `json:"proposer"`
	Facilitator Person            `json:"facilitator"`
	AdoptedAt   time.Time         `json:"adoptedAt"`
	Rules       Rules             `json:"rules"`
	Rounds      []Round           `json:"rounds"` // who was asked, round by round
	Answers     []Answer          `json:"answers"`
	Silent      []Person          `json:"silent"` // asked in the consenting round, did not answer
	Objections  []Objection       `json:"objections"`
	Measures    []Measure         `json:"measures"`
	Deferrals   []Deferral        `json:"deferrals"`
	Review      Review            `json:"review"`
	// Withdrawals are consents withdrawn after the adoption, up to the
	// end of the period; any calls for an early review.
	Withdrawals []Withdrawal `json:"withdrawals"`
}

// Deferral is an objection deferred to a named person and date.
type Deferral struct {
	Objector Person    `json:"objector"`
	Owner    Person    `json:"owner"`
	Until    time.Time `json:"until"`
	Note     string    `json:"note,omitempty"`
}

// Withdrawal is a member withdrawing their consent after the adoption.
type Withdrawal struct {
	Entry  Ref       `json:"entry"`
	Person Person    `json:"person"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Finding is the result of testing whether an objection is valid, under
// the circle's validity rule.
type Finding struct {
	Rule    consent.ValidityRule `json:"rule"`
	Valid   bool                 `json:"valid"`
	Reasons string               `json:"reasons,omitempty"`
}

// Rules are the circle's rules the decision was made under.
type Rules struct {
	Validity        consent.ValidityRule `json:"validity"`
	Absence         consent.AbsenceRule  `json:"absence"`
	LazyUntil       time.Time            `json:"lazyUntil,omitzero"` // lazy consent: absentees could object until then
	AllowConcerns   bool                 `json:"allowConcerns"`
	AllowStandAside bool                 `json:"allowStandAside"`
}

// Round is one consent round: who was asked (the circle's members when it
// opened, less any exclusion).
type Round struct {
	Entry  Ref       `json:"entry"`
	Round  int       `json:"round"`
	Opened time.Time `json:"opened"`
	Asked  []Person  `json:"asked"`
}

// Answer is one answer given in a round.
type Answer struct {
	Entry  Ref                `json:"entry"`
	Round  int                `json:"round"`
	Person Person             `json:"person"`
	Answer consent.AnswerKind `json:"answer"`
	Reason string             `json:"reason,omitempty"`
	At     time.Time          `json:"at"`
	// How the answer was given: [HowInPerson], [HowAdvocate], [HowProxy]
	// or [HowAssisted].
	How string `json:"how"`
	// By is who gave the answer (the advocate or proxy) or entered it (the
	// facilitator); nil when the person answered themselves.
	By *Person `json:"by,omitempty"`
	// Mode is how an assisted answer reached the facilitator: "in-person",
	// "phone" or "paper"; empty otherwise.
	Mode string `json:"mode,omitempty"`
}

// Objection is an objection and how it was integrated.
type Objection struct {
	Entry         Ref                     `json:"entry"` // where it was raised
	Round         int                     `json:"round"`
	Objector      Person                  `json:"objector"`
	Reason        string                  `json:"reason"`
	RaisedAt      time.Time               `json:"raisedAt"`
	Understanding string                  `json:"understanding,omitempty"`
	Test          *Finding                `json:"test,omitempty"` // the validity test, when one was held
	Status        consent.ObjectionStatus `json:"status"`
	Resolution    consent.ResolutionKind  `json:"resolution,omitzero"`
	Note          string                  `json:"note,omitempty"`
	ClosedAt      time.Time               `json:"closedAt,omitzero"`
	Resolved      *Ref                    `json:"resolved,omitempty"` // the entry that resolved it
}

// Measure watches the harm an objection feared.
type Measure struct {
	Watch      string    `json:"watch"`
	Threshold  string    `json:"threshold"`
	Owner      Person    `json:"owner"`
	Checkpoint time.Time `json:"checkpoint"`
	Objector   Person    `json:"objector"` // whose objection it answers
}

// Review statuses, for [Review.Status].
const (
	ReviewNotDue  = "not-due"       // due at or after the end of the period, not held
	ReviewOnTime  = "held-on-time"  // held on or before its due date
	ReviewLate    = "held-late"     // held after its due date
	ReviewOverdue = "overdue"       // due before the end of the period, not held
	ReviewRetired = "retired"       // taken off the calendar without a review
	ReviewUnknown = "not-scheduled" // no review on the calendar
)

// Review is the decision's review: when it is due and whether it was held
// on time, as the calendar stood at the end of the period.
type Review struct {
	Due     time.Time      `json:"due"`
	Status  string         `json:"status"`
	Held    time.Time      `json:"held,omitzero"`
	Outcome review.Outcome `json:"outcome,omitzero"`
	Entry   *Ref           `json:"entry,omitempty"` // the review's record, when held
}

// RoleRecord is a role assignment that began, ended or was held in the
// period.
type RoleRecord struct {
	Entry  Ref         `json:"entry"` // the assignment
	Circle CircleRef   `json:"circle"`
	Role   string      `json:"role"` // "leader", "delegate", ... or "operational:<name>"
	Holder Person      `json:"holder"`
	Term   circle.Term `json:"term"`
	// Ended is when the assignment ended, if it did before the end of the
	// period, and EndedEntry the entry recording it.
	Ended      time.Time `json:"ended,omitzero"`
	EndedEntry *Ref      `json:"endedEntry,omitempty"`
}

// ElectionRecord is an election with an act in the period.
type ElectionRecord struct {
	Entry    Ref                 `json:"entry"` // its latest act in the period
	Election election.ElectionID `json:"election"`
	Circle   CircleRef           `json:"circle"`
	Role     string              `json:"role"`
	Phase    election.Phase      `json:"phase"`
	Called   time.Time           `json:"called"`
	Elected  *Person             `json:"elected,omitempty"`
	Term     circle.Term         `json:"term"`
	Asked    []Person            `json:"asked"` // the participants
}

// MembershipChange is a person joining or leaving a circle.
type MembershipChange struct {
	Entry  Ref       `json:"entry"`
	Circle CircleRef `json:"circle"`
	Person Person    `json:"person"`
	Change string    `json:"change"` // "joined" or "left"
	At     time.Time `json:"at"`
}

// Coverage is co-production in one care team over the period: whether the
// people who receive support (or their advocates) were members and were
// heard in its decisions.
type Coverage struct {
	Circle CircleRef `json:"circle"`
	// Members are the team's supported people and advocates at the end of
	// the period.
	Members   []Person        `json:"members"`
	Decisions []CoverageEntry `json:"decisions"`
	// NotHeard counts the decisions in which no supported person or
	// advocate answered.
	NotHeard int `json:"notHeard"`
}

// CoverageEntry says who was heard in one decision.
type CoverageEntry struct {
	Entry   Ref               `json:"entry"`
	Process consent.ProcessID `json:"process"`
	Title   string            `json:"title"`
	Heard   []Person          `json:"heard"` // supported people and advocates who answered
}

// OverdueItem is a review overdue at the end of the period, with how far
// its reminders had escalated.
type OverdueItem struct {
	Entry      Ref                `json:"entry"` // the item's latest change
	Item       review.ItemID      `json:"item"`
	Kind       review.Kind        `json:"kind"`
	Circle     CircleRef          `json:"circle"`
	Title      string             `json:"title"`
	Due        time.Time          `json:"due"`
	DaysLate   int                `json:"daysLate"`
	Escalation *review.Escalation `json:"escalation,omitempty"` // who the reminder is for now
	To         []Person           `json:"to"`                   // the people it goes to
}

// Build reads the report of org for opts through s: the logbook up to the
// end of the period, and the organisation and calendar as they stood then
// ([store.Store.OrganisationAt], [store.Store.CalendarAt]). It verifies the
// whole log and says whether it verified. Text erased in the log is erased
// in the report.
func Build(ctx context.Context, s *store.Store, org circle.OrgID, opts Options) (*Report, error) {
	if org.IsZero() {
		return nil, fmt.Errorf("%w: no organisation", ErrInvalid)
	}
	if opts.From.IsZero() || opts.Until.IsZero() {
		return nil, fmt.Errorf("%w: no period: give its start and end", ErrInvalid)
	}
	from, until := circle.Normalize(opts.From), circle.Normalize(opts.Until)
	if !from.Before(until) {
		return nil, fmt.Errorf("%w: the period ends (%s) before it starts (%s)", ErrInvalid, until.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	end := until.Add(-time.Microsecond) // the last instant of the period
	o, err := s.OrganisationAt(ctx, org, end)
	if err != nil {
		return nil, fmt.Errorf("report: the organisation as of %s: %w", end.Format(time.RFC3339), err)
	}
	cal, err := s.CalendarAt(ctx, org, end)
	if err != nil {
		return nil, fmt.Errorf("report: the calendar as of %s: %w", end.Format(time.RFC3339), err)
	}
	b := &builder{ctx: ctx, s: s, org: org, o: o, cal: cal, from: from, until: until, end: end, scope: opts.Circle,
		streams: map[store.StreamKey][]decoded{}, orgs: map[uint64]*circle.Organisation{},
		calendar: map[review.ItemID]decoded{}, completed: map[review.ItemID]decoded{}, retired: map[review.ItemID]decoded{}}
	r := &Report{
		Schema:       Schema,
		Organisation: Organisation{ID: org, Name: o.Name(), Zone: o.Zone().String()},
		Period:       Period{From: from, Until: until},
		Decisions:    []Decision{}, Roles: []RoleRecord{}, Elections: []ElectionRecord{},
		Membership: []MembershipChange{}, CoProduction: []Coverage{}, Overdue: []OverdueItem{},
	}
	if !opts.Circle.IsZero() {
		c, ok := o.Circle(opts.Circle)
		if !ok {
			return nil, fmt.Errorf("%w: %s is not a circle of %s as of %s", ErrNoCircle, opts.Circle, o.Name(), end.Format(time.RFC3339))
		}
		r.Circle = &CircleRef{ID: c.ID(), Name: c.Name(), Kind: c.Kind()}
	}
	head, verr := s.Verify(ctx, org)
	if verr != nil {
		r.Log.Problem = verr.Error()
		if head, err = s.Head(ctx, org); err != nil {
			return nil, err
		}
	}
	r.Log.Head, r.Log.Verified = Ref{Seq: head.Seq, Hash: head.Hash}, verr == nil
	last, err := b.read()
	if err != nil {
		return nil, err
	}
	r.Log.PeriodEnd = last
	if r.Decisions, err = b.decisions(); err != nil {
		return nil, err
	}
	r.Roles = b.roles()
	if r.Elections, err = b.elections(); err != nil {
		return nil, err
	}
	r.Membership = b.membership
	r.CoProduction = b.coverage(r.Decisions)
	r.Overdue = b.overdue()
	return r, nil
}

// builder holds what Build reads.
type builder struct {
	ctx              context.Context
	s                *store.Store
	org              circle.OrgID
	o                *circle.Organisation // as of the end of the period
	cal              *review.Calendar     // as of the end of the period
	from, until, end time.Time
	scope            circle.CircleID
	orgs             map[uint64]*circle.Organisation // the organisation as the log stood at an entry, by seq
	cur              *circle.Organisation            // the organisation as the log stands at the entry being read
	streams          map[store.StreamKey][]decoded   // consent and election entries by stream, up to the end
	order            []store.StreamKey
	assigned         []decoded // role assignments and ends
	membership       []MembershipChange
	calendar         map[review.ItemID]decoded // each item's latest change
	completed        map[review.ItemID]decoded // each item's first review
	retired          map[review.ItemID]decoded
}

type decoded struct {
	e  store.Entry
	ev any
}

func ref(e store.Entry) Ref { return Ref{Seq: e.Seq, Hash: e.Hash} }

func (b *builder) inScope(c circle.CircleID) bool { return b.scope.IsZero() || c == b.scope }

// person names p as the organisation o knew them.
func person(o *circle.Organisation, p circle.PersonID) Person {
	if pp, ok := o.Person(p); ok {
		return Person{ID: p, Label: pp.Label(), Class: pp.Class()}
	}
	return Person{ID: p}
}

func people(o *circle.Organisation, ps []circle.PersonID) []Person {
	out := make([]Person, 0, len(ps))
	for _, p := range ps {
		out = append(out, person(o, p))
	}
	return out
}

// circleRef names c as the organisation at the end of the period knows it.
func (b *builder) circleRef(c circle.CircleID) CircleRef {
	if cc, ok := b.o.Circle(c); ok {
		return CircleRef{ID: c, Name: cc.Name(), Kind: cc.Kind()}
	}
	return CircleRef{ID: c}
}

// page is how many log entries Build reads at a time.
const logPage = 10_000

// read reads and decodes the log up to the end of the period, a page at a
// time, and returns its last entry.
func (b *builder) read() (Ref, error) {
	var last Ref
	q := store.LogQuery{Org: b.org, Until: b.until, Limit: logPage}
	for {
		es, err := b.s.Log(b.ctx, q)
		if err != nil {
			return Ref{}, err
		}
		if err := b.readPage(es); err != nil {
			return Ref{}, err
		}
		if len(es) > 0 {
			last = ref(es[len(es)-1])
			q.After = last.Seq
		}
		if len(es) < logPage {
			return last, nil
		}
	}
}

// readPage decodes one page of entries.
func (b *builder) readPage(entries []store.Entry) error {
	for _, e := range entries {
		var ev any
		var err error
		switch e.Stream.Kind {
		case store.KindOrganisation:
			ev, err = circle.UnmarshalStoredEvent(e.Type, e.Data)
		case store.KindConsent:
			ev, err = consent.UnmarshalStoredEvent(e.Type, e.Data)
		case store.KindElection:
			if e.Withheld {
				continue // a nomination not yet revealed
			}
			ev, err = election.UnmarshalStoredEvent(e.Type, e.Data)
		case store.KindReview:
			ev, err = review.UnmarshalStoredEvent(e.Type, e.Data)
		default:
			continue
		}
		if err != nil {
			return fmt.Errorf("report: entry %d (%s) does not decode: %w", e.Seq, e.Type, err)
		}
		d := decoded{e, ev}
		if ce, ok := ev.(circle.Event); ok {
			if err := b.follow(e, ce); err != nil {
				return err
			}
		}
		if b.needsOrg(e, ev) && b.cur != nil {
			b.orgs[e.Seq] = b.cur.Clone()
		}
		switch ev := ev.(type) {
		case circle.RoleAssigned, circle.RoleEnded:
			b.assigned = append(b.assigned, d)
		case circle.MemberAdded:
			b.member(d, ev.Circle, ev.Person, "joined")
		case circle.MemberRemoved:
			b.member(d, ev.Circle, ev.Person, "left")
		case review.ItemScheduled:
			b.calendar[ev.Item] = d
		case review.ItemRescheduled:
			b.calendar[ev.Item] = d
		case review.ReviewCompleted:
			b.calendar[ev.Item] = d
			if _, ok := b.completed[ev.Item]; !ok {
				b.completed[ev.Item] = d
			}
		case review.ItemRetired:
			b.calendar[ev.Item] = d
			b.retired[ev.Item] = d
		}
		if e.Stream.Kind == store.KindConsent || e.Stream.Kind == store.KindElection {
			if _, ok := b.streams[e.Stream]; !ok {
				b.order = append(b.order, e.Stream)
			}
			b.streams[e.Stream] = append(b.streams[e.Stream], d)
		}
	}
	return nil
}

// follow keeps b.cur, the organisation as the log stands at entry e, by
// applying the organisation's events in the log's order.
func (b *builder) follow(e store.Entry, ev circle.Event) error {
	if b.cur == nil {
		o, err := circle.Replay([]circle.Event{ev})
		if err != nil {
			return fmt.Errorf("report: entry %d (%s) does not replay: %w", e.Seq, e.Type, err)
		}
		b.cur = o
		return nil
	}
	if err := b.cur.Apply(ev); err != nil {
		return fmt.Errorf("report: entry %d (%s) does not replay: %w", e.Seq, e.Type, err)
	}
	return nil
}

// needsOrg reports whether a record of e names people as the organisation
// knew them then: an adoption in the period, an election's call.
func (b *builder) needsOrg(e store.Entry, ev any) bool {
	switch ev.(type) {
	case consent.DecisionAdopted:
		return b.inPeriod(e.At)
	case election.Called:
		return true
	}
	return false
}

func (b *builder) inPeriod(t time.Time) bool { return !t.Before(b.from) && t.Before(b.until) }

// orgAt is the organisation as the log stood at entry e: followed while
// reading, else read as of e's time.
func (b *builder) orgAt(e store.Entry) (*circle.Organisation, error) {
	if o, ok := b.orgs[e.Seq]; ok {
		return o, nil
	}
	o, err := b.s.OrganisationAt(b.ctx, b.org, e.At)
	if err != nil {
		return nil, err
	}
	b.orgs[e.Seq] = o
	return o, nil
}

func (b *builder) member(d decoded, c circle.CircleID, p circle.PersonID, change string) {
	if !b.inPeriod(d.e.At) || !b.inScope(c) {
		return
	}
	b.membership = append(b.membership, MembershipChange{Entry: ref(d.e), Circle: b.circleRef(c), Person: person(b.o, p), Change: change, At: d.e.At})
}

// decisions lists the decisions adopted in the period, in the log's order.
func (b *builder) decisions() ([]Decision, error) {
	out := []Decision{}
	for _, key := range b.order {
		if key.Kind != store.KindConsent {
			continue
		}
		evs := b.streams[key]
		for i, d := range evs {
			ad, ok := d.ev.(consent.DecisionAdopted)
			if !ok || !b.inPeriod(d.e.At) || !b.inScope(ad.Circle) {
				continue
			}
			dec, err := b.decision(d.e, ad.Decision, evs[:i+1], evs[i+1:])
			if err != nil {
				return nil, err
			}
			out = append(out, dec)
		}
	}
	return out, nil
}

func (b *builder) decision(e store.Entry, d consent.Decision, evs, after []decoded) (Decision, error) {
	o, err := b.orgAt(e)
	if err != nil {
		return Decision{}, err
	}
	dec := Decision{
		Entry: ref(e), Process: d.Process, Circle: b.circleRef(d.Circle), Title: d.Title, Driver: d.Driver, Text: d.Text,
		Version: d.Version, Proposer: person(o, d.Proposer), Facilitator: person(o, d.Facilitator), AdoptedAt: d.AdoptedAt,
		Rules: Rules{Validity: d.Policy.Validity, Absence: d.Policy.Absence, LazyUntil: d.LazyUntil,
			AllowConcerns: d.Policy.AllowConcerns, AllowStandAside: d.Policy.AllowStandAside},
		Rounds: []Round{}, Answers: []Answer{}, Silent: people(o, d.Silent), Objections: []Objection{}, Measures: []Measure{},
		Deferrals: []Deferral{}, Withdrawals: []Withdrawal{},
	}
	raised := map[[2]string]Ref{}   // (round, objector) -> entry
	resolved := map[[2]string]Ref{} // (round, objector) -> entry
	key := func(round int, p circle.PersonID) [2]string { return [2]string{fmt.Sprint(round), p.String()} }
	for _, x := range evs {
		switch ev := x.ev.(type) {
		case consent.ConsentRoundOpened:
			dec.Rounds = append(dec.Rounds, Round{Entry: ref(x.e), Round: ev.Round, Opened: ev.Opens, Asked: people(o, ev.Participants)})
		case consent.Answered:
			dec.Answers = append(dec.Answers, answerOf(o, ref(x.e), ev))
			if ev.Answer == consent.AnswerObject {
				raised[key(ev.Round, ev.Person)] = ref(x.e)
			}
		case consent.ObjectionWithdrawn:
			resolved[key(ev.Round, ev.Objector)] = ref(x.e)
		case consent.MeasureAdded:
			resolved[key(ev.Round, ev.Objector)] = ref(x.e)
		case consent.TermShortened:
			resolved[key(ev.Round, ev.Objector)] = ref(x.e)
		case consent.ObjectionDeferred:
			resolved[key(ev.Round, ev.Objector)] = ref(x.e)
		case consent.ObjectionTested:
			if !ev.Valid {
				resolved[key(ev.Round, ev.Objector)] = ref(x.e)
			}
		}
	}
	for _, ob := range d.Objections {
		rec := Objection{Entry: raised[key(ob.Round, ob.Objector)], Round: ob.Round, Objector: person(o, ob.Objector),
			Reason: ob.Reason, RaisedAt: ob.RaisedAt, Understanding: ob.Understanding, Status: ob.Status,
			Resolution: ob.Resolution, Note: ob.Note, ClosedAt: ob.ClosedAt}
		if r, ok := resolved[key(ob.Round, ob.Objector)]; ok {
			rec.Resolved = &r
		}
		if ob.Tested {
			rec.Test = &Finding{Rule: ob.TestRule, Valid: ob.Valid, Reasons: ob.TestReasons}
		}
		dec.Objections = append(dec.Objections, rec)
	}
	for _, m := range d.Measures {
		dec.Measures = append(dec.Measures, Measure{Watch: m.Watch, Threshold: m.Threshold, Owner: person(o, m.Owner),
			Checkpoint: m.Checkpoint, Objector: person(o, m.Objector)})
	}
	for _, df := range d.Deferrals {
		dec.Deferrals = append(dec.Deferrals, Deferral{Objector: person(o, df.Objector), Owner: person(o, df.Owner), Until: df.Until, Note: df.Note})
	}
	for _, x := range after {
		if w, ok := x.ev.(consent.ConsentWithdrawn); ok {
			dec.Withdrawals = append(dec.Withdrawals, Withdrawal{Entry: ref(x.e), Person: person(b.o, w.Actor), Reason: w.Reason, At: x.e.At})
		}
		if _, ok := x.ev.(consent.DecisionAdopted); ok {
			break // a later adoption (after a reopening) has its own record
		}
	}
	dec.Review = b.review(d)
	return dec, nil
}

// review is how the decision's policy review stood at the end of the
// period. On time means held before the end of its due date's local day.
func (b *builder) review(d consent.Decision) Review {
	id := review.ItemIDFor(b.org, review.KindPolicyReview, review.DecisionSource(d.Process))
	rv := Review{Due: d.ReviewDate, Status: ReviewUnknown}
	if done, ok := b.completed[id]; ok {
		c := done.ev.(review.ReviewCompleted)
		r := ref(done.e)
		// Reviewed is the due date the review met (after any
		// rescheduling); the review was held when it was recorded.
		rv.Due, rv.Held, rv.Outcome, rv.Entry = c.Reviewed, c.At, c.Outcome, &r
		if endOfDay(c.Reviewed, b.cal.Zone()).After(c.At) {
			rv.Status = ReviewOnTime
		} else {
			rv.Status = ReviewLate
		}
		return rv
	}
	if _, ok := b.retired[id]; ok {
		rv.Status = ReviewRetired
		return rv
	}
	it, ok := b.cal.Item(id)
	if !ok {
		return rv
	}
	rv.Due = it.Due
	if endOfDay(it.Due, b.cal.Zone()).After(b.end) {
		rv.Status = ReviewNotDue
	} else {
		rv.Status = ReviewOverdue
	}
	return rv
}

// endOfDay is the start of the local day after t's.
func endOfDay(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day()+1, 0, 0, 0, 0, zone)
}

// roles lists the assignments of the scope in force at some time in the
// period: those held at its start or begun in it, with their ends.
func (b *builder) roles() []RoleRecord {
	out := []RoleRecord{}
	idx := map[string]int{} // assignment -> index in out
	key := func(a circle.Assignment) string {
		return a.Circle.String() + "/" + a.Role.String() + "/" + a.Holder.String() + "/" + a.Term.Start.String()
	}
	for _, d := range b.assigned {
		switch ev := d.ev.(type) {
		case circle.RoleAssigned:
			if !b.inScope(ev.Assignment.Circle) {
				continue
			}
			idx[key(ev.Assignment)] = len(out)
			out = append(out, RoleRecord{Entry: ref(d.e), Circle: b.circleRef(ev.Assignment.Circle), Role: ev.Assignment.Role.String(),
				Holder: person(b.o, ev.Assignment.Holder), Term: ev.Assignment.Term})
		case circle.RoleEnded:
			i, ok := idx[key(ev.Assignment)]
			if !ok {
				continue
			}
			r := ref(d.e)
			out[i].Ended, out[i].EndedEntry = d.e.At, &r
		}
	}
	return slices.DeleteFunc(out, func(r RoleRecord) bool {
		return !r.Ended.IsZero() && r.Ended.Before(b.from) // ended before the period
	})
}

// elections lists the elections of the scope with an act in the period.
func (b *builder) elections() ([]ElectionRecord, error) {
	out := []ElectionRecord{}
	for _, key := range b.order {
		if key.Kind != store.KindElection {
			continue
		}
		evs := b.streams[key]
		var last *decoded
		for i := range evs {
			if b.inPeriod(evs[i].e.At) {
				last = &evs[i]
			}
		}
		if last == nil {
			continue
		}
		el, err := b.s.ElectionAt(b.ctx, b.org, election.ElectionID(key.ID), b.end)
		if err != nil {
			return nil, err
		}
		if !b.inScope(el.Circle()) {
			continue
		}
		rec := el.Record()
		o, err := b.orgAt(evs[0].e)
		if err != nil {
			return nil, err
		}
		er := ElectionRecord{Entry: ref(last.e), Election: el.ID(), Circle: b.circleRef(el.Circle()), Role: el.Role().String(),
			Phase: el.Phase(), Called: evs[0].e.At, Term: el.Term(), Asked: people(o, rec.Participants)}
		if out, ok := el.Outcome(); ok {
			p := person(b.o, out.Person)
			er.Elected, er.Term = &p, out.Term
		}
		out = append(out, er)
	}
	return out, nil
}

// coverage is co-production in the scope's care teams.
func (b *builder) coverage(decisions []Decision) []Coverage {
	out := []Coverage{}
	voices := func(c circle.StakeholderClass) bool { return c == circle.SupportedPerson || c == circle.Advocate }
	for _, cid := range b.o.Circles() {
		c, _ := b.o.Circle(cid)
		if c.Kind() != circle.KindTeam || !b.inScope(cid) {
			continue
		}
		cov := Coverage{Circle: b.circleRef(cid), Members: []Person{}, Decisions: []CoverageEntry{}}
		for _, m := range c.Members() {
			if p := person(b.o, m); voices(p.Class) {
				cov.Members = append(cov.Members, p)
			}
		}
		for _, d := range decisions {
			if d.Circle.ID != cid {
				continue
			}
			ce := CoverageEntry{Entry: d.Entry, Process: d.Process, Title: d.Title, Heard: []Person{}}
			for _, a := range d.Answers {
				if voices(a.Person.Class) && !slices.ContainsFunc(ce.Heard, func(p Person) bool { return p.ID == a.Person.ID }) {
					ce.Heard = append(ce.Heard, a.Person)
				}
			}
			if len(ce.Heard) == 0 {
				cov.NotHeard++
			}
			cov.Decisions = append(cov.Decisions, ce)
		}
		out = append(out, cov)
	}
	slices.SortFunc(out, func(a, b Coverage) int { return strings.Compare(a.Circle.Name, b.Circle.Name) })
	return out
}

// overdue lists the scope's items overdue at the end of the period, with
// the reminder the calendar would send then.
func (b *builder) overdue() []OverdueItem {
	out := []OverdueItem{}
	reminders := map[review.ItemID]review.Reminder{}
	for _, r := range b.cal.Reminders(b.end, b.o, nil) {
		reminders[r.Item] = r
	}
	for _, it := range b.cal.Overdue(b.end) {
		if !b.inScope(it.Circle) {
			continue
		}
		oi := OverdueItem{Item: it.ID, Kind: it.Kind, Circle: b.circleRef(it.Circle), Title: it.Title, Due: it.Due, To: []Person{}}
		if d, ok := b.calendar[it.ID]; ok {
			oi.Entry = ref(d.e)
		}
		oi.DaysLate = daysBetween(it.Due, b.end, b.cal.Zone())
		if r, ok := reminders[it.ID]; ok {
			if r.Stage == review.StageEscalated {
				lvl := r.Level
				oi.Escalation = &lvl
			}
			for _, to := range r.To {
				oi.To = append(oi.To, person(b.o, to.Person))
			}
		}
		out = append(out, oi)
	}
	return out
}

// daysBetween counts the local days from a's date to b's.
func daysBetween(a, b time.Time, zone *time.Location) int {
	la, lb := a.In(zone), b.In(zone)
	da := time.Date(la.Year(), la.Month(), la.Day(), 12, 0, 0, 0, time.UTC)
	db := time.Date(lb.Year(), lb.Month(), lb.Day(), 12, 0, 0, 0, time.UTC)
	return int(db.Sub(da).Hours() / 24)
}

// answerOf is the report's record of an answer, with the support given.
func answerOf(o *circle.Organisation, entry Ref, ev consent.Answered) Answer {
	a := Answer{Entry: entry, Round: ev.Round, Person: person(o, ev.Person), Answer: ev.Answer, Reason: ev.Reason, At: ev.At, How: HowInPerson}
	sup := ev.Support
	if sup.IsZero() {
		return a
	}
	by := person(o, sup.By)
	a.By = &by
	switch sup.How {
	case consent.SupportAdvocate:
		a.How = HowAdvocate
	case consent.SupportProxy:
		a.How = HowProxy
	case consent.SupportAssisted:
		a.How, a.Mode = HowAssisted, sup.Mode.String()
	}
	return a
}
