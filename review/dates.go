package review

import (
	"time"

	"github.com/coproduce/sociocracy/internal/kernel"
)

// LocalTime returns the instant at which the wall clocks of zone loc show
// the given date and time of day. Out-of-range values are normalised as
// [time.Date] does (31 April is 1 May).
//
// Unlike time.Date, whose choice is unspecified, the two awkward cases follow
// the rule of RFC 5545 (section 3.3.5), so the library and every calendar
// that subscribes to its export agree:
//
//   - a wall time that does not exist, because the clocks jump forward over it
//     (a DST gap), is read with the UTC offset in force before the gap: it
//     moves forward by the length of the gap (01:30 on the day London springs
//     forward becomes 02:30 BST);
//   - a wall time that happens twice, because the clocks go back over it (a DST
//     overlap), is the first of the two instants (01:30 on the day London falls
//     back is 01:30 BST, not 01:30 GMT).
//
// A nil loc means UTC. It is the library's one date routine, shared with
// package consent (review dates of decisions).
func LocalTime(loc *time.Location, year int, month time.Month, day, hour, minute, sec, nsec int) time.Time {
	return kernel.LocalTime(loc, year, month, day, hour, minute, sec, nsec)
}

// AddMonths returns the instant n months after t in zone loc: the same local
// date and wall clock, n calendar months on. A day that the target month
// lacks is clamped to its last day (31 January + 1 month is 28 or 29
// February). The wall clock is resolved by [LocalTime]'s rule. n may be
// negative. A nil loc means UTC.
//
// The anchor is t's own day, so chaining calls drifts (31 January + 1 month
// + 1 month is 28 March); add from the anchor instead (31 January + 2 months
// is 31 March), as [Recurrence] does.
func AddMonths(t time.Time, n int, loc *time.Location) time.Time { return kernel.AddMonths(t, n, loc) }

// AddDays returns the instant n calendar days after t in zone loc, at the
// same wall clock (so a day across a DST change lasts 23 or 25 hours),
// resolved by [LocalTime]'s rule. A nil loc means UTC.
func AddDays(t time.Time, n int, loc *time.Location) time.Time { return kernel.AddDays(t, n, loc) }

// DaysIn returns the number of days of the month (28 to 31).
func DaysIn(year int, month time.Month) int { return kernel.DaysIn(year, month) }

// NthWeekday returns the day of the month of its nth weekday wd: n from 1
// (the first) to 4, or -1 for the last. It returns 0 for any other n.
func NthWeekday(year int, month time.Month, wd time.Weekday, n int) int {
	switch {
	case n >= 1 && n <= 4:
		first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Weekday()
		return 1 + (int(wd)-int(first)+7)%7 + 7*(n-1)
	case n == -1:
		last := DaysIn(year, month)
		lw := time.Date(year, month, last, 0, 0, 0, 0, time.UTC).Weekday()
		return last - (int(lw)-int(wd)+7)%7
	}
	return 0
}

func addMonth(y int, m time.Month, n int) (int, time.Month) { return kernel.AddMonth(y, m, n) }

// startOfDay returns the first instant of t's local date in loc.
func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return LocalTime(loc, y, m, d, 0, 0, 0, 0)
}

// nextDay returns the first instant of the local date after t's.
func nextDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return LocalTime(loc, y, m, d+1, 0, 0, 0, 0)
}
