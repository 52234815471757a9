package review_test

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ical "github.com/emersion/go-ical"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

// timed exports every item as a timed event.
var timed = []review.Kind{}

// icalCalendar returns a calendar with items either side of both of
// London's 2026 changes, a long title with multi-byte characters and every
// character TEXT must escape.
func icalCalendar() (*review.Calendar, *circle.Organisation) {
	o := org()
	c, _ := newCalendar()
	must(c.Schedule(pid(1), t0, policy(1, cid(2), ldn(2026, time.March, 28, 10, 0))))
	must(c.Schedule(pid(1), t0, policy(2, cid(2), ldn(2026, time.March, 30, 10, 0))))
	must(c.Schedule(pid(1), t0, policy(3, cid(1), ldn(2026, time.October, 25, 1, 30)))) // the first 01:30, BST
	spec := policy(4, cid(2), ldn(2026, time.November, 2, 19, 0))
	spec.Title = "Medication policy, part 2; night shifts \\ weekends — für Zoë, ünd Ødegård: ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ 😀😀😀"
	must(c.Schedule(pid(1), t0, spec))
	r := review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: "Care team review", Source: review.CircleSource(cid(2)),
		Recurrence: review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: ldn(2026, time.January, 10, 19, 0)}}
	must(c.Schedule(pid(1), t0, r))
	return c, o
}

func TestICalendarParsesWithGoIcal(t *testing.T) {
	c, o := icalCalendar()
	stamp := time.Date(2026, 1, 6, 8, 0, 0, 0, time.UTC)
	out := c.ICalendar(stamp, &review.ICalOptions{Name: "Riverside, reviews", Org: o, Duration: time.Hour, DateKinds: timed})
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	require.NoError(t, err)
	name, err := cal.Props.Text("X-WR-CALNAME")
	require.NoError(t, err)
	assert.Equal(t, "Riverside, reviews", name)

	events := cal.Events()
	items := c.Due(time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))
	require.Len(t, events, len(items))
	for i, e := range events {
		it := items[i]
		uid, err := e.Props.Text(ical.PropUID)
		require.NoError(t, err)
		assert.Equal(t, it.ID.String()+"@review.sociocracy", uid)
		summary, err := e.Props.Text(ical.PropSummary)
		require.NoError(t, err)
		assert.Equal(t, it.Title, summary, "escaping and folding round-trip the title")
		start, err := e.DateTimeStart(nil)
		require.NoError(t, err)
		assert.True(t, start.Equal(it.Due), "DTSTART %s is the due instant %s", start, it.Due)
		if it.Due.Equal(ldn(2026, time.October, 25, 1, 30)) {
			assert.Empty(t, e.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID), "an ambiguous wall clock is written in UTC")
		} else {
			assert.Equal(t, "Europe/London", e.Props.Get(ical.PropDateTimeStart).Params.Get(ical.ParamTimezoneID))
		}
		end, err := e.DateTimeEnd(nil)
		require.NoError(t, err)
		assert.Equal(t, time.Hour, end.Sub(start))
		stampGot, err := e.Props.DateTime(ical.PropDateTimeStamp, nil)
		require.NoError(t, err)
		assert.True(t, stampGot.Equal(stamp))
	}
	desc, _ := events[len(events)-1].Props.Text(ical.PropDescription)
	assert.Equal(t, "Policy review for Care team.", desc)
	desc, _ = events[2].Props.Text(ical.PropDescription)
	assert.Equal(t, "Circle review for Care team, every 6 months on the first Monday.", desc)
}

// vtimezone reads the offsets of the document's VTIMEZONE: each
// component's DTSTART (local, in the offset before it) and TZOFFSETTO.
type tzPeriod struct {
	startLocal time.Time // as a UTC time standing for the wall clock
	from, to   time.Duration
}

func parseOffset(t *testing.T, s string) time.Duration {
	require.Regexp(t, `^[+-]\d{4}(\d\d)?$`, s)
	h, _ := strconv.Atoi(s[1:3])
	m, _ := strconv.Atoi(s[3:5])
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d
}

func TestICalendarVTimezoneGivesTheSameInstants(t *testing.T) {
	c, _ := icalCalendar()
	out := c.ICalendar(t0, &review.ICalOptions{DateKinds: timed})
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	require.NoError(t, err)
	var periods []tzPeriod
	for _, comp := range cal.Children {
		if comp.Name != ical.CompTimezone {
			continue
		}
		tzid, _ := comp.Props.Text(ical.PropTimezoneID)
		assert.Equal(t, "Europe/London", tzid)
		for _, p := range comp.Children {
			require.Contains(t, []string{"STANDARD", "DAYLIGHT"}, p.Name)
			start, err := time.Parse("20060102T150405", p.Props.Get(ical.PropDateTimeStart).Value)
			require.NoError(t, err)
			periods = append(periods, tzPeriod{startLocal: start,
				from: parseOffset(t, p.Props.Get(ical.PropTimezoneOffsetFrom).Value), to: parseOffset(t, p.Props.Get(ical.PropTimezoneOffsetTo).Value)})
			name, _ := p.Props.Text(ical.PropTimezoneName)
			if p.Name == "DAYLIGHT" {
				assert.Equal(t, "BST", name)
			} else {
				assert.Equal(t, "GMT", name)
			}
		}
	}
	require.NotEmpty(t, periods)
	// The 2026 changes are there, as RFC 5545 writes them: the local time
	// of the change in the offset before it.
	assert.Contains(t, periods, tzPeriod{startLocal: time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), from: 0, to: time.Hour})
	assert.Contains(t, periods, tzPeriod{startLocal: time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC), from: time.Hour, to: 0})
	// Reading each DTSTART through the VTIMEZONE alone, by the RFC's rule
	// (the period whose onset, an instant, is the latest not after it; a
	// repeated wall time is the first), gives the due instant.
	for i, e := range cal.Events() {
		due := c.Due(time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))[i].Due
		v := e.Props.Get(ical.PropDateTimeStart).Value
		if strings.HasSuffix(v, "Z") {
			// The wall clock of the due instant happens twice: written in UTC.
			assert.Equal(t, "20261025T003000Z", v)
			assert.True(t, due.Equal(ldn(2026, time.October, 25, 1, 30)))
			continue
		}
		local, err := time.Parse("20060102T150405", v)
		require.NoError(t, err)
		var best *tzPeriod
		for j := range periods {
			p := &periods[j]
			onset := p.startLocal.Add(-p.from) // the instant of the change
			// The first instant showing this wall clock under p's offset.
			if !local.Add(-p.to).Before(onset) && (best == nil || onset.After(best.startLocal.Add(-best.from))) {
				best = p
			}
		}
		require.NotNil(t, best)
		got := local.Add(-best.to)
		assert.True(t, got.Equal(due), "event %d: %s read through the VTIMEZONE is %s", i, local, got)
	}
}

func TestICalendarFollowsTheRFCLineRules(t *testing.T) {
	c, o := icalCalendar()
	out := c.ICalendar(t0, &review.ICalOptions{Org: o})
	s := string(out)
	require.True(t, strings.HasSuffix(s, "\r\n"))
	lines := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	assert.Equal(t, "BEGIN:VCALENDAR", lines[0])
	assert.Equal(t, "END:VCALENDAR", lines[len(lines)-1])
	var unfolded []string
	folded := 0
	for _, l := range lines {
		// RFC 5545 3.1: "Lines of text SHOULD NOT be longer than 75 octets,
		// excluding the line break."
		assert.LessOrEqual(t, len(l), 75, "line %q", l)
		assert.True(t, utf8.ValidString(l), "a fold never splits a UTF-8 sequence: %q", l)
		assert.NotContains(t, l, "\n")
		assert.NotContains(t, l, "\r")
		if strings.HasPrefix(l, " ") {
			unfolded[len(unfolded)-1] += l[1:]
			folded++
			continue
		}
		unfolded = append(unfolded, l)
	}
	assert.Positive(t, folded, "the long title is folded")
	var summary string
	for _, l := range unfolded {
		if strings.HasPrefix(l, "SUMMARY:Medication") {
			summary = l
		}
	}
	// RFC 5545 3.3.11: backslash, semicolon and comma are escaped in TEXT.
	assert.Equal(t, `SUMMARY:Medication policy\, part 2\; night shifts \\ weekends — für Zoë\, ünd Ødegård: ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ ÆØÅ 😀😀😀`, summary)
	assert.Equal(t, 5, strings.Count(s, "BEGIN:VEVENT"))
	assert.Equal(t, 1, strings.Count(s, "BEGIN:VTIMEZONE"))
	assert.Equal(t, out, c.ICalendar(t0, &review.ICalOptions{Org: o}), "the export is deterministic")

	t.Run("one circle's calendar", func(t *testing.T) {
		out := string(c.ICalendar(t0, &review.ICalOptions{Circle: cid(1)}))
		assert.Equal(t, 1, strings.Count(out, "BEGIN:VEVENT"))
	})
	t.Run("a rescheduled item keeps its UID and raises its SEQUENCE", func(t *testing.T) {
		id := c.Due(time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC))[0].ID
		must(c.Reschedule(pid(3), t0, id, ldn(2026, time.April, 2, 10, 0), "moved"))
		out := string(c.ICalendar(t0, nil))
		i := strings.Index(out, "UID:"+id.String())
		require.Positive(t, i)
		assert.Contains(t, out[i:i+200], "SEQUENCE:1")
	})
	t.Run("an empty calendar is still a valid document with a zone", func(t *testing.T) {
		empty, _ := newCalendar()
		cal, err := ical.NewDecoder(bytes.NewReader(empty.ICalendar(t0, nil))).Decode()
		require.NoError(t, err)
		assert.Empty(t, cal.Events())
	})
	t.Run("a zone without DST has one STANDARD period", func(t *testing.T) {
		utc, _, _ := review.Open(orgID, "UTC", pid(1), t0)
		must(utc.Schedule(pid(1), t0, policy(1, cid(2), t0.AddDate(0, 1, 0))))
		out := string(utc.ICalendar(t0, nil))
		assert.Contains(t, out, "BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0000\r\nTZNAME:UTC\r\nEND:STANDARD\r\n")
	})
}

func TestICalendarInAZoneWestOfUTCWithEveryKind(t *testing.T) {
	ny, _, err := review.Open(orgID, "America/New_York", pid(1), t0)
	require.NoError(t, err)
	loc := ny.Zone()
	for i, k := range review.Kinds() {
		spec := policy(i, cid(2), review.LocalTime(loc, 2026, time.March, 1+i*3, 9, 30, 0, 0))
		spec.Kind = k
		must(ny.Schedule(pid(1), t0, spec))
	}
	out := ny.ICalendar(t0, &review.ICalOptions{Duration: 90 * time.Minute, DateKinds: timed})
	s := string(out)
	assert.Contains(t, s, "TZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nTZNAME:EDT\r\n", "New York springs forward on 8 March 2026")
	assert.Contains(t, s, "DURATION:PT1H30M\r\n")
	for _, label := range []string{"Policy review.", "Term end.", "Helping circle ends.", "Measure checkpoint.", "Early review.", "Circle review.", "Deferred objection."} {
		assert.Contains(t, s, "DESCRIPTION:"+label+"\r\n")
	}
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	require.NoError(t, err)
	for i, e := range cal.Events() {
		start, err := e.DateTimeStart(nil)
		require.NoError(t, err)
		assert.Equal(t, "09:30", start.In(loc).Format("15:04"), "event %d", i)
	}
}

func TestICalendarOffsetsWithMinutes(t *testing.T) {
	for zone, want := range map[string]string{
		"Asia/Kolkata":     "TZOFFSETTO:+0530\r\n",
		"America/St_Johns": "TZOFFSETTO:-0230\r\n",
		"Pacific/Chatham":  "TZOFFSETTO:+1345\r\n",
	} {
		c, _, err := review.Open(orgID, zone, pid(1), t0)
		require.NoError(t, err)
		must(c.Schedule(pid(1), t0, policy(1, cid(2), time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC))))
		assert.Contains(t, string(c.ICalendar(t0, nil)), want, zone)
	}
}

// unfold returns the content lines of an iCalendar document.
func unfold(doc []byte) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(string(doc), "\r\n ", ""), "\r\n"), "\r\n")
}

// event returns the content lines of the VEVENT with the given summary.
func event(doc []byte, summary string) []string {
	var cur []string
	for _, l := range unfold(doc) {
		switch {
		case l == "BEGIN:VEVENT":
			cur = []string{}
		case l == "END:VEVENT":
			if slices.Contains(cur, "SUMMARY:"+summary) {
				return cur
			}
			cur = nil
		case cur != nil:
			cur = append(cur, l)
		}
	}
	return nil
}

func TestICalendarDatesAreAllDayEventsAndCircleReviewsRecur(t *testing.T) {
	c, _ := newCalendar()
	must(c.Schedule(pid(1), t0, policy(1, cid(2), ldn(2027, time.February, 28, 14, 37))))
	term := policy(2, cid(2), ldn(2027, time.January, 5, 9, 30))
	term.Kind, term.Title = review.KindTermEnd, "Term end: leader"
	must(c.Schedule(pid(1), t0, term))
	must(c.Schedule(pid(1), t0, review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: "Care team review", Source: review.CircleSource(cid(2)),
		Recurrence: review.Recurrence{Rule: review.Every(6, review.Monthly).On(1, time.Monday), Start: ldn(2026, time.January, 10, 19, 0)}}))
	doc := c.ICalendar(t0, nil)

	p := event(doc, "Review policy 1")
	assert.Contains(t, p, "DTSTART;VALUE=DATE:20270228", "a review on 28 February is that day, not the act's wall clock")
	assert.Contains(t, p, "DURATION:P1D")
	assert.Contains(t, p, "TRIGGER:-P13DT15H", "the default reminder, 14 days ahead, at 09:00")
	assert.NotContains(t, strings.Join(p, "\n"), "RRULE")

	e := event(doc, "Term end: leader")
	assert.Contains(t, e, "DTSTART;VALUE=DATE:20270105")
	assert.Contains(t, e, "TRIGGER:-P29DT15H", "a term end is reminded 30 days ahead")
	assert.Contains(t, e, "TRIGGER:-P6DT15H", "and 7")

	r := event(doc, "Care team review")
	assert.Contains(t, r, "DTSTART;TZID=Europe/London:20260706T190000", "a meeting keeps its time: the first Monday of July, six months after January's, which is before the start")
	assert.Contains(t, r, "RRULE:FREQ=MONTHLY;INTERVAL=6;BYDAY=1MO")
	assert.Contains(t, r, "TRIGGER:-P14D")

	none := c.ICalendar(t0, &review.ICalOptions{Alarms: []int{}})
	assert.NotContains(t, string(none), "BEGIN:VALARM", "an empty Alarms asks for none")
	custom := c.ICalendar(t0, &review.ICalOptions{Reminders: &review.ReminderPolicy{AheadFor: map[review.Kind][]int{review.KindCircleReview: {2, 0}}}})
	r = event(custom, "Care team review")
	assert.Contains(t, r, "TRIGGER:-P2D")
	assert.Contains(t, r, "TRIGGER:-P0D")
	allDay := event(c.ICalendar(t0, &review.ICalOptions{Alarms: []int{0, 1}}), "Review policy 1")
	assert.Contains(t, allDay, "TRIGGER:PT9H", "on the day, at 09:00")
	assert.Contains(t, allDay, "TRIGGER:-PT15H", "the day before, at 09:00")
}

func TestICalendarRulesAsRRULEs(t *testing.T) {
	c, _ := newCalendar()
	add := func(title string, rule review.Rule, start time.Time) review.ItemID {
		ev := must(c.Schedule(pid(1), t0, review.ItemSpec{Kind: review.KindCircleReview, Circle: cid(2), Title: title,
			Source: review.HostSource(title), Recurrence: review.Recurrence{Rule: rule, Start: start}}))
		return ev[0].(review.ItemScheduled).Item
	}
	add("weekly", review.Every(2, review.Weekly), ldn(2026, time.January, 7, 19, 0))
	add("on the 31st", review.Every(1, review.Monthly), ldn(2026, time.January, 31, 18, 0))
	add("on the 30th", review.Every(1, review.Monthly), ldn(2026, time.January, 30, 18, 0))
	add("last Friday", review.Every(3, review.Monthly).On(-1, time.Friday), ldn(2026, time.January, 1, 18, 0))
	moved := add("moved", review.Every(1, review.Weekly), ldn(2026, time.February, 2, 10, 0))
	must(c.Reschedule(pid(1), t0, moved, ldn(2026, time.February, 4, 15, 0), "the room is taken"))
	doc := c.ICalendar(t0, &review.ICalOptions{DateKinds: timed})

	assert.Contains(t, event(doc, "weekly"), "RRULE:FREQ=WEEKLY;INTERVAL=2")
	assert.Contains(t, event(doc, "on the 31st"), "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1", "the last day of every month")
	thirtieth := event(doc, "on the 30th")
	assert.Contains(t, thirtieth, "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=30")
	assert.Contains(t, thirtieth, "RDATE;TZID=Europe/London:20260228T180000", "February's clamped occurrence is added")
	assert.Contains(t, event(doc, "last Friday"), "RRULE:FREQ=MONTHLY;INTERVAL=3;BYDAY=-1FR")
	m := event(doc, "moved")
	assert.Contains(t, m, "DTSTART;TZID=Europe/London:20260202T100000", "anchored at the occurrence it was moved from")
	assert.Contains(t, m, "EXDATE;TZID=Europe/London:20260202T100000", "which is excluded")
	assert.Contains(t, m, "RDATE:20260204T150000Z", "and the new date added")
}
