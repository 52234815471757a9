package review_test

import (
	"testing"
	"time"

	"github.com/coproduce/sociocracy/review"
)

// BenchmarkICalendarRecurring100 exports 100 recurring reviews, weekly.
func BenchmarkICalendarRecurring100(b *testing.B) {
	c, _ := newCalendar()
	for i := range 100 {
		must(c.Schedule(pid(1), t0, review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: "Review " + itoa(i),
			Source: review.HostSource("r" + itoa(i)), Recurrence: review.Recurrence{Rule: review.Every(1, review.Weekly), Start: t0.Add(time.Duration(i) * 73 * time.Hour)}}))
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.ICalendar(t0, nil)
	}
}
