package kernel

import "time"

// The one date routine of the library: every core package that adds months
// or days to an instant, or reads a wall clock in a zone, calls these
// (package review exports them as review.LocalTime, review.AddMonths and
// review.AddDays).

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
// A nil loc means UTC.
func LocalTime(loc *time.Location, year int, month time.Month, day, hour, minute, sec, nsec int) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	wall := time.Date(year, month, day, hour, minute, sec, nsec, time.UTC)
	return resolve(wall, loc)
}

// resolve reads the fields of wall (a UTC time standing for a wall clock) in loc.
func resolve(wall time.Time, loc *time.Location) time.Time {
	w := wall.Unix()
	ns := int64(wall.Nanosecond())
	offAt := func(u int64) int64 {
		_, off := time.Unix(u, 0).In(loc).Zone()
		return int64(off)
	}
	// The offsets in force within a day either side cover every instant
	// whose wall clock can read w (offsets lie within ±26 hours).
	cands := [3]int64{offAt(w - 86400), offAt(w), offAt(w + 86400)}
	best, found := int64(0), false
	for _, o := range cands {
		if i := w - o; offAt(i) == o && (!found || i < best) {
			best, found = i, true
		}
	}
	if !found {
		// A gap: the offset before it is the one whose instant already lies
		// past the transition (its own offset is larger); take the earliest.
		for _, o := range cands {
			if i := w - o; offAt(i) > o && (!found || i < best) {
				best, found = i, true
			}
		}
	}
	if !found { // two transitions within a day; not in the zone database today
		return time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), loc)
	}
	return time.Unix(best, ns).In(loc)
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
func AddMonths(t time.Time, n int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	y, m, d := l.Date()
	ty, tm := AddMonth(y, m, n)
	return LocalTime(loc, ty, tm, min(d, DaysIn(ty, tm)), l.Hour(), l.Minute(), l.Second(), l.Nanosecond())
}

// AddDays returns the instant n calendar days after t in zone loc, at the
// same wall clock (so a day across a DST change lasts 23 or 25 hours),
// resolved by [LocalTime]'s rule. A nil loc means UTC.
func AddDays(t time.Time, n int, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	l := t.In(loc)
	y, m, d := l.Date()
	return LocalTime(loc, y, m, d+n, l.Hour(), l.Minute(), l.Second(), l.Nanosecond())
}

// DaysIn returns the number of days of the month (28 to 31).
func DaysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// AddMonth returns the month n months after (y, m).
func AddMonth(y int, m time.Month, n int) (int, time.Month) {
	k := y*12 + int(m-1) + n
	ty, tm := k/12, k%12
	if tm < 0 { // floor division for years before 0
		ty, tm = ty-1, tm+12
	}
	return ty, time.Month(tm + 1)
}
