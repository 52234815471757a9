package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/coproduce/sociocracy/review"
)

// In 2026 the United Kingdom's clocks go forward at 01:00 GMT on Sunday 29
// March (to 02:00 BST) and back at 02:00 BST on Sunday 25 October (to 01:00
// GMT).

func TestLocalTimeResolvesGapsAndOverlapsByTheRFC5545Rule(t *testing.T) {
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	tests := []struct {
		name string
		got  time.Time
		want time.Time
	}{
		{"an ordinary winter time is GMT", ldn(2026, time.January, 15, 10, 0), utc(2026, time.January, 15, 10, 0)},
		{"an ordinary summer time is BST", ldn(2026, time.July, 15, 10, 0), utc(2026, time.July, 15, 9, 0)},
		{"00:59 before the spring gap is GMT", ldn(2026, time.March, 29, 0, 59), utc(2026, time.March, 29, 0, 59)},
		{"01:00, the start of the gap, moves forward an hour", ldn(2026, time.March, 29, 1, 0), utc(2026, time.March, 29, 1, 0)},
		{"01:30 in the gap is read in GMT: 02:30 BST", ldn(2026, time.March, 29, 1, 30), utc(2026, time.March, 29, 1, 30)},
		{"02:00 after the gap is BST", ldn(2026, time.March, 29, 2, 0), utc(2026, time.March, 29, 1, 0)},
		{"00:59 before the autumn overlap is BST", ldn(2026, time.October, 25, 0, 59), utc(2026, time.October, 24, 23, 59)},
		{"01:00, the start of the overlap, is the first (BST)", ldn(2026, time.October, 25, 1, 0), utc(2026, time.October, 25, 0, 0)},
		{"01:30 in the overlap is the first (BST)", ldn(2026, time.October, 25, 1, 30), utc(2026, time.October, 25, 0, 30)},
		{"02:00 after the overlap is GMT", ldn(2026, time.October, 25, 2, 0), utc(2026, time.October, 25, 2, 0)},
		{"out-of-range days normalise like time.Date", ldn(2026, time.April, 31, 9, 0), utc(2026, time.May, 1, 8, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.True(t, tt.got.Equal(tt.want), "got %s, want %s", tt.got.UTC(), tt.want)
		})
	}
	t.Run("a wall time in the gap reads one gap-length later on the clock", func(t *testing.T) {
		assert.Equal(t, "2026-03-29 02:30 BST", ldn(2026, time.March, 29, 1, 30).Format("2006-01-02 15:04 MST"))
	})
	t.Run("nil zone is UTC", func(t *testing.T) {
		assert.True(t, review.LocalTime(nil, 2026, 3, 29, 1, 30, 0, 0).Equal(utc(2026, time.March, 29, 1, 30)))
	})
	t.Run("zones far from UTC resolve their gaps too", func(t *testing.T) {
		// Auckland springs forward at 02:00 NZST to 03:00 NZDT on 27 September 2026.
		akl := mustZone("Pacific/Auckland")
		got := review.LocalTime(akl, 2026, time.September, 27, 2, 30, 0, 0)
		assert.Equal(t, "2026-09-27 03:30 NZDT", got.Format("2006-01-02 15:04 MST"))
		// Lord Howe shifts by half an hour: 02:00 to 02:30 on 4 October 2026.
		lhi := mustZone("Australia/Lord_Howe")
		got = review.LocalTime(lhi, 2026, time.October, 4, 2, 15, 0, 0)
		assert.Equal(t, "2026-10-04 02:45", got.Format("2006-01-02 15:04"))
	})
}

func TestAddMonthsKeepsTheLocalDateAndClampsWithoutDrift(t *testing.T) {
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"31 January + 1 month is 28 February", ldn(2026, time.January, 31, 10, 0), 1, "2026-02-28 10:00 GMT"},
		{"31 January + 2 months is 31 March: no drift", ldn(2026, time.January, 31, 10, 0), 2, "2026-03-31 10:00 BST"},
		{"31 January + 3 months is 30 April", ldn(2026, time.January, 31, 10, 0), 3, "2026-04-30 10:00 BST"},
		{"31 January 2028 + 1 month is 29 February (leap year)", ldn(2028, time.January, 31, 10, 0), 1, "2028-02-29 10:00 GMT"},
		{"a 29 February term + 12 months ends 28 February", ldn(2028, time.February, 29, 9, 0), 12, "2029-02-28 09:00 GMT"},
		{"a 29 February term + 48 months ends 29 February", ldn(2028, time.February, 29, 9, 0), 48, "2032-02-29 09:00 GMT"},
		{"6 months across the spring change keeps 10:00 on the clock", ldn(2026, time.January, 15, 10, 0), 6, "2026-07-15 10:00 BST"},
		{"6 months across the autumn change keeps 10:00 on the clock", ldn(2026, time.July, 15, 10, 0), 6, "2027-01-15 10:00 GMT"},
		{"the day before the spring change stays GMT", ldn(2026, time.February, 28, 1, 30), 1, "2026-03-28 01:30 GMT"},
		{"onto the spring gap: 01:30 on 29 March becomes 02:30 BST", ldn(2026, time.January, 29, 1, 30), 2, "2026-03-29 02:30 BST"},
		{"after the gap the wall clock comes back to 01:30", ldn(2026, time.January, 29, 1, 30), 3, "2026-04-29 01:30 BST"},
		{"onto the autumn overlap: 01:30 is the first, BST", ldn(2026, time.September, 25, 1, 30), 1, "2026-10-25 01:30 BST"},
		{"minus one month from 31 March is 28 February", ldn(2026, time.March, 31, 10, 0), -1, "2026-02-28 10:00 GMT"},
		{"minus 13 months crosses the year", ldn(2026, time.January, 31, 10, 0), -13, "2024-12-31 10:00 GMT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, review.AddMonths(tt.from, tt.n, london).In(london).Format("2006-01-02 15:04 MST"))
		})
	}
	t.Run("chaining drifts, which is why recurrences add from the anchor", func(t *testing.T) {
		jan31 := ldn(2026, time.January, 31, 10, 0)
		chained := review.AddMonths(review.AddMonths(jan31, 1, london), 1, london)
		assert.Equal(t, 28, chained.In(london).Day())
		assert.Equal(t, 31, review.AddMonths(jan31, 2, london).In(london).Day())
	})
}

func TestAddDaysKeepsTheWallClockAcrossDST(t *testing.T) {
	sat := ldn(2026, time.March, 28, 9, 0)
	sun := review.AddDays(sat, 1, london)
	assert.Equal(t, "2026-03-29 09:00 BST", sun.In(london).Format("2006-01-02 15:04 MST"))
	assert.Equal(t, 23*time.Hour, sun.Sub(sat), "the spring-forward day is 23 hours long")
	autumn := review.AddDays(ldn(2026, time.October, 24, 9, 0), 1, london)
	assert.Equal(t, 25*time.Hour, autumn.Sub(ldn(2026, time.October, 24, 9, 0)))
	assert.Equal(t, "2026-02-26 09:00 GMT", review.AddDays(sat, -30, london).In(london).Format("2006-01-02 15:04 MST"))
}

func TestNthWeekday(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		wd   time.Weekday
		n    int
		want int
	}{
		{2026, time.January, time.Monday, 1, 5},
		{2026, time.January, time.Thursday, 1, 1},
		{2026, time.January, time.Monday, 4, 26},
		{2026, time.January, time.Saturday, -1, 31},
		{2026, time.February, time.Saturday, -1, 28},
		{2028, time.February, time.Tuesday, -1, 29},
		{2026, time.March, time.Sunday, -1, 29}, // the spring-forward Sunday
		{2026, time.March, time.Monday, 5, 0},
		{2026, time.March, time.Monday, 0, 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, review.NthWeekday(tt.y, tt.m, tt.wd, tt.n), "%d %s %s n=%d", tt.y, tt.m, tt.wd, tt.n)
	}
	assert.Equal(t, 29, review.DaysIn(2028, time.February))
	assert.Equal(t, 28, review.DaysIn(2100, time.February))
}
