package consent_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/consent"
)

// model is the naive picture of a process the state machine checks the
// real one against: the phase, and for the latest round who answered what
// and whose objections are open.
type model struct {
	phase        consent.Phase
	answers      map[consent.PersonID]consent.AnswerKind
	open         map[consent.PersonID]bool
	participants []consent.PersonID
}

type machine struct {
	f     *fixture
	m     model
	pool  []consent.PersonID
	steps int
}

// Property: random acts by random people at random times keep the
// invariants: no adoption with an open objection; at most one current answer
// per participant per round; the tally equals a naive recount; terminal
// states stay terminal; replaying the events (stored and read back) rebuilds
// the state; a refused act changes nothing; and Allowed is exact (an act is
// allowed exactly when it succeeds with valid arguments).
func TestProcessStateMachine(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		pol := consent.DefaultPolicy()
		pol.Validity = consent.ValidityRule(rapid.IntRange(1, 3).Draw(rt, "validity"))
		pol.Absence = consent.AbsenceRule(rapid.IntRange(1, 3).Draw(rt, "absence"))
		if pol.Absence == consent.AbsenceLazyConsent {
			pol.LazyWindow = time.Duration(rapid.IntRange(1, 72).Draw(rt, "window")) * time.Hour
		}
		pol.AllowConcerns = rapid.Bool().Draw(rt, "concerns")
		pol.AllowStandAside = rapid.Bool().Draw(rt, "standAside")
		mc := &machine{
			f:    start(rt, pol),
			m:    model{phase: consent.PhaseDraft},
			pool: append(people(1, 2, 3, 4, 5, 6), outsider),
		}
		mc.warmUp(rt, rapid.IntRange(0, 3).Draw(rt, "warm-up"))
		rt.Repeat(map[string]func(*rapid.T){
			"act": mc.act,
			"":    mc.check,
		})
	})
}

// warmUp takes the process along the usual path to a later phase, so that
// runs spend their steps there.
func (mc *machine) warmUp(rt *rapid.T, level int) {
	f, m := mc.f, &mc.m
	if level >= 1 {
		f.must(f.p.Present(facil, f.tick(), members))
		f.must(f.p.SkipReactions(facil, f.tick()))
		m.phase = consent.PhaseReactions
	}
	if level >= 2 {
		f.must(f.p.OpenConsentRound(facil, f.tick(), members, f.now.Add(48*time.Hour)))
		m.phase = consent.PhaseConsent
		m.answers, m.open, m.participants = map[consent.PersonID]consent.AnswerKind{}, map[consent.PersonID]bool{}, members
	}
	if level >= 3 {
		f.must(f.p.Object(objector, f.tick(), "reason"))
		m.answers[objector], m.open[objector] = consent.AnswerObject, true
		for _, who := range people(1, 2, 4, 5) {
			f.must(f.p.Consent(who, f.tick()))
			m.answers[who] = consent.AnswerConsent
		}
		f.must(f.p.Integrate(facil, f.tick()))
		m.phase = consent.PhaseIntegration
	}
}

func (mc *machine) act(rt *rapid.T) {
	f := mc.f
	step := rapid.SampledFrom([]time.Duration{-time.Minute, 0, time.Minute, time.Hour, 24 * time.Hour, 80 * time.Hour}).Draw(rt, "step")
	at := f.now.Add(step)
	var a consent.Act
	var actor consent.PersonID
	if rapid.IntRange(0, 3).Draw(rt, "mode") > 0 {
		// Mostly an act someone may do now, so that runs reach the later
		// phases; ending acts are rarer.
		actor = rapid.SampledFrom(mc.pool).Draw(rt, "actor")
		allowed := f.p.Allowed(actor, at)
		if len(allowed) > 1 {
			allowed = slices.DeleteFunc(allowed, func(x consent.Act) bool { return x == consent.ActWithdraw || x == consent.ActRefer })
		}
		if len(allowed) > 0 {
			a = rapid.SampledFrom(allowed).Draw(rt, "allowed act")
		}
	}
	if a == 0 {
		a = rapid.SampledFrom(consent.Acts()).Draw(rt, "act")
		actor = canonicalActor(a)
		if rapid.Bool().Draw(rt, "anyone") {
			actor = rapid.SampledFrom(mc.pool).Draw(rt, "actor")
		}
	}
	subset := func(label string) []consent.PersonID {
		s := rapid.SliceOfNDistinct(rapid.SampledFrom(people(1, 2, 3, 4, 5, 6)), 1, 6, rapid.ID).Draw(rt, label)
		slices.SortFunc(s, consent.PersonID.Compare)
		return s
	}

	wasTerminal := mc.m.phase.Terminal()
	before := f.p.Clone()
	allowed := slices.Contains(f.p.Allowed(actor, at), a)
	r := f.p.Round()
	target := actor
	if r != nil && a != consent.ActWithdrawObjection {
		for _, o := range r.Objections() {
			if o.Status != consent.ObjectionOpen {
				continue
			}
			switch {
			case a == consent.ActUnderstandObjection && !o.Understood(),
				a == consent.ActTestObjection && o.Understood() && !o.Tested,
				a != consent.ActUnderstandObjection && a != consent.ActTestObjection && o.Understood():
				target = o.Objector
			}
			if target != actor {
				break
			}
		}
	}

	var evs []consent.Event
	var err error
	var members []consent.PersonID
	valid := true
	argsOK := true // the arguments are valid whenever the act is allowed
	switch a {
	case consent.ActOpenConsentRound:
		members = subset("members")
		closes := time.Time{}
		if rapid.Bool().Draw(rt, "deadline") {
			closes = at.Add(time.Duration(rapid.IntRange(1, 100).Draw(rt, "hours")) * time.Hour)
		}
		evs, err = f.p.OpenConsentRound(actor, at, members, closes)
	case consent.ActRetakeSnapshot:
		members = subset("members")
		evs, err = f.p.RetakeSnapshot(actor, at, members)
	case consent.ActSetDeadline:
		closes := at.Add(time.Duration(rapid.IntRange(0, 100).Draw(rt, "hours")) * time.Hour)
		argsOK = r == nil || closes.After(r.Opens()) // a round cannot close when it opens
		evs, err = f.p.SetDeadline(actor, at, closes)
	case consent.ActTestObjection:
		valid = rapid.Bool().Draw(rt, "valid")
		evs, err = f.p.TestObjection(actor, at, target, valid, "tested against the criteria")
	case consent.ActUnderstandObjection:
		evs, err = f.p.UnderstandObjection(actor, at, target, "understood")
	case consent.ActShortenTerm:
		current := f.p.Proposal().ReviewDate
		if current.IsZero() {
			current = at.AddDate(0, f.p.Policy().ReviewMonths, 0)
		}
		evs, err = f.p.ShortenTerm(actor, at, target, at.Add(current.Sub(at)/2), "")
	case consent.ActAddMeasure:
		evs, err = f.p.AddMeasure(actor, at, target, consent.Measure{Watch: "w", Threshold: "t", Owner: target, Checkpoint: at.Add(time.Hour)})
	case consent.ActDefer:
		evs, err = f.p.Defer(actor, at, target, actor, at.Add(time.Hour), "")
	case consent.ActWithdrawObjection:
		evs, err = f.p.WithdrawObjection(actor, at, actor)
	default:
		evs, err = do(f.p, a, actor, at)
	}

	if err != nil {
		require.False(rt, allowed && argsOK, "%s by %s is allowed but failed: %v", a, actor, err)
		require.Equal(rt, before, f.p, "a refused act changes nothing: %v", err)
		return
	}
	require.True(rt, allowed, "%s by %s succeeded but is not allowed", a, actor)
	require.False(rt, wasTerminal, "terminal states stay terminal")
	require.NotEmpty(rt, evs)
	f.events = append(f.events, evs...)
	f.now = at
	mc.steps++

	// The model's view of the act.
	m := &mc.m
	switch a {
	case consent.ActPresent:
		m.phase = consent.PhasePresented
	case consent.ActOpenReactions, consent.ActSkipReactions:
		m.phase = consent.PhaseReactions
	case consent.ActOpenConsentRound:
		m.phase = consent.PhaseConsent
		m.answers, m.open, m.participants = map[consent.PersonID]consent.AnswerKind{}, map[consent.PersonID]bool{}, members
	case consent.ActConsent, consent.ActRaiseConcern, consent.ActStandAside, consent.ActObject:
		kind := map[consent.Act]consent.AnswerKind{consent.ActConsent: consent.AnswerConsent, consent.ActRaiseConcern: consent.AnswerConcern,
			consent.ActStandAside: consent.AnswerStandAside, consent.ActObject: consent.AnswerObject}[a]
		require.True(rt, slices.Contains(m.participants, actor), "only participants answer")
		_, again := m.answers[actor]
		require.False(rt, again, "one answer per participant per round")
		m.answers[actor] = kind
		if kind == consent.AnswerObject {
			m.open[actor] = true
		}
		if m.phase == consent.PhaseAdopted {
			m.phase = consent.PhaseIntegration
		}
	case consent.ActRetakeSnapshot:
		if m.phase == consent.PhaseConsent {
			for _, x := range m.participants {
				if !slices.Contains(members, x) {
					delete(m.answers, x)
					delete(m.open, x)
				}
			}
			m.participants = members
		}
	case consent.ActIntegrate:
		m.phase = consent.PhaseIntegration
	case consent.ActTestObjection:
		if !valid {
			delete(m.open, target)
		}
	case consent.ActAmend:
		if m.phase == consent.PhaseIntegration {
			for _, x := range evs[0].(consent.ProposalAmended).Addresses {
				require.True(rt, m.open[x])
				delete(m.open, x)
			}
		}
	case consent.ActShortenTerm, consent.ActAddMeasure, consent.ActDefer:
		require.True(rt, m.open[target])
		delete(m.open, target)
	case consent.ActWithdrawObjection:
		require.True(rt, m.open[actor], "only the objector withdraws")
		delete(m.open, actor)
	case consent.ActAdopt:
		require.Empty(rt, m.open, "no adoption with an open objection")
		m.phase = consent.PhaseAdopted
	case consent.ActWithdraw:
		m.phase = consent.PhaseWithdrawn
	case consent.ActRefer:
		m.phase = consent.PhaseReferred
	}
}

func (mc *machine) check(rt *rapid.T) {
	p, m := mc.f.p, mc.m
	require.NoError(rt, p.Check())
	require.Equal(rt, m.phase, p.Phase())
	r := p.Round()
	if r == nil {
		require.Nil(rt, m.answers)
		return
	}
	answers := map[consent.PersonID]consent.AnswerKind{}
	var naive consent.Tally
	for _, a := range r.Answers() {
		_, dup := answers[a.Person]
		require.False(rt, dup, "at most one current answer per participant")
		answers[a.Person] = a.Kind
		switch a.Kind {
		case consent.AnswerConsent:
			naive.Consent++
		case consent.AnswerConcern:
			naive.Concern++
		case consent.AnswerStandAside:
			naive.StandAside++
		case consent.AnswerObject:
			naive.Object++
		}
	}
	require.Equal(rt, m.answers, answers)
	open := map[consent.PersonID]bool{}
	for _, o := range r.Objections() {
		if o.Status == consent.ObjectionOpen {
			open[o.Objector] = true
			naive.OpenObjections++
		}
	}
	require.Equal(rt, m.open, open)
	require.Equal(rt, m.participants, r.Participants())
	naive.Participants = len(r.Participants())
	naive.Missing = naive.Participants - len(answers)
	naive.SetAside = len(r.SetAside())
	require.Equal(rt, naive, r.Tally())

	if p.Phase() == consent.PhaseAdopted {
		require.Zero(rt, p.OpenObjections())
		d, ok := p.Decision()
		require.True(rt, ok)
		for _, o := range d.Objections {
			require.NotEqual(rt, consent.ObjectionOpen, o.Status, "no adoption with an open objection")
		}
	}
	for _, d := range p.Decisions() {
		require.False(rt, d.ReviewDate.IsZero(), "every decision has a review date")
	}

	got, err := consent.Replay(roundtrip(rt, mc.f.events))
	require.NoError(rt, err)
	require.Equal(rt, p, got, "replay of events equals state")

	snap, err := json.Marshal(p)
	require.NoError(rt, err)
	var back consent.Process
	require.NoError(rt, back.UnmarshalJSON(snap), "%s", snap)
	require.Equal(rt, p, &back, "a snapshot round-trips")

	// A clone equals its original, and acts on the clone never change it.
	c := p.Clone()
	require.Equal(rt, p, c, "a clone equals its original")
	at := mc.f.now.Add(time.Minute)
	for _, who := range mc.pool {
		for _, a := range c.Allowed(who, at) {
			_, _ = do(c, a, who, at)
		}
	}
	require.Equal(rt, got, p, "acts on a clone changed the original")
}
