package agreement_test

import (
	"errors"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// modelAgreement is what the naive model keeps of an agreement.
type modelAgreement struct {
	circle   circle.CircleID
	state    agreement.State
	texts    []string // the text of every version, oldest first
	decision []consent.ProcessID
	origin   consent.ProcessID // the decision that first adopted it
}

// Property: under any sequence of consent events, the register agrees with
// a naive model of the rules: a refused review changes nothing; every
// agreement's state, versions and texts match; what is in force now is
// exactly the model's agreements in force; and replaying the register's
// events rebuilds the same register.
func TestPropertyRegisterMatchesModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, log := open()
		model := map[agreement.ID]*modelAgreement{}
		var order []agreement.ID
		reviews := map[consent.ProcessID]consent.Review{}
		next, now := 0, t0
		fresh := func() consent.ProcessID { next++; return proc(next) }
		tick := func() time.Time { now = now.Add(time.Hour); return now }
		text := func() string { return rapid.SampledFrom([]string{"a", "b", "c"}).Draw(t, "text") }
		see := func(e any) ([]agreement.Event, error) {
			evs, err := r.Observe(e)
			log = append(log, evs...)
			return evs, err
		}
		pickAgreement := func() (agreement.ID, *modelAgreement) {
			if len(order) == 0 || rapid.IntRange(0, 9).Draw(t, "unknown") == 0 {
				return agreement.IDFor(orgID, proc(1000+next)), nil
			}
			id := rapid.SampledFrom(order).Draw(t, "agreement")
			return id, model[id]
		}
		t.Repeat(map[string]func(*rapid.T){
			"adopt a new matter": func(t *rapid.T) {
				p, c, tx := fresh(), cid(rapid.IntRange(1, 3).Draw(t, "circle")), text()
				must(see(adopted(p, c, tick(), "T", tx)))
				id := agreement.IDFor(orgID, p)
				model[id] = &modelAgreement{circle: c, state: agreement.StateInForce, texts: []string{tx}, decision: []consent.ProcessID{p}, origin: p}
				order = append(order, id)
			},
			"start a review": func(t *rapid.T) {
				id, m := pickAgreement()
				c := cid(rapid.IntRange(1, 3).Draw(t, "circle"))
				if m != nil && rapid.Bool().Draw(t, "same circle") {
					c = m.circle
				}
				rv := consent.Review{Agreement: id, Retire: rapid.IntRange(0, 3).Draw(t, "retire") == 0}
				var want error
				switch {
				case m == nil:
					want = agreement.ErrUnknownAgreement
				case m.circle != c:
					want = agreement.ErrWrongCircle
				case m.state == agreement.StateRetired:
					want = agreement.ErrRetired
				}
				version, before := r.Version(), r.Agreements()
				p := fresh()
				_, err := see(started(p, c, tick(), rv))
				switch {
				case want == nil && err != nil:
					t.Fatalf("review refused: %v", err)
				case want != nil && !errors.Is(err, want):
					t.Fatalf("got %v, want %v", err, want)
				case err != nil:
					if r.Version() != version || !reflect.DeepEqual(before, r.Agreements()) {
						t.Fatalf("a refused review changed the register")
					}
					return
				}
				reviews[p] = rv
			},
			"adopt a review": func(t *rapid.T) {
				if len(reviews) == 0 {
					t.Skip("no review running")
				}
				p := rapid.SampledFrom(sortedProcs(reviews)).Draw(t, "review")
				rv, tx := reviews[p], text()
				delete(reviews, p)
				m := model[rv.Agreement]
				must(see(adopted(p, m.circle, tick(), "T", tx)))
				switch {
				case rv.Retire && m.state == agreement.StateRetired:
				case rv.Retire:
					m.state = agreement.StateRetired
				default:
					m.state = agreement.StateInForce
					m.texts, m.decision = append(m.texts, tx), append(m.decision, p)
				}
			},
			"end a review": func(t *rapid.T) {
				if len(reviews) == 0 {
					t.Skip("no review running")
				}
				p := rapid.SampledFrom(sortedProcs(reviews)).Draw(t, "review")
				m := model[reviews[p].Agreement]
				delete(reviews, p)
				must(see(consent.ProposalWithdrawn{Header: hdr(p, m.circle, tick())}))
			},
			"reopen a decision": func(t *rapid.T) {
				if len(order) == 0 {
					t.Skip("no agreement")
				}
				id := rapid.SampledFrom(order).Draw(t, "agreement")
				m := model[id]
				p := rapid.SampledFrom(m.decision).Draw(t, "decision")
				must(see(consent.DecisionReopened{Header: hdr(p, m.circle, tick())}))
				last := m.decision[len(m.decision)-1]
				if m.state != agreement.StateInForce || last != p {
					return // not the decision in force: nothing happens
				}
				if n := len(m.texts); n > 1 {
					m.texts, m.decision = append(m.texts, m.texts[n-2]), append(m.decision, m.decision[n-2])
				} else {
					m.state = agreement.StateReopened
				}
			},
			"adopt a reopened matter again": func(t *rapid.T) {
				var reopened []agreement.ID
				for _, id := range order {
					if model[id].state == agreement.StateReopened {
						reopened = append(reopened, id)
					}
				}
				if len(reopened) == 0 {
					t.Skip("nothing reopened")
				}
				m, tx := model[rapid.SampledFrom(reopened).Draw(t, "agreement")], text()
				must(see(adopted(m.origin, m.circle, tick(), "T", tx)))
				m.state, m.texts, m.decision = agreement.StateInForce, append(m.texts, tx), append(m.decision, m.origin)
			},
			"dissolve a circle": func(t *rapid.T) {
				c := cid(rapid.IntRange(1, 3).Draw(t, "circle"))
				must(see(circle.CircleDissolved{Header: circle.Header{Org: orgID, Actor: pid(1), At: tick()}, Circle: c}))
				for _, id := range order {
					if m := model[id]; m.circle == c {
						m.state = agreement.StateRetired
					}
				}
			},
			"": func(t *rapid.T) {
				got := r.Agreements()
				if len(got) != len(order) {
					t.Fatalf("%d agreements, model has %d", len(got), len(order))
				}
				inForce := 0
				for i, a := range got {
					m := model[order[i]]
					if a.ID != order[i] || a.State != m.state || a.Circle != m.circle || len(a.Versions) != len(m.texts) {
						t.Fatalf("agreement %d: %v %s, %d versions; model %+v", i, a.State, a.Circle, len(a.Versions), m)
					}
					for j, v := range a.Versions {
						if v.Text != m.texts[j] || v.Version != j+1 || v.Decision != m.decision[j] {
							t.Fatalf("agreement %d version %d: %q by %s; model %q by %s", i, j+1, v.Text, v.Decision, m.texts[j], m.decision[j])
						}
					}
					if m.state == agreement.StateInForce {
						inForce++
					}
				}
				if n := len(r.InForce(now)); n != inForce {
					t.Fatalf("%d in force, model has %d", n, inForce)
				}
				back, err := agreement.Replay(log)
				if err != nil {
					t.Fatalf("replay: %v", err)
				}
				if !reflect.DeepEqual(back.Agreements(), got) || back.Version() != r.Version() || back.Version() != uint64(len(log)) {
					t.Fatalf("replay differs from the live register")
				}
			},
		})
	})
}

// Property: what was in force at any past instant is what a naive scan of
// the versions' intervals says, for the whole organisation and per circle.
func TestPropertyInForceAtAnyInstantMatchesAScan(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, _ := open()
		now, next := t0, 0
		var ids []agreement.ID
		for range rapid.IntRange(1, 30).Draw(t, "steps") {
			now = now.Add(time.Duration(rapid.IntRange(0, 3).Draw(t, "gap")) * time.Hour)
			next++
			if len(ids) > 0 && rapid.Bool().Draw(t, "review") {
				id := rapid.SampledFrom(ids).Draw(t, "agreement")
				a, _ := r.Agreement(id)
				if a.State == agreement.StateRetired {
					continue
				}
				rv := consent.Review{Agreement: id, Retire: rapid.IntRange(0, 4).Draw(t, "retire") == 0}
				must(r.Observe(started(proc(next), a.Circle, now, rv)))
				must(r.Observe(adopted(proc(next), a.Circle, now, "T", rapid.SampledFrom([]string{"a", "b"}).Draw(t, "text"))))
				continue
			}
			must(r.Observe(adopted(proc(next), cid(rapid.IntRange(1, 3).Draw(t, "circle")), now, "T", "a")))
			ids = append(ids, agreement.IDFor(orgID, proc(next)))
		}
		at := t0.Add(time.Duration(rapid.IntRange(-1, int(now.Sub(t0)/time.Hour)+1).Draw(t, "at")) * time.Hour)
		var want []agreement.InForce
		for _, a := range r.Agreements() {
			for _, v := range a.Versions {
				if !at.Before(v.From) && (v.Until.IsZero() || at.Before(v.Until)) {
					want = append(want, agreement.InForce{Agreement: a.ID, Circle: a.Circle, Version: v})
				}
			}
		}
		if got := r.InForce(at); !reflect.DeepEqual(got, want) {
			t.Fatalf("in force at %s: got %d, scan %d", at, len(got), len(want))
		}
		c := cid(rapid.IntRange(1, 3).Draw(t, "circle"))
		var wantIn []agreement.InForce
		for _, f := range want {
			if f.Circle == c {
				wantIn = append(wantIn, f)
			}
		}
		if got := r.InForceIn(c, at); !reflect.DeepEqual(got, wantIn) {
			t.Fatalf("in force in %s at %s: got %d, scan %d", c, at, len(got), len(wantIn))
		}
	})
}

// Property: a clone is independent: observing on it never changes the
// original.
func TestPropertyCloneIsIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r, _ := open()
		n := rapid.IntRange(1, 5).Draw(t, "n")
		for i := 1; i <= n; i++ {
			must(r.Observe(adopted(proc(i), cid(1), day(i), "T", "a")))
		}
		before := r.Agreements()
		c := r.Clone()
		id := agreement.IDFor(orgID, proc(rapid.IntRange(1, n).Draw(t, "which")))
		must(c.Observe(started(proc(100), cid(1), day(50), consent.Review{Agreement: id})))
		must(c.Observe(adopted(proc(100), cid(1), day(51), "T", "b")))
		if !reflect.DeepEqual(before, r.Agreements()) {
			t.Fatalf("observing on the clone changed the original")
		}
		if reflect.DeepEqual(before, c.Agreements()) {
			t.Fatalf("the clone did not change")
		}
	})
}

func sortedProcs(m map[consent.ProcessID]consent.Review) []consent.ProcessID {
	out := slices.Collect(maps.Keys(m))
	slices.SortFunc(out, func(a, b consent.ProcessID) int { return a.Compare(b) })
	return out
}
