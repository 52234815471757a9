package review_test

import (
	"encoding/binary"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

const benchItems = 1_000_000

var (
	benchOnce sync.Once
	benchCal  *review.Calendar
	benchDue  []time.Time // sorted due instants of benchCal
)

// bigCalendar returns a calendar of a million open items, scheduled
// through the act, due every few minutes over about ten years in a
// pseudo-random order, over 1,000 circles.
func bigCalendar(b *testing.B) (*review.Calendar, []time.Time) {
	benchOnce.Do(func() {
		c, _ := newCalendar()
		base := ldn(2026, time.January, 1, 0, 0)
		var ref [8]byte
		for i := range benchItems {
			n := (i * 7919) % benchItems // a permutation: inserts arrive out of order
			binary.BigEndian.PutUint64(ref[:], uint64(n))
			spec := review.ItemSpec{
				Kind: review.KindPolicyReview, Circle: cid(1 + n%1000), Title: "Review the policy",
				Source: review.HostSource("policy-" + strconv.Itoa(n)), Due: base.Add(time.Duration(n) * 5 * time.Minute),
			}
			if _, err := c.Schedule(pid(1), t0, spec); err != nil {
				panic(err)
			}
		}
		benchCal = c
		benchDue = make([]time.Time, benchItems)
		for i := range benchDue {
			benchDue[i] = base.Add(time.Duration(i) * 5 * time.Minute)
		}
	})
	if benchCal.Len() != benchItems {
		b.Fatalf("calendar holds %d items", benchCal.Len())
	}
	return benchCal, benchDue
}

// BenchmarkDueBefore10 answers "what is due before t" over a million items
// where ten are: the target is under 50 µs.
func BenchmarkDueBefore10(b *testing.B) {
	c, due := bigCalendar(b)
	t := due[10]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for range c.DueBefore(t) {
			n++
		}
		if n != 10 {
			b.Fatalf("%d results", n)
		}
	}
}

// BenchmarkDue10 is the same question through Due, which returns a slice.
func BenchmarkDue10(b *testing.B) {
	c, due := bigCalendar(b)
	t := due[9]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if n := len(c.Due(t)); n != 10 {
			b.Fatalf("%d results", n)
		}
	}
}

// BenchmarkDueBetween10Middle finds ten items in the middle of the year
// range: the index seeks, it does not scan from the start.
func BenchmarkDueBetween10Middle(b *testing.B) {
	c, due := bigCalendar(b)
	from, to := due[benchItems/2], due[benchItems/2+10]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		for range c.DueBetween(from, to) {
			n++
		}
		if n != 10 {
			b.Fatalf("%d results", n)
		}
	}
}

// BenchmarkUpcomingWeek lists a week of items (about 2,000) from the middle.
func BenchmarkUpcomingWeek(b *testing.B) {
	c, due := bigCalendar(b)
	now := due[benchItems/2]
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(c.Upcoming(now, 7*24*time.Hour)) == 0 {
			b.Fatal("nothing upcoming")
		}
	}
}

// BenchmarkRescheduleIn1M moves one item back and forth in a calendar of a
// million: two index removals and two inserts per iteration.
func BenchmarkRescheduleIn1M(b *testing.B) {
	c, due := bigCalendar(b)
	id := c.Due(due[0])[0].ID
	near, far := due[0], due[benchItems-1].Add(time.Hour)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.Reschedule(pid(1), t0, id, far, "later"); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Reschedule(pid(1), t0, id, near, "back"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReminders10 asks for the reminders of a calendar of a million
// items at a moment when ten have reached a stage.
func BenchmarkReminders10(b *testing.B) {
	c, due := bigCalendar(b)
	p := &review.ReminderPolicy{Ahead: []int{1}, AheadFor: map[review.Kind][]int{review.KindTermEnd: {1}}}
	now := review.AddDays(due[9], -1, london)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if n := len(c.Reminders(now, nil, p)); n != 10 {
			b.Fatalf("%d reminders", n)
		}
	}
}

// BenchmarkReplay10k rebuilds a calendar from 10,000 events.
func BenchmarkReplay10k(b *testing.B) {
	c, events := newCalendar()
	for i := range 10_000 {
		events = append(events, must(c.Schedule(pid(1), t0, policy(i, cid(1+i%50), t0.Add(time.Duration(i*7919%10_000)*time.Hour))))...)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := review.Replay(events); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAfterMonthly finds the next occurrence of a monthly rule ten
// years after its start.
func BenchmarkAfterMonthly(b *testing.B) {
	r := review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: t0}
	at := t0.AddDate(10, 0, 0)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.After(at, london)
	}
}

// BenchmarkICalendar100 exports 100 items.
func BenchmarkICalendar100(b *testing.B) {
	c, _ := newCalendar()
	for i := range 100 {
		must(c.Schedule(pid(1), t0, policy(i, cid(2), t0.Add(time.Duration(i)*73*time.Hour))))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.ICalendar(t0, nil)
	}
}

var _ = circle.Normalize
