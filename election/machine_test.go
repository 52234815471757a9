package election_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
)

// The model keeps what the election's rules depend on, written out naively.
type objection struct{ open, understood bool }

type model struct {
	phase       election.Phase
	allowPass   bool
	nominations map[int]int // nominator -> nominee (0: pass)
	revealed    bool
	declined    map[int]bool
	purpose     election.Purpose
	nominee     int
	answered    map[int]bool
	objections  map[int]*objection
	termEnd     time.Time
}

const (
	participants = 5 // P1..P5; P1 leads the team, facilitates and may not be its delegate
	facilitator  = 1
)

func (m *model) eligible(p int) bool { return p >= 2 && p <= participants && !m.declined[p] }

func (m *model) nominated(p int) bool {
	for _, n := range m.nominations {
		if n == p {
			return true
		}
	}
	return false
}

func (m *model) roundOpen() bool {
	return m.phase == election.PhaseDescription || m.phase == election.PhaseConsenting
}

func (m *model) allAnswered(except int) bool {
	for p := 1; p <= participants; p++ {
		if p != except && !m.answered[p] {
			return false
		}
	}
	return true
}

func (m *model) openObjections() int {
	n := 0
	for _, o := range m.objections {
		if o.open {
			n++
		}
	}
	return n
}

func (m *model) newRound(purpose election.Purpose, nominee int) {
	m.purpose, m.nominee = purpose, nominee
	m.answered = map[int]bool{}
	m.objections = map[int]*objection{}
}

type machine struct {
	e       *election.Election
	m       *model
	history []election.Event
	clock   int
}

func (s *machine) now() time.Time { s.clock++; return at(s.clock) }

func (s *machine) record(t *rapid.T) string {
	b, err := json.Marshal(s.e.Record())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// run checks that the act is allowed exactly when the model says so; a
// refused act changes nothing; an allowed one updates the model.
func (s *machine) run(t *rapid.T, name string, allowed bool, act func() ([]election.Event, error), apply func()) {
	before, version := s.record(t), s.e.Version()
	events, err := act()
	if allowed != (err == nil) {
		t.Fatalf("%s: model allowed=%v, election error %v", name, allowed, err)
	}
	if err != nil {
		if s.record(t) != before || s.e.Version() != version {
			t.Fatalf("%s: refused act changed the election", name)
		}
		return
	}
	s.history = append(s.history, events...)
	apply()
}

func TestElectionStateMachine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		org := teamOrg(participants)
		spec := delegateSpec()
		spec.Policy.AllowPass = rapid.Bool().Draw(t, "allowPass")
		e, events, err := election.Call(org, spec, at(0))
		if err != nil {
			t.Fatal(err)
		}
		s := &machine{e: e, history: events, m: &model{
			phase: election.PhaseDescription, allowPass: spec.Policy.AllowPass, nominations: map[int]int{},
			declined: map[int]bool{}, termEnd: spec.Term.End,
		}}
		s.m.newRound(election.PurposeDescription, 0)
		person := rapid.IntRange(1, participants+1) // P6 is not a participant
		m := s.m
		answer := func(kind consent.AnswerKind) func(*rapid.T) {
			return func(t *rapid.T) {
				p := person.Draw(t, "p")
				allowed := m.roundOpen() && p <= participants && !m.answered[p] &&
					(m.purpose != election.PurposeNominee || p != m.nominee || m.allAnswered(p))
				when := s.now()
				s.run(t, "answer "+kind.String(), allowed, func() ([]election.Event, error) {
					switch kind {
					case consent.AnswerObject:
						return s.e.Object(pid(p), when, "a reason")
					case consent.AnswerConcern:
						return s.e.RaiseConcern(pid(p), when, "a note")
					}
					return s.e.Consent(pid(p), when)
				}, func() {
					m.answered[p] = true
					if kind == consent.AnswerObject {
						m.objections[p] = &objection{open: true}
					}
				})
			}
		}
		actions := map[string]func(*rapid.T){
			"":        func(t *rapid.T) { s.check(t) },
			"consent": answer(consent.AnswerConsent),
			"object":  answer(consent.AnswerObject),
			"concern": answer(consent.AnswerConcern),
			"understand": func(t *rapid.T) {
				p, who := person.Draw(t, "objector"), person.Draw(t, "actor")
				o := m.objections[p]
				allowed := m.roundOpen() && who == facilitator && o != nil && o.open && !o.understood
				when := s.now()
				s.run(t, "understand", allowed, func() ([]election.Event, error) {
					return s.e.UnderstandObjection(pid(who), when, pid(p), "understood")
				}, func() { o.understood = true })
			},
			"withdraw": func(t *rapid.T) {
				p := person.Draw(t, "p")
				o := m.objections[p]
				allowed := m.roundOpen() && o != nil && o.open
				when := s.now()
				s.run(t, "withdraw", allowed, func() ([]election.Event, error) { return s.e.WithdrawObjection(pid(p), when) },
					func() { o.open = false })
			},
			"open nominations": func(t *rapid.T) {
				who := person.Draw(t, "actor")
				allowed := m.phase == election.PhaseDescription && who == facilitator && m.allAnswered(0) && m.openObjections() == 0
				when := s.now()
				s.run(t, "open nominations", allowed, func() ([]election.Event, error) { return s.e.OpenNominations(pid(who), when) },
					func() { m.phase = election.PhaseNominating })
			},
			"nominate": func(t *rapid.T) {
				p, n := person.Draw(t, "p"), person.Draw(t, "nominee")
				_, done := m.nominations[p]
				allowed := m.phase == election.PhaseNominating && p <= participants && !done && m.eligible(n)
				when := s.now()
				s.run(t, "nominate", allowed, func() ([]election.Event, error) { return s.e.Nominate(pid(p), when, pid(n), "a reason") },
					func() { m.nominations[p] = n; s.revealIfAllIn() })
			},
			"pass": func(t *rapid.T) {
				p := person.Draw(t, "p")
				_, done := m.nominations[p]
				allowed := m.phase == election.PhaseNominating && p <= participants && !done && m.allowPass
				when := s.now()
				s.run(t, "pass", allowed, func() ([]election.Event, error) { return s.e.Pass(pid(p), when, "") },
					func() { m.nominations[p] = 0; s.revealIfAllIn() })
			},
			"close nominations": func(t *rapid.T) {
				who := person.Draw(t, "actor")
				allowed := m.phase == election.PhaseNominating && who == facilitator
				when := s.now()
				s.run(t, "close", allowed, func() ([]election.Event, error) { return s.e.CloseNominations(pid(who), when) },
					func() { m.revealed = true; m.phase = election.PhaseChanging })
			},
			"change": func(t *rapid.T) {
				p, n := person.Draw(t, "p"), person.Draw(t, "nominee")
				cur, has := m.nominations[p]
				allowed := m.phase == election.PhaseChanging && p <= participants && m.eligible(n) && !(has && cur == n)
				when := s.now()
				s.run(t, "change", allowed, func() ([]election.Event, error) {
					return s.e.ChangeNomination(pid(p), when, pid(n), "a reason")
				}, func() { m.nominations[p] = n })
			},
			"propose": func(t *rapid.T) {
				who, n := person.Draw(t, "actor"), person.Draw(t, "nominee")
				another := m.phase == election.PhaseConsenting
				allowed := who == facilitator && m.eligible(n) && m.nominated(n) &&
					(m.phase == election.PhaseChanging || (another && n != m.nominee))
				when := s.now()
				s.run(t, "propose", allowed, func() ([]election.Event, error) {
					spec := election.ProposalSpec{Nominee: pid(n), Reasons: "the reasons given"}
					if another {
						return s.e.ProposeAnother(pid(who), when, spec)
					}
					return s.e.Propose(pid(who), when, spec)
				}, func() {
					m.phase = election.PhaseConsenting
					m.newRound(election.PurposeNominee, n)
				})
			},
			"shorten term": func(t *rapid.T) {
				who, p := person.Draw(t, "actor"), person.Draw(t, "objector")
				o := m.objections[p]
				end := m.termEnd.AddDate(0, -1, 0)
				allowed := m.phase == election.PhaseConsenting && who == facilitator && o != nil && o.open && o.understood && end.After(t0)
				when := s.now()
				s.run(t, "shorten", allowed, func() ([]election.Event, error) { return s.e.ShortenTerm(pid(who), when, pid(p), end) },
					func() { m.termEnd = end; m.newRound(election.PurposeNominee, m.nominee) })
			},
			"decline": func(t *rapid.T) {
				p := person.Draw(t, "p")
				isNominee := m.phase == election.PhaseConsenting && m.nominee == p
				allowed := (m.phase == election.PhaseChanging || m.phase == election.PhaseConsenting) && !m.declined[p] && (m.nominated(p) || isNominee)
				when := s.now()
				s.run(t, "decline", allowed, func() ([]election.Event, error) { return s.e.Decline(pid(p), when, "") },
					func() {
						m.declined[p] = true
						if isNominee {
							m.phase = election.PhaseChanging
						}
					})
			},
			"elect": func(t *rapid.T) {
				who := person.Draw(t, "actor")
				allowed := m.phase == election.PhaseConsenting && who == facilitator && m.allAnswered(0) && m.openObjections() == 0
				when := s.now()
				s.run(t, "elect", allowed, func() ([]election.Event, error) { return s.e.Elect(pid(who), when) },
					func() { m.phase = election.PhaseElected })
			},
			"cancel": func(t *rapid.T) {
				who := person.Draw(t, "actor")
				allowed := who == facilitator && !m.phase.Ended() && rapid.IntRange(0, 9).Draw(t, "rarely") == 0
				if !allowed && who == facilitator && !m.phase.Ended() {
					return // keep elections running most of the time
				}
				when := s.now()
				s.run(t, "cancel", allowed, func() ([]election.Event, error) { return s.e.Cancel(pid(who), when, "no longer needed") },
					func() { m.phase = election.PhaseCancelled })
			},
		}
		// Random acts rarely get far; a guided step takes the natural next
		// act, with the arguments that move things on (through the same
		// checks), so that later phases are explored too.
		step := func(t *rapid.T) {
			name, p, n := s.nextAct()
			when := s.now()
			switch name {
			case "consent":
				allowed := p != m.nominee || m.purpose != election.PurposeNominee || m.allAnswered(p)
				s.run(t, "guided consent", allowed, func() ([]election.Event, error) { return s.e.Consent(pid(p), when) },
					func() { m.answered[p] = true })
			case "withdraw":
				s.run(t, "guided withdraw", true, func() ([]election.Event, error) { return s.e.WithdrawObjection(pid(p), when) },
					func() { m.objections[p].open = false })
			case "open nominations":
				s.run(t, "guided open", true, func() ([]election.Event, error) { return s.e.OpenNominations(pid(facilitator), when) },
					func() { m.phase = election.PhaseNominating })
			case "nominate":
				s.run(t, "guided nominate", true, func() ([]election.Event, error) { return s.e.Nominate(pid(p), when, pid(n), "a reason") },
					func() { m.nominations[p] = n; s.revealIfAllIn() })
			case "propose":
				s.run(t, "guided propose", true, func() ([]election.Event, error) {
					return s.e.Propose(pid(facilitator), when, election.ProposalSpec{Nominee: pid(n), Reasons: "the reasons given"})
				}, func() { m.phase = election.PhaseConsenting; m.newRound(election.PurposeNominee, n) })
			case "elect":
				s.run(t, "guided elect", true, func() ([]election.Event, error) { return s.e.Elect(pid(facilitator), when) },
					func() { m.phase = election.PhaseElected })
			default:
				t.Skip("nothing to move on")
			}
		}
		for i := range 6 {
			actions["step "+string(rune('a'+i))] = step
		}
		t.Repeat(actions)
	})
}

// nextAct names the act that moves the election on, with its person and
// nominee.
func (s *machine) nextAct() (string, int, int) {
	m := s.m
	switch m.phase {
	case election.PhaseDescription, election.PhaseConsenting:
		for p := 1; p <= participants; p++ {
			if o := m.objections[p]; o != nil && o.open {
				return "withdraw", p, 0
			}
		}
		for p := 1; p <= participants; p++ {
			if !m.answered[p] && (p != m.nominee || m.allAnswered(p)) {
				return "consent", p, 0
			}
		}
		if m.phase == election.PhaseDescription {
			return "open nominations", 0, 0
		}
		return "elect", 0, 0
	case election.PhaseNominating:
		for p := 1; p <= participants; p++ {
			if _, done := m.nominations[p]; !done {
				for n := 2; n <= participants; n++ {
					if m.eligible((p+n)%participants + 1) {
						return "nominate", p, (p+n)%participants + 1
					}
				}
			}
		}
	case election.PhaseChanging:
		for n := 2; n <= participants; n++ {
			if m.eligible(n) && m.nominated(n) {
				return "propose", 0, n
			}
		}
	}
	return "", 0, 0
}

func (s *machine) revealIfAllIn() {
	if len(s.m.nominations) == participants {
		s.m.revealed = true
		s.m.phase = election.PhaseChanging
	}
}

func (s *machine) check(t *rapid.T) {
	m, e := s.m, s.e
	// A clone equals its original and replays alike; acts on the clone
	// never change the original.
	replayed, err := election.Replay(s.history)
	if err != nil {
		t.Fatal(err)
	}
	c := e.Clone()
	if !reflect.DeepEqual(c, e) || !reflect.DeepEqual(replayed, e) {
		t.Fatal("a clone or a replay differs from the election")
	}
	when := at(s.clock + 1)
	for p := 1; p <= participants; p++ {
		_, _ = c.Object(pid(p), when, "a reason")
		_, _ = c.Nominate(pid(p), when, pid(2), "a reason")
		_, _ = c.UnderstandObjection(pid(1), when, pid(p), "understood")
	}
	_, _ = c.OpenNominations(pid(1), when)
	_, _ = c.CloseNominations(pid(1), when)
	_, _ = c.ChangeNomination(pid(3), when, pid(4), "changed")
	_, _ = c.Propose(pid(1), when, election.ProposalSpec{Nominee: pid(2), Reasons: "r"})
	_, _ = c.Cancel(pid(1), when, "cancelled")
	if !reflect.DeepEqual(replayed, e) {
		t.Fatal("an act on a clone changed the original")
	}
	if e.Phase() != m.phase {
		t.Fatalf("phase %s, model %s", e.Phase(), m.phase)
	}
	// Hidden nominations are never visible early.
	for p := 1; p <= participants+1; p++ {
		seen := e.Nominations(pid(p))
		if !m.revealed {
			for _, n := range seen {
				if n.Nominator != pid(p) {
					t.Fatalf("P%d sees the nomination of %s before the reveal", p, n.Nominator)
				}
			}
		} else if len(seen) != len(m.nominations) {
			t.Fatalf("after the reveal P%d sees %d nominations, model %d", p, len(seen), len(m.nominations))
		}
	}
	if !m.revealed && len(e.Record().Nominations) != 0 {
		t.Fatal("the record shows nominations before the reveal")
	}
	// The tally equals a naive recount of the model.
	if m.revealed {
		counts := map[circle.PersonID]int{}
		for _, n := range m.nominations {
			if n != 0 {
				counts[pid(n)]++
			}
		}
		tally := election.Tally(e.Nominations(pid(1)))
		if len(tally) != len(counts) {
			t.Fatalf("tally has %d nominees, recount %d", len(tally), len(counts))
		}
		for _, c := range tally {
			if counts[c.Nominee] != c.Count {
				t.Fatalf("tally %s=%d, recount %d", c.Nominee, c.Count, counts[c.Nominee])
			}
		}
	}
	// An elected person was nominated, is eligible, and the last round was
	// complete with no open objection, the nominee answering last.
	if out, ok := e.Outcome(); ok {
		rec := e.Record()
		if !slices.ContainsFunc(rec.Nominations, func(n election.Nomination) bool { return n.Nominee == out.Person }) {
			t.Fatalf("elected %s was not nominated", out.Person)
		}
		if out.Person == pid(facilitator) {
			t.Fatal("the leader was elected delegate")
		}
		last := rec.Rounds[len(rec.Rounds)-1]
		if len(last.Answers) != participants {
			t.Fatalf("elected with %d of %d answers", len(last.Answers), participants)
		}
		var nomineeAt time.Time
		for _, a := range last.Answers {
			if a.Person == out.Person {
				nomineeAt = a.At
			}
		}
		for _, a := range last.Answers {
			if a.Person != out.Person && a.At.After(nomineeAt) {
				t.Fatalf("%s answered after the nominee", a.Person)
			}
		}
		for _, o := range last.Objections {
			if o.Status == consent.ObjectionOpen {
				t.Fatal("elected with an open objection")
			}
		}
	}
	// Replaying the stored form of every event gives the same election.
	decoded := make([]election.Event, 0, len(s.history))
	for _, ev := range s.history {
		typ, data, err := election.MarshalEvent(ev)
		if err != nil {
			t.Fatal(err)
		}
		back, err := election.UnmarshalEvent(typ, data)
		if err != nil {
			t.Fatalf("decode %s: %v\n%s", typ, err, data)
		}
		decoded = append(decoded, back)
	}
	replayed, err = election.Replay(decoded)
	if err != nil {
		t.Fatalf("replay: %v", err)
	}
	a, _ := json.Marshal(replayed.Record())
	if string(a) != s.record(t) || replayed.Version() != e.Version() {
		t.Fatalf("replay differs:\n%s\n%s", a, s.record(t))
	}
	for p := 1; p <= participants; p++ {
		x, _ := json.Marshal(replayed.Nominations(pid(p)))
		y, _ := json.Marshal(e.Nominations(pid(p)))
		if string(x) != string(y) {
			t.Fatalf("replayed nominations differ for P%d", p)
		}
	}
}
