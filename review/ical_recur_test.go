package review_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/teambition/rrule-go"

	"github.com/coproduce/sociocracy/internal/browsertest"
	"github.com/coproduce/sociocracy/review"
)

// seriesCalendar returns a calendar in zone with recurring reviews of
// every shape the rules allow (weekly and fortnightly; monthly on days 31,
// 30 and 29, which shorter months clamp; on the first, fourth and last
// weekday; at wall clocks that a DST change skips or repeats), recurring
// reviews moved off their rule, later and earlier, one first due before its
// rule starts, one kept and moved on, and one-off items that are dates and
// times.
func seriesCalendar(t *testing.T, zone string) *review.Calendar {
	c, _, err := review.Open(orgID, zone, pid(1), t0)
	require.NoError(t, err)
	loc := c.Zone()
	at := func(y int, m time.Month, d, hh, mm int) time.Time {
		return review.LocalTime(loc, y, m, d, hh, mm, 0, 0)
	}
	n := 0
	add := func(rule review.Rule, start, due time.Time) review.ItemID {
		n++
		spec := review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: "Series " + itoa(n) + ": " + rule.String(),
			Source: review.HostSource("series-" + itoa(n)), Due: due, Recurrence: review.Recurrence{Rule: rule, Start: start}}
		ev := must(c.Schedule(pid(1), t0, spec))
		return ev[0].(review.ItemScheduled).Item
	}
	add(review.Every(1, review.Weekly), at(2026, time.March, 1, 1, 30), time.Time{}) // London's gap on 29 March, its repeated hour on 25 October
	add(review.Every(2, review.Weekly), at(2026, time.January, 7, 19, 0), time.Time{})
	add(review.Every(1, review.Monthly), at(2026, time.January, 31, 18, 0), time.Time{})
	add(review.Every(3, review.Monthly), at(2026, time.May, 30, 9, 15), time.Time{})
	add(review.Every(1, review.Monthly), at(2027, time.January, 29, 12, 0), time.Time{})
	add(review.Every(6, review.Monthly).On(1, time.Monday), at(2026, time.January, 10, 19, 0), time.Time{})
	add(review.Every(1, review.Monthly).On(-1, time.Sunday), at(2026, time.February, 1, 1, 30), time.Time{}) // on the changes' Sundays in Europe
	add(review.Every(1, review.Monthly).On(-1, time.Sunday), at(2026, time.February, 1, 2, 30), time.Time{}) // and in New York and Sydney
	add(review.Every(12, review.Monthly).On(4, time.Thursday), at(2026, time.February, 1, 10, 0), time.Time{})
	later := add(review.Every(1, review.Weekly), at(2026, time.February, 2, 10, 0), time.Time{})
	must(c.Reschedule(pid(1), t0, later, at(2026, time.February, 4, 15, 0), "the room is taken on Monday"))
	earlier := add(review.Every(1, review.Monthly), at(2026, time.March, 15, 10, 0), time.Time{})
	must(c.Reschedule(pid(1), t0, earlier, at(2026, time.March, 11, 10, 0), "before the holidays"))
	add(review.Every(2, review.Weekly), at(2026, time.June, 1, 10, 0), at(2026, time.April, 20, 10, 0)) // first due before the rule starts
	kept := add(review.Every(1, review.Monthly), at(2026, time.January, 20, 10, 0), time.Time{})
	must(c.Schedule(pid(1), t0, policy(1, cid(2), at(2026, time.February, 28, 14, 37))))
	spec := policy(2, cid(2), at(2026, time.October, 25, 1, 30))
	spec.Kind, spec.Source = review.KindCircleReview, review.HostSource("one-off")
	must(c.Schedule(pid(1), t0, spec))
	// Last, since the calendar's acts keep time order.
	must(c.Complete(pid(1), at(2026, time.March, 2, 12, 0), kept, review.Completion{Outcome: review.OutcomeKept})) // reviewed late, on 2 March: moves on to 20 March, skipping 20 February
	return c
}

// libraryOccurrences returns the library's own occurrences of an item up to limit:
// its due date, then each occurrence of its rule after it.
func libraryOccurrences(it review.Item, loc *time.Location, limit time.Time) []time.Time {
	out := []time.Time{it.Due}
	if it.Recurrence.IsZero() {
		return out
	}
	for o := it.Recurrence.After(it.Due, loc); !o.After(limit); o = it.Recurrence.After(o, loc) {
		out = append(out, o)
	}
	return out
}

type icalJS struct {
	Zones  []string
	Events []struct {
		UID, Summary, Tzid string
		AllDay, Recurring  bool
		Occurrences        []string
		Alarms             []string
	}
}

// Every occurrence that ical.js expands over ten years from the export
// equals the library's own occurrences, in the organisation's zone, for
// timed and for all-day events, in zones either side of UTC and in both
// hemispheres.
func TestICalJSExpandsTheLibrarysOccurrences(t *testing.T) {
	browsertest.Node(t)
	for _, zone := range []string{"Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata"} {
		for _, allDay := range []bool{false, true} {
			name := zone + " timed"
			opt := &review.ICalOptions{Duration: time.Hour, DateKinds: timed}
			if allDay {
				name = zone + " all-day"
				opt.DateKinds = review.Kinds()
			}
			t.Run(name, func(t *testing.T) {
				c := seriesCalendar(t, zone)
				loc := c.Zone()
				doc := c.ICalendar(t0, opt)
				path := filepath.Join(t.ArtifactDir(), "reviews.ics")
				require.NoError(t, os.WriteFile(path, doc, 0o644))
				var got icalJS
				require.NoError(t, json.Unmarshal(browsertest.Run(t, "ical.mjs", path, "10"), &got))
				assert.Equal(t, []string{zone}, got.Zones)
				items := c.Due(time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))
				require.Len(t, got.Events, len(items))
				recurring := 0
				for i, e := range got.Events {
					it := items[i]
					require.Equal(t, it.ID.String()+"@review.sociocracy", e.UID)
					require.Equal(t, allDay, e.AllDay, e.Summary)
					require.Equal(t, !it.Recurrence.IsZero(), e.Recurring, e.Summary)
					require.NotEmpty(t, e.Occurrences, e.Summary)
					assert.Len(t, e.Alarms, 1, "%s: ical.js reads the default reminder, 14 days ahead", e.Summary)
					// Both lists up to ten years after the earlier of the
					// two starts, less a margin for the ends of months.
					limit := it.Due.AddDate(10, 0, -3)
					var want, have []string
					for _, o := range libraryOccurrences(it, loc, limit) {
						if allDay {
							want = append(want, o.In(loc).Format("2006-01-02"))
						} else {
							want = append(want, o.UTC().Format("2006-01-02T15:04:05.000Z"))
						}
					}
					cut := limit.In(loc).Format("2006-01-02")
					for _, o := range e.Occurrences {
						if allDay && o <= cut || !allDay && o <= limit.UTC().Format("2006-01-02T15:04:05.000Z") {
							have = append(have, o)
						}
					}
					if it.Recurrence.IsZero() {
						assert.Len(t, e.Occurrences, 1)
					} else {
						recurring++
						assert.GreaterOrEqual(t, len(want), 10, e.Summary)
					}
					assert.Equal(t, want, have, "%s: ical.js and the library differ", e.Summary)
					if !allDay {
						if !it.Recurrence.IsZero() || e.Tzid != "UTC" {
							assert.Equal(t, zone, e.Tzid, "%s: read in the organisation's zone", e.Summary)
						}
					}
				}
				assert.Equal(t, 13, recurring)
			})
		}
	}
}

// The Go parser reads the same occurrences as the library: go-ical parses
// the document and its RRULE, and rrule-go expands the recurrence set
// (built here from DTSTART, RRULE, RDATE and EXDATE: go-ical's own
// RecurrenceSet reads EXDATE for RDATE).
func TestGoIcalExpandsTheLibrarysOccurrences(t *testing.T) {
	for _, zone := range []string{"Europe/London", "America/New_York", "Australia/Sydney"} {
		c := seriesCalendar(t, zone)
		loc := c.Zone()
		doc := c.ICalendar(t0, &review.ICalOptions{Duration: time.Hour, DateKinds: timed})
		cal, err := ical.NewDecoder(bytes.NewReader(doc)).Decode()
		require.NoError(t, err)
		items := c.Due(time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))
		events := cal.Events()
		require.Len(t, events, len(items))
		for i, e := range events {
			it := items[i]
			if it.Recurrence.IsZero() {
				continue
			}
			opt, err := e.Props.RecurrenceRule()
			require.NoError(t, err)
			start, err := e.DateTimeStart(loc)
			require.NoError(t, err)
			opt.Dtstart = start
			rule, err := rrule.NewRRule(*opt)
			require.NoError(t, err)
			set := rrule.Set{}
			set.RRule(rule)
			for _, p := range e.Props[ical.PropRecurrenceDates] {
				d, err := p.DateTime(loc)
				require.NoError(t, err)
				set.RDate(d)
			}
			for _, p := range e.Props[ical.PropExceptionDates] {
				d, err := p.DateTime(loc)
				require.NoError(t, err)
				set.ExDate(d)
			}
			limit := it.Due.AddDate(10, 0, 0)
			got := set.Between(it.Due.Add(-time.Second), limit, true)
			want := libraryOccurrences(it, loc, limit)
			require.Equal(t, len(want), len(got), "%s %s", zone, it.Title)
			for j := range want {
				assert.True(t, want[j].Equal(got[j]), "%s %s: occurrence %d is %s, the library's %s", zone, it.Title, j, got[j], want[j])
			}
		}
	}
}
