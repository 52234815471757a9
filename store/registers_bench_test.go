package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// benchAgreements founds an organisation whose top circle has adopted n
// decisions through the Store.
func benchAgreements(b *testing.B, n int) (*store.Store, circle.OrgID, time.Time) {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	if _, err := s.Found(ctx, f, nil); err != nil {
		b.Fatal(err)
	}
	at := f.At
	founder := []circle.PersonID{f.Founder}
	for i := range n {
		id := consent.ProcessID(uuid.New())
		at = at.Add(time.Minute)
		w := &store.WriteOptions{At: at}
		if _, err := s.StartProcess(ctx, f.Org, consent.ProcessSpec{ID: id, Circle: f.Top, Proposer: f.Founder, Facilitator: f.Founder,
			Proposal: consent.Proposal{Title: "Agreement", Driver: "d", Text: "t" + string(rune('a'+i%26))}}, w); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ActProcess(ctx, f.Org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			var c store.Collector[consent.Event]
			c.Add(p.Present(f.Founder, at, founder))
			c.Add(p.SkipReactions(f.Founder, at))
			c.Add(p.OpenConsentRound(f.Founder, at, founder, time.Time{}))
			c.Add(p.Consent(f.Founder, at))
			c.Add(p.Adopt(f.Founder, at))
			return c.Result()
		}, w); err != nil {
			b.Fatal(err)
		}
	}
	return s, f.Org, at
}

// BenchmarkAgreementsInForceThroughTheStore: the agreements in force of an
// organisation with 3,000 of them, asked of the Store (memstore), beside
// the same question asked of the register it keeps (the baseline).
func BenchmarkAgreementsInForceThroughTheStore(b *testing.B) {
	s, org, at := benchAgreements(b, 3000)
	ctx := context.Background()
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in, err := s.AgreementsInForce(ctx, org, at)
			if err != nil || len(in) != 3000 {
				b.Fatal(len(in), err)
			}
		}
	})
	reg, err := s.PolicyRegister(ctx, org)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("register", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(reg.InForce(at)) != 3000 {
				b.Fatal("wrong answer")
			}
		}
	})
}

// BenchmarkStatutoryRegisterThroughTheStore: the register the law requires
// of 10,000 members, names and addresses read from their profiles
// (memstore), beside the register built with the same contacts in memory
// (the baseline) and the members alone.
func BenchmarkStatutoryRegisterThroughTheStore(b *testing.B) {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	if _, err := s.Found(ctx, f, nil); err != nil {
		b.Fatal(err)
	}
	const n = 10_000
	people := make([]circle.PersonID, n)
	for i := range people {
		people[i] = circle.PersonID(uuid.New())
	}
	for from := 0; from < n; from += 1000 {
		if _, err := s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			var c store.Collector[circle.Event]
			for _, p := range people[from : from+1000] {
				c.Add(o.AddPerson(f.Founder, at, circle.PersonSpec{ID: p, Label: "M", Class: circle.Worker}))
			}
			return c.Result()
		}, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := s.ActMembers(ctx, f.Org, func(r *members.Register, o *circle.Organisation, at time.Time) ([]members.Event, error) {
			var c store.Collector[members.Event]
			for _, p := range people[from : from+1000] {
				c.Add(r.Admit(o, f.Founder, at, p, 1))
			}
			return c.Result()
		}, nil); err != nil {
			b.Fatal(err)
		}
	}
	contacts := map[circle.PersonID]members.Contact{}
	for _, p := range people {
		c := members.Contact{Name: "Member " + p.String()[:8], Address: "1 Street"}
		contacts[p] = c
		if err := s.SetProfile(ctx, f.Org, p, store.Profile{Name: c.Name, Address: c.Address}); err != nil {
			b.Fatal(err)
		}
	}
	at := time.Now().Add(time.Hour)
	opt := &members.Options{Shares: true}
	b.Run("store", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			st, err := s.StatutoryRegister(ctx, f.Org, at, opt)
			if err != nil || len(st.Members) != n {
				b.Fatal(len(st.Members), err)
			}
		}
	})
	reg, err := s.MemberRegister(ctx, f.Org)
	if err != nil {
		b.Fatal(err)
	}
	lookup := func(p circle.PersonID) (members.Contact, bool) { c, ok := contacts[p]; return c, ok }
	b.Run("register", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(reg.Statutory(at, lookup, opt).Members) != n {
				b.Fatal("wrong answer")
			}
		}
	})
	b.Run("members-at", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			in, err := s.MembersAt(ctx, f.Org, at)
			if err != nil || len(in) != n {
				b.Fatal(len(in), err)
			}
		}
	})
}
