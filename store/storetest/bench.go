package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	mreg "github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// RunBenchmarks measures the Store's acts over the driver newDriver makes,
// with default options, each beside its baseline in one run, so that an
// adapter shows the costs the Store promises:
//
//   - act/org-events=1k and =50k: one answer-like act on a consent process
//     (a clarifying question) in an organisation whose own stream holds 1,000
//     or 50,000 events. The two should cost the same (within 1.5x).
//   - org-act/calendar-items=0 and =100k: an act on the organisation that
//     the review calendar does not care about, beside a calendar of no items
//     or 100,000; calendar-act/... the same for an act on the calendar
//     (rescheduling one item).
//   - due/calendar-items=100k: [store.Store.Due] returning about thirty items.
//   - cold-read/org-events=50k: the first read of a 50,000-event organisation
//     by a Store that has not seen it (a process that just started).
//   - answer/round=50 and =2000: one consent answer in a round of 50 or
//     2,000 participants.
//
// Call it from a benchmark of the adapter's tests:
//
//	func BenchmarkStore(b *testing.B) { storetest.RunBenchmarks(b, newDriver) }
func RunBenchmarks(b *testing.B, newDriver func(b *testing.B) store.Driver) {
	for _, n := range []int{1_000, 50_000} {
		b.Run(fmt.Sprintf("act/org-events=%s", short(n)), func(b *testing.B) {
			s := store.New(newDriver(b), nil)
			org := benchOrg(b, s, n)
			id := benchProcess(b, s, org, 3)
			for b.Loop() {
				benchAct(b, s, org, id, func(p *consent.Process, at time.Time) ([]consent.Event, error) {
					return p.AskClarifying(pid(2), at, "Who writes the note when the night worker is late?")
				})
			}
		})
	}
	for _, items := range []int{0, 100_000} {
		b.Run(fmt.Sprintf("org-act/calendar-items=%s", short(items)), func(b *testing.B) {
			s := store.New(newDriver(b), nil)
			org := benchOrg(b, s, 0)
			benchCalendar(b, s, org, items)
			i := 0
			for b.Loop() {
				i++
				_, err := s.ActOrg(context.Background(), org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
					return o.UpdatePerson(pid(1), at, circle.PersonSpec{ID: pid(2), Label: fmt.Sprintf("P2 %d", i), Class: circle.Worker})
				}, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("calendar-act/calendar-items=%s", short(items)), func(b *testing.B) {
			s := store.New(newDriver(b), nil)
			org := benchOrg(b, s, 0)
			benchCalendar(b, s, org, items)
			item := review.ItemSpec{Kind: review.KindCircleReview, Circle: team, Title: "Care team review", Source: review.CircleSource(team), Due: time.Now().AddDate(1, 0, 0)}
			if _, err := s.ActCalendar(context.Background(), org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
				return c.Schedule(pid(1), at, item)
			}, nil); err != nil {
				b.Fatal(err)
			}
			itemID := review.ItemIDFor(org, item.Kind, item.Source)
			i := 0
			for b.Loop() {
				i++
				_, err := s.ActCalendar(context.Background(), org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
					return c.Reschedule(pid(1), at, itemID, item.Due.AddDate(0, 0, i%2+1), "the meeting moved")
				}, nil)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("due/calendar-items=100k", func(b *testing.B) {
		s := store.New(newDriver(b), nil)
		org := benchOrg(b, s, 0)
		benchCalendar(b, s, org, 100_000)
		before := time.Now().AddDate(0, 0, 1)                               // about thirty of the items
		if _, err := s.Due(context.Background(), org, before); err != nil { // the first read replays the calendar
			b.Fatal(err)
		}
		for b.Loop() {
			due, err := s.Due(context.Background(), org, before)
			if err != nil || len(due) == 0 {
				b.Fatal(len(due), err)
			}
		}
	})
	b.Run("cold-read/org-events=50k", func(b *testing.B) {
		// A Store that has not seen the organisation yet (a process that
		// just started) replays its whole stream once.
		d := newDriver(b)
		org := benchOrg(b, store.New(d, nil), 50_000)
		for b.Loop() {
			if _, err := store.New(d, nil).Organisation(context.Background(), org); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, n := range []int{50, 2_000} {
		b.Run(fmt.Sprintf("answer/round=%d", n), func(b *testing.B) {
			s := store.New(newDriver(b), nil)
			org := benchOrg(b, s, 0)
			benchMembers(b, s, org, n)
			var id consent.ProcessID
			all := members(n)
			next := n // answers left in the current round
			for b.Loop() {
				if next == n {
					b.StopTimer()
					id = benchProcess(b, s, org, n)
					next = 0
					b.StartTimer()
				}
				who := all[next]
				next++
				benchAct(b, s, org, id, func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Consent(who, at) })
			}
		})
	}
	b.Run("statutory-register/members=10k", func(b *testing.B) {
		// The register the law requires, names and addresses from 10,000
		// profiles: read at once where the driver offers
		// store.ProfilesReader, beside the same driver read profile by
		// profile (the baseline).
		d := newDriver(b)
		org := benchRegister(b, store.New(d, nil), 10_000)
		at := t0.AddDate(1, 0, 0)
		for _, tc := range []struct {
			name string
			s    *store.Store
		}{{"at-once", store.New(d, nil)}, {"one-by-one", store.New(oneByOne{d}, nil)}} {
			b.Run(tc.name, func(b *testing.B) {
				if _, ok := d.(store.ProfilesReader); !ok && tc.name == "at-once" {
					b.Skip("the driver reads profiles one by one")
				}
				for b.Loop() {
					reg, err := tc.s.StatutoryRegister(context.Background(), org, at, nil)
					if err != nil || len(reg.Members) != 10_000 || reg.Members[0].Name == "" {
						b.Fatal(len(reg.Members), err)
					}
				}
			})
		}
	})
}

// oneByOne hides a driver's optional abilities, so that the Store reads
// through the Driver interface alone.
type oneByOne struct{ store.Driver }

// benchRegister founds an organisation of n people admitted as members,
// each with a profile.
func benchRegister(b *testing.B, s *store.Store, n int) circle.OrgID {
	b.Helper()
	ctx := context.Background()
	org := benchOrg(b, s, 0)
	o, err := s.Organisation(ctx, org)
	if err != nil {
		b.Fatal(err)
	}
	founder := o.People()[0]
	for from := 0; from < n; from += 1000 {
		people := make([]circle.PersonID, 1000)
		for i := range people {
			people[i] = circle.PersonID(uuid.New())
			if err := s.SetProfile(ctx, org, people[i], store.Profile{Name: fmt.Sprintf("Member %d", from+i), Address: "1 Mill Lane"}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			var c store.Collector[circle.Event]
			for _, p := range people {
				c.Add(o.AddPerson(founder, at, circle.PersonSpec{ID: p, Label: "M", Class: circle.Worker}))
			}
			return c.Result()
		}, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ActMembers(ctx, org, func(r *mreg.Register, o *circle.Organisation, at time.Time) ([]mreg.Event, error) {
			var c store.Collector[mreg.Event]
			for _, p := range people {
				c.Add(r.Admit(o, founder, at, p, 1))
			}
			return c.Result()
		}, nil); err != nil {
			b.Fatal(err)
		}
	}
	return org
}

func short(n int) string {
	if n >= 1000 && n%1000 == 0 {
		return fmt.Sprintf("%dk", n/1000)
	}
	return fmt.Sprint(n)
}

// benchOrg founds an organisation whose own stream holds about events
// events (people joining the top circle), with Person(1) to Person(3) in
// the team circle.
func benchOrg(b *testing.B, s *store.Store, events int) circle.OrgID {
	b.Helper()
	ctx := context.Background()
	f := founding()
	if _, err := s.Found(ctx, f, nil); err != nil {
		b.Fatal(err)
	}
	benchMembers(b, s, f.Org, 3)
	for done := 4; done < events; done += 1000 {
		_, err := s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			var c store.Collector[circle.Event]
			for range min(500, (events-done+1)/2) {
				p := circle.PersonID(uuid.New())
				c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: p, Label: "Newcomer", Class: circle.Worker}))
				c.Add(o.AddMember(pid(1), at, o.Top(), p)) // not in the team, whose rounds the benchmarks run
			}
			return c.Result()
		}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	return f.Org
}

func founding() circle.Founding {
	return circle.Founding{
		Org: NewOrg(), Name: "Bench Co-operative", Zone: "Europe/London",
		Founder: pid(1), FounderLabel: "P1", FounderClass: circle.Worker,
		Top: circle.CircleID(uuid.New()), TopName: "General circle", TopKind: circle.KindGeneral,
		Domain: []circle.DomainKey{"care"},
	}
}

// benchMembers makes Person(1) to Person(n) members of the team circle
// (creating it the first time).
func benchMembers(b *testing.B, s *store.Store, org circle.OrgID, n int) {
	b.Helper()
	_, err := s.ActOrg(context.Background(), org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		if _, ok := o.Circle(team); !ok {
			c.Add(o.AddCircle(pid(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team North", Kind: circle.KindTeam}))
		}
		for i := 1; i <= n; i++ {
			if _, ok := o.Person(pid(i)); !ok {
				c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker}))
			}
			if cs, _ := o.Circle(team); cs == nil || !cs.IsMember(pid(i)) {
				c.Add(o.AddMember(pid(1), at, team, pid(i)))
			}
		}
		return c.Result()
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
}

// benchProcess starts a process in the team and opens a consent round of
// Person(1) to Person(n); a clarifying question is possible in it as well.
func benchProcess(b *testing.B, s *store.Store, org circle.OrgID, n int) consent.ProcessID {
	b.Helper()
	ctx := context.Background()
	id := consent.ProcessID(uuid.New())
	spec := startSpec(org, id)
	if _, err := s.StartProcess(ctx, org, spec, nil); err != nil {
		b.Fatal(err)
	}
	all := members(n)
	benchAct(b, s, org, id, func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(pid(1), at, all) })
	if n <= 3 {
		return id // stays in the clarifying phase
	}
	benchAct(b, s, org, id, func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(pid(1), at) })
	benchAct(b, s, org, id, func(p *consent.Process, at time.Time) ([]consent.Event, error) {
		return p.OpenConsentRound(pid(1), at, all, time.Time{})
	})
	return id
}

func benchAct(b *testing.B, s *store.Store, org circle.OrgID, id consent.ProcessID, fn func(p *consent.Process, at time.Time) ([]consent.Event, error)) {
	_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return fn(p, at)
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
}

// benchCalendar puts items regular circle reviews on org's calendar, due
// over the next ten years.
func benchCalendar(b *testing.B, s *store.Store, org circle.OrgID, items int) {
	b.Helper()
	now := time.Now()
	for done := 0; done < items; done += 1000 {
		_, err := s.ActCalendar(context.Background(), org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
			var col store.Collector[review.Event]
			for i := done; i < min(done+1000, items); i++ {
				cid := circle.CircleID(uuid.New())
				due := now.Add(time.Duration(i) * (10 * 365 * 24 * time.Hour / time.Duration(items)))
				col.Add(c.Schedule(pid(1), at, review.ItemSpec{Kind: review.KindCircleReview, Circle: cid,
					Title: "Regular review", Source: review.CircleSource(cid), Due: due}))
			}
			return col.Result()
		}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
}
