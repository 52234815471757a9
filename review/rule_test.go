package review_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/review"
)

func TestRuleTextRoundTrips(t *testing.T) {
	tests := []struct {
		text string
		rule review.Rule
	}{
		{"every week", review.Every(1, review.Weekly)},
		{"every 2 weeks", review.Every(2, review.Weekly)},
		{"every month", review.Every(1, review.Monthly)},
		{"every 3 months", review.Every(3, review.Monthly)},
		{"every 6 months on the first Monday", review.Every(6, review.Monthly).On(1, time.Monday)},
		{"every month on the last Friday", review.Every(1, review.Monthly).On(-1, time.Friday)},
		{"every 12 months on the fourth Sunday", review.Every(12, review.Monthly).On(4, time.Sunday)},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.text, tt.rule.String())
			got, err := review.ParseRule(tt.text)
			require.NoError(t, err)
			assert.Equal(t, tt.rule, got)
			b, err := tt.rule.MarshalText()
			require.NoError(t, err)
			var back review.Rule
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, tt.rule, back)
		})
	}
}

func TestParseRuleRefusesWhatItDoesNotSay(t *testing.T) {
	for _, s := range []string{
		"", "every", "every 1 months", "every 1 month", "every 3 month", "every months", "Every month",
		"every 0 weeks", "every 1000 months", "every -3 months", "every 03 months", "every 2 days", "every year",
		"every week on the first Monday", "every month on the fifth Monday", "every month on the first Funday",
		"every month on first Monday", "every month on the first Monday please", "every  month",
	} {
		t.Run(s, func(t *testing.T) {
			_, err := review.ParseRule(s)
			assert.ErrorIs(t, err, review.ErrInvalidRule)
		})
	}
}

func TestRuleValidate(t *testing.T) {
	bad := []review.Rule{
		{},
		{Freq: review.Monthly},
		{Freq: review.Monthly, Interval: 1, Nth: 5, Weekday: time.Monday},
		{Freq: review.Monthly, Interval: 1, Weekday: time.Monday},
		{Freq: review.Weekly, Interval: 1, Nth: 1},
		{Freq: review.Monthly, Interval: 1, Nth: 1, Weekday: 7},
		{Freq: 3, Interval: 1},
	}
	for _, r := range bad {
		assert.ErrorIs(t, r.Validate(), review.ErrInvalidRule, "%+v", r)
		assert.Equal(t, "invalid rule", r.String())
		_, err := r.MarshalText()
		assert.Error(t, err)
	}
	assert.True(t, review.Recurrence{Rule: review.Rule{Freq: 9}}.After(t0, london).IsZero(), "an invalid recurrence has no occurrences")
}

// occurrences returns the first n occurrences of r, by After from just before its start.
func occurrences(r review.Recurrence, loc *time.Location, n int) []string {
	var out []string
	t := r.Start.Add(-time.Nanosecond)
	for range n {
		t = r.After(t, loc)
		out = append(out, t.In(loc).Format("2006-01-02 Mon 15:04 MST"))
	}
	return out
}

func TestRecurrenceGolden(t *testing.T) {
	tests := []struct {
		name string
		rec  review.Recurrence
		want []string
	}{
		{"every month from 31 January clamps and returns to the 31st",
			review.Recurrence{Rule: review.Every(1, review.Monthly), Start: ldn(2026, time.January, 31, 18, 0)},
			[]string{"2026-01-31 Sat 18:00 GMT", "2026-02-28 Sat 18:00 GMT", "2026-03-31 Tue 18:00 BST", "2026-04-30 Thu 18:00 BST", "2026-05-31 Sun 18:00 BST"}},
		{"every 12 months from 29 February keeps the leap day when there is one",
			review.Recurrence{Rule: review.Every(12, review.Monthly), Start: ldn(2028, time.February, 29, 9, 0)},
			[]string{"2028-02-29 Tue 09:00 GMT", "2029-02-28 Wed 09:00 GMT", "2030-02-28 Thu 09:00 GMT", "2031-02-28 Fri 09:00 GMT", "2032-02-29 Sun 09:00 GMT"}},
		{"every 6 months on the first Monday, from a start that is not one",
			review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: ldn(2026, time.January, 10, 19, 0)},
			[]string{"2026-07-06 Mon 19:00 BST", "2027-01-04 Mon 19:00 GMT", "2027-07-05 Mon 19:00 BST", "2028-01-03 Mon 19:00 GMT"}},
		{"every month on the last Sunday at 01:30 meets both changes",
			review.Recurrence{Rule: review.Every(1, review.Monthly).On(-1, time.Sunday), Start: ldn(2026, time.February, 1, 1, 30)},
			[]string{"2026-02-22 Sun 01:30 GMT", "2026-03-29 Sun 02:30 BST", "2026-04-26 Sun 01:30 BST", "2026-05-31 Sun 01:30 BST",
				"2026-06-28 Sun 01:30 BST", "2026-07-26 Sun 01:30 BST", "2026-08-30 Sun 01:30 BST", "2026-09-27 Sun 01:30 BST",
				"2026-10-25 Sun 01:30 BST", "2026-11-29 Sun 01:30 GMT"}},
		{"every week keeps 10:00 on the clock across the spring change",
			review.Recurrence{Rule: review.Every(1, review.Weekly), Start: ldn(2026, time.March, 22, 10, 0)},
			[]string{"2026-03-22 Sun 10:00 GMT", "2026-03-29 Sun 10:00 BST", "2026-04-05 Sun 10:00 BST"}},
		{"every 3 months",
			review.Recurrence{Rule: review.Every(3, review.Monthly), Start: ldn(2026, time.November, 30, 12, 0)},
			[]string{"2026-11-30 Mon 12:00 GMT", "2027-02-28 Sun 12:00 GMT", "2027-05-30 Sun 12:00 BST", "2027-08-30 Mon 12:00 BST", "2027-11-30 Tue 12:00 GMT"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, occurrences(tt.rec, london, len(tt.want)))
		})
	}
	t.Run("After an occurrence is the next one, After just before it is itself", func(t *testing.T) {
		r := review.Recurrence{Rule: review.Every(1, review.Monthly), Start: ldn(2026, time.January, 31, 18, 0)}
		feb := ldn(2026, time.February, 28, 18, 0)
		assert.True(t, r.After(feb, london).Equal(ldn(2026, time.March, 31, 18, 0)))
		assert.True(t, r.After(feb.Add(-time.Microsecond), london).Equal(feb))
		assert.True(t, r.First(london).Equal(r.Start))
	})
}

// zones the property tests pick from: every kind of DST rule, half-hour
// offsets and changes, the southern hemisphere, and none.
var zones = []string{
	"Europe/London", "Europe/Berlin", "America/New_York", "America/Santiago", "America/Havana", "America/St_Johns",
	"Australia/Lord_Howe", "Australia/Sydney", "Pacific/Auckland", "Pacific/Chatham", "Asia/Kolkata", "Asia/Tehran",
	"Africa/Casablanca", "Europe/Dublin", "America/Godthab", "Asia/Gaza", "UTC", "Pacific/Kiritimati", "America/Sao_Paulo",
}

func genRule() *rapid.Generator[review.Rule] {
	return rapid.Custom(func(t *rapid.T) review.Rule {
		if rapid.Bool().Draw(t, "weekly") {
			return review.Every(rapid.IntRange(1, 8).Draw(t, "weeks"), review.Weekly)
		}
		r := review.Every(rapid.IntRange(1, 24).Draw(t, "months"), review.Monthly)
		if rapid.Bool().Draw(t, "nth") {
			r = r.On(rapid.SampledFrom([]int{1, 2, 3, 4, -1}).Draw(t, "n"), time.Weekday(rapid.IntRange(0, 6).Draw(t, "weekday")))
		}
		return r
	})
}

// Property: across ten simulated years in any zone, the occurrences that
// Recurrence.After yields one after another strictly increase; each falls in
// the period the rule says (the k-th one in the k-th week or month period),
// on the day it says, at the start's wall clock or, in a DST gap, later on
// the same clock by at most the gap; so none is skipped or repeated.
func TestPropertyRecurrencesIncreaseWithoutSkipOrRepeat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := mustZone(rapid.SampledFrom(zones).Draw(t, "zone"))
		rule := genRule().Draw(t, "rule")
		start := review.LocalTime(loc, rapid.IntRange(1995, 2030).Draw(t, "year"), time.Month(rapid.IntRange(1, 12).Draw(t, "month")),
			rapid.IntRange(1, 31).Draw(t, "day"), rapid.IntRange(0, 23).Draw(t, "hour"), rapid.SampledFrom([]int{0, 15, 30, 45}).Draw(t, "minute"), 0, 0)
		r := review.Recurrence{Rule: rule, Start: start}
		end := start.AddDate(10, 0, 0)
		ls := start.In(loc)
		sy, sm, sd := ls.Date()
		prev := time.Time{}
		k := 0
		for cur := r.After(start.Add(-time.Nanosecond), loc); cur.Before(end); cur = r.After(cur, loc) {
			if !prev.IsZero() && !cur.After(prev) {
				t.Fatalf("occurrence %s does not follow %s", cur, prev)
			}
			if cur.Before(start) {
				t.Fatalf("occurrence %s before the start %s", cur, start)
			}
			lc := cur.In(loc)
			// The expected date of period k (the first period may be skipped
			// when its nth weekday falls before the start).
			var wantY int
			var wantM time.Month
			var wantD int
			for {
				if rule.Freq == review.Weekly {
					d := time.Date(sy, sm, sd+7*rule.Interval*k, 0, 0, 0, 0, time.UTC)
					wantY, wantM, wantD = d.Date()
				} else {
					m := time.Date(sy, sm+time.Month(rule.Interval*k), 1, 0, 0, 0, 0, time.UTC)
					wantY, wantM = m.Year(), m.Month()
					if rule.Nth == 0 {
						wantD = min(sd, review.DaysIn(wantY, wantM))
					} else {
						wantD = review.NthWeekday(wantY, wantM, rule.Weekday, rule.Nth)
					}
				}
				if k == 0 && prev.IsZero() && time.Date(wantY, wantM, wantD, 0, 0, 0, 0, time.UTC).Before(time.Date(sy, sm, sd, 0, 0, 0, 0, time.UTC)) {
					k++
					continue
				}
				break
			}
			wantWall := time.Date(wantY, wantM, wantD, ls.Hour(), ls.Minute(), 0, 0, time.UTC)
			gotWall := time.Date(lc.Year(), lc.Month(), lc.Day(), lc.Hour(), lc.Minute(), 0, 0, time.UTC)
			if shift := gotWall.Sub(wantWall); shift < 0 || shift > 3*time.Hour {
				t.Fatalf("occurrence %d is %s on the clock, want %s (or later by a gap)", k, gotWall.Format(time.DateTime), wantWall.Format(time.DateTime))
			} else if shift > 0 {
				// Only a wall clock that does not exist may move.
				if review.LocalTime(loc, wantY, wantM, wantD, ls.Hour(), ls.Minute(), 0, 0).In(loc).Hour() == ls.Hour() && lc.Hour() != ls.Hour() {
					t.Fatalf("occurrence %d moved from %s to %s without a gap", k, wantWall, gotWall)
				}
			}
			prev = cur
			k++
		}
		if k == 0 {
			t.Fatalf("no occurrence in ten years")
		}
	})
}

// naiveOccurrence returns the candidate of period k of r straight from the
// rule's words, without the package's stepping.
func naiveOccurrence(r review.Recurrence, loc *time.Location, k int) time.Time {
	ls := r.Start.In(loc)
	y, m, d := ls.Date()
	if r.Rule.Freq == review.Weekly {
		d += 7 * r.Rule.Interval * k
	} else {
		first := time.Date(y, m+time.Month(r.Rule.Interval*k), 1, 0, 0, 0, 0, time.UTC)
		y, m = first.Year(), first.Month()
		if r.Rule.Nth == 0 {
			d = min(d, review.DaysIn(y, m))
		} else {
			d = review.NthWeekday(y, m, r.Rule.Weekday, r.Rule.Nth)
		}
	}
	return review.LocalTime(loc, y, m, d, ls.Hour(), ls.Minute(), ls.Second(), ls.Nanosecond())
}

// Property: After(t) is the least occurrence greater than t, for any t: the
// least candidate of the naive model that is after t and not before the
// start.
func TestPropertyAfterAgreesWithANaiveModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := mustZone(rapid.SampledFrom(zones).Draw(t, "zone"))
		r := review.Recurrence{Rule: genRule().Draw(t, "rule"), Start: time.Unix(rapid.Int64Range(946684800, 1893456000).Draw(t, "start"), 0)}
		probe := r.Start.Add(time.Duration(rapid.Int64Range(-1e6, 3e8).Draw(t, "offset")) * time.Second)
		var want time.Time
		for k := 0; ; k++ {
			if o := naiveOccurrence(r, loc, k); o.After(probe) && !o.Before(r.Start) {
				want = o
				break
			}
		}
		if got := r.After(probe, loc); !got.Equal(want) {
			t.Fatalf("After(%s) = %s, the model gives %s", probe, got, want)
		}
	})
}

// Property: LocalTime agrees with a brute-force search of the instants
// around the wall clock: when some instants show it, the earliest of them;
// when none does (a gap), the instant that shows it moved forward by the
// gap, that is, the first instant whose clock reads later than it.
func TestPropertyLocalTimeMatchesBruteForce(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		loc := mustZone(rapid.SampledFrom(zones).Draw(t, "zone"))
		y := rapid.IntRange(1990, 2035).Draw(t, "year")
		m := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		d := rapid.IntRange(1, review.DaysIn(y, m)).Draw(t, "day")
		hh, mm := rapid.IntRange(0, 23).Draw(t, "hour"), rapid.IntRange(0, 59).Draw(t, "minute")
		if rapid.Bool().Draw(t, "near a change") {
			// Move to a real transition of the zone, sometimes.
			_, end := time.Date(y, m, d, 0, 0, 0, 0, loc).ZoneBounds()
			if !end.IsZero() {
				w := end.In(loc).Add(time.Duration(rapid.IntRange(-90, 90).Draw(t, "minutes")) * time.Minute)
				y, m, d, hh, mm = w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute()
			}
		}
		wall := time.Date(y, m, d, hh, mm, 0, 0, time.UTC)
		got := review.LocalTime(loc, y, m, d, hh, mm, 0, 0)
		var want time.Time
		for u := wall.Add(-27 * time.Hour); u.Before(wall.Add(27 * time.Hour)); u = u.Add(time.Minute) {
			l := u.In(loc)
			if time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC).Equal(wall) {
				want = u
				break
			}
		}
		if want.IsZero() { // a gap: the first instant whose clock reads later than the wall time
			for u := wall.Add(-27 * time.Hour); ; u = u.Add(time.Minute) {
				l := u.In(loc)
				if time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC).After(wall) {
					// u is the transition; the wall time is read with the
					// offset before it.
					_, before := u.Add(-time.Minute).In(loc).Zone()
					want = wall.Add(-time.Duration(before) * time.Second)
					break
				}
			}
		}
		if !got.Equal(want) {
			t.Fatalf("LocalTime(%s %s) = %s, brute force gives %s", wall.Format(time.DateTime), loc, got.In(loc), want.In(loc))
		}
	})
}

func TestRecurrenceValidate(t *testing.T) {
	assert.True(t, errors.Is(review.Recurrence{Rule: review.Every(1, review.Monthly)}.Validate(), review.ErrInvalidRule))
	assert.NoError(t, review.Recurrence{Rule: review.Every(1, review.Monthly), Start: t0}.Validate())
	assert.True(t, review.Recurrence{}.IsZero())
}
