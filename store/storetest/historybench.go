package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// HistoryStart and HistoryEnd bound the twelve years of records that
// [FillHistory] writes.
var (
	HistoryStart = time.Date(2014, 1, 6, 9, 0, 0, 0, time.UTC)
	HistoryEnd   = HistoryStart.AddDate(12, 0, 0)
)

// FillHistory founds an organisation through s and gives it about n log
// entries of real acts spread evenly over the twelve years from
// [HistoryStart]: in each of 1,000 steps a tenth of the step's entries are
// people joining the top circle (the organisation's own stream) and the rest
// are reviews rescheduled on the review calendar (which holds a thousand
// items). It returns the organisation.
func FillHistory(ctx context.Context, s *store.Store, n int) (circle.OrgID, error) {
	const steps, items = 1000, 1000
	f := founding()
	f.At = HistoryStart
	if _, err := s.Found(ctx, f, nil); err != nil {
		return circle.OrgID{}, err
	}
	org := f.Org
	ids := make([]review.ItemID, items)
	_, err := s.ActCalendar(ctx, org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
		var col store.Collector[review.Event]
		for i := range ids {
			cid := circle.CircleID(uuid.New())
			spec := review.ItemSpec{Kind: review.KindCircleReview, Circle: cid, Title: "Regular review",
				Source: review.CircleSource(cid), Due: at.AddDate(1, 0, i%28)}
			ids[i] = review.ItemIDFor(org, spec.Kind, spec.Source)
			col.Add(c.Schedule(pid(1), at, spec))
		}
		return col.Result()
	}, &store.WriteOptions{At: HistoryStart})
	if err != nil {
		return org, err
	}
	per := max(n/steps, 10)
	joins, moves := per/20, per-2*(per/20) // a join is two events
	step := HistoryEnd.Sub(HistoryStart) / steps
	for i := range steps {
		at := HistoryStart.Add(time.Duration(i+1) * step)
		_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
			var c store.Collector[circle.Event]
			for range joins {
				p := circle.PersonID(uuid.New())
				c.Add(o.AddPerson(pid(1), at, circle.PersonSpec{ID: p, Label: "Member", Class: circle.Worker}))
				c.Add(o.AddMember(pid(1), at, o.Top(), p))
			}
			return c.Result()
		}, &store.WriteOptions{At: at})
		if err != nil {
			return org, err
		}
		_, err = s.ActCalendar(ctx, org, func(c *review.Calendar, at time.Time) ([]review.Event, error) {
			var col store.Collector[review.Event]
			for j := range moves {
				col.Add(c.Reschedule(pid(1), at, ids[(i*moves+j)%items], at.AddDate(1, 0, (i+j)%28), "the meeting moved"))
			}
			return col.Result()
		}, &store.WriteOptions{At: at.Add(time.Second)})
		if err != nil {
			return org, err
		}
	}
	return org, nil
}

// RunHistoryBenchmarks measures the past through the Store over the driver
// newDriver makes, in a log of 1,000,000 entries that [FillHistory] spreads
// over twelve years, each beside its baseline, the current state:
//
//   - current/cached: [store.Store.Organisation] from a Store that holds it;
//   - current/cold: the same from a Store that has not seen it, which
//     replays the organisation's whole stream (about 100,000 events);
//   - as-of/ten-years-back: [store.Store.OrganisationAt] ten years before
//     the end of the log, from a fresh Store each time (target: well under
//     a second);
//   - as-of/now: [store.Store.OrganisationAt] at the end of the log, which
//     answers from what the Store holds.
//
// Call it from a benchmark of the adapter's tests.
func RunHistoryBenchmarks(b *testing.B, newDriver func(b *testing.B) store.Driver) {
	ctx := context.Background()
	d := newDriver(b)
	s := store.New(d, nil)
	org, err := FillHistory(ctx, s, 1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	if h, err := s.Head(ctx, org); err != nil || h.Seq < 1_000_000 {
		b.Fatalf("the log holds %d entries, want 1,000,000 (%v)", h.Seq, err)
	}
	tenYearsBack := HistoryEnd.AddDate(-10, 0, 0)
	b.Run("current/cached", func(b *testing.B) {
		if _, err := s.Organisation(ctx, org); err != nil { // the first read replays
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := s.Organisation(ctx, org); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("current/cold", func(b *testing.B) {
		for b.Loop() {
			if _, err := store.New(d, nil).Organisation(ctx, org); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("as-of/ten-years-back", func(b *testing.B) {
		var people int
		for b.Loop() {
			o, err := store.New(d, nil).OrganisationAt(ctx, org, tenYearsBack)
			if err != nil {
				b.Fatal(err)
			}
			people = len(o.People())
		}
		b.ReportMetric(float64(people), "people")
	})
	b.Run("as-of/now", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.OrganisationAt(ctx, org, HistoryEnd); err != nil {
				b.Fatal(err)
			}
		}
	})
}
