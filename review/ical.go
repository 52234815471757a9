package review

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coproduce/sociocracy/circle"
)

// ICalOptions shapes an iCalendar export. A nil *ICalOptions exports every
// open item under the name "Reviews".
type ICalOptions struct {
	Name     string               // the calendar's display name (X-WR-CALNAME); "" is "Reviews"
	Circle   circle.CircleID      // only this circle's items; zero: every circle
	Org      *circle.Organisation // names circles in event descriptions; nil: no names
	Duration time.Duration        // the length of each timed event; 0: none (an event at the due instant). All-day events last their day.

	// Alarms are the days before the due date at which subscribers'
	// calendars remind them (VALARM), for every item. nil: the days of
	// Reminders for the item's kind; empty (non-nil): no alarms.
	Alarms []int
	// Reminders gives, when Alarms is nil, each kind's alarm days: the
	// policy [Calendar.Reminders] uses. nil: the default policy (14 days
	// ahead; 30 and 7 days ahead of a term end).
	Reminders *ReminderPolicy
	// DateKinds are the kinds exported as all-day events on the due
	// instant's local date. nil: every kind but [KindCircleReview] (a
	// policy is reviewed, a term ends, on a date; a circle's regular review
	// is a meeting at a time); empty (non-nil): none.
	DateKinds []Kind
}

func (o *ICalOptions) dateKind(k Kind) bool {
	if o.DateKinds == nil {
		return k != KindCircleReview
	}
	return slices.Contains(o.DateKinds, k)
}

// ICalendar returns the open items as an iCalendar (RFC 5545) document that
// members can subscribe to in the calendar they already use. stamp is the
// time of the export (DTSTAMP).
//
// Each item is one VEVENT whose UID is stable ("<item id>@review.sociocracy")
// and whose SEQUENCE is the item's revision, so a subscribed calendar moves
// a rescheduled item rather than adding a second one.
//
// An item whose kind is a date (see [ICalOptions.DateKinds]) is an all-day
// event on the due instant's local date (DTSTART;VALUE=DATE). Any other
// item starts at the due date's wall clock with the calendar's TZID (or,
// for a one-off item whose wall clock happens twice because the clocks go
// back, at the instant in UTC, which no client can misread).
//
// A recurring item is one recurring event: an RRULE equal to its
// [Recurrence] (FREQ=WEEKLY or MONTHLY with its INTERVAL; BYDAY=1MO for an
// nth weekday; for a day of the month after the 28th, BYMONTHDAY=28,...,d
// with BYSETPOS=-1, the clamping to shorter months), anchored at the
// occurrence the item is due at. When the item was moved off its rule
// (rescheduled), the series is anchored at the rule's occurrence it was
// moved from, that occurrence is excluded (EXDATE) and the due date added
// (RDATE). The event's occurrences are then exactly the library's: the due
// date, then each occurrence of the rule after it, as [Calendar.Complete]
// moves a kept recurring item on.
//
// Alarms (VALARM, a display reminder) fire the given days before a timed
// event, and at 09:00 local time the given days before an all-day one.
//
// The document carries a VTIMEZONE listing every UTC offset change from a
// year before the first event to a year after the last one-off event, and
// for twenty years after the latest recurring one, so the times are right
// in clients that do not know the zone. Text is escaped and lines are
// folded at 75 octets without splitting a UTF-8 character, and every line
// ends in CRLF. The output depends only on the calendar, stamp and options.
func (c *Calendar) ICalendar(stamp time.Time, opt *ICalOptions) []byte {
	if opt == nil {
		opt = &ICalOptions{}
	}
	name := opt.Name
	if name == "" {
		name = "Reviews"
	}
	var items []Item
	for it := range c.DueBefore(time.Unix(1<<40, 0)) {
		if opt.Circle.IsZero() || it.Circle == opt.Circle {
			items = append(items, it)
		}
	}
	tzid := c.zone.String()
	w := &icalWriter{}
	w.line("BEGIN:VCALENDAR")
	w.line("VERSION:2.0")
	w.line("PRODID:-//coproduce//sociocracy review calendar//EN")
	w.line("CALSCALE:GREGORIAN")
	w.line("METHOD:PUBLISH")
	w.line("X-WR-CALNAME:" + escapeText(name))
	w.line("X-WR-TIMEZONE:" + escapeText(tzid))
	series := make([]icalSeries, len(items))
	zc := &zoneChanges{loc: c.zone}
	from, to := stamp, stamp
	for i, it := range items {
		series[i] = c.series(it, opt.dateKind(it.Kind), zc)
		start, end := series[i].start, it.Due.AddDate(1, 0, 0)
		if series[i].recurring {
			end = it.Due.AddDate(20, 0, 0) // the due date is never before the series' start
		}
		if i == 0 || start.Before(from) {
			from = start
		}
		if i == 0 || end.After(to) {
			to = end
		}
	}
	if len(items) > 0 {
		from = from.AddDate(-1, 0, 0)
	}
	writeVTimezone(w, c.zone, from, to)
	for i, it := range items {
		s := series[i]
		allDay := opt.dateKind(it.Kind)
		w.line("BEGIN:VEVENT")
		w.line("UID:" + it.ID.String() + "@review.sociocracy")
		w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		switch {
		case allDay:
			w.line("DTSTART;VALUE=DATE:" + s.start.In(c.zone).Format("20060102"))
			w.line("DURATION:P1D")
		case !s.recurring && ambiguous(it.Due, c.zone):
			w.line("DTSTART:" + it.Due.UTC().Format("20060102T150405Z"))
		default:
			w.line("DTSTART;TZID=" + paramValue(tzid) + ":" + s.start.In(c.zone).Format("20060102T150405"))
		}
		if !allDay && opt.Duration > 0 {
			w.line("DURATION:" + icalDuration(opt.Duration))
		}
		if s.recurring {
			w.line("RRULE:" + s.rule)
			for _, x := range s.exdates {
				w.line(x)
			}
			for _, x := range s.rdates {
				w.line(x)
			}
		}
		w.line("CREATED:" + it.Scheduled.UTC().Format("20060102T150405Z"))
		w.line("LAST-MODIFIED:" + it.Updated.UTC().Format("20060102T150405Z"))
		w.line("SEQUENCE:" + strconv.Itoa(it.Revision))
		w.line("SUMMARY:" + escapeText(it.Title))
		desc := kindLabel(it.Kind)
		if opt.Org != nil {
			if cs, ok := opt.Org.Circle(it.Circle); ok {
				desc += " for " + cs.Name()
			}
		}
		if !it.Recurrence.IsZero() {
			desc += ", " + it.Recurrence.Rule.String()
		}
		w.line("DESCRIPTION:" + escapeText(desc+"."))
		w.line("CATEGORIES:" + escapeText(it.Kind.String()))
		w.line("STATUS:CONFIRMED")
		w.line("TRANSP:TRANSPARENT")
		alarms := opt.Alarms
		if alarms == nil {
			alarms = opt.Reminders.ahead(it.Kind)
		}
		for _, d := range alarms {
			if d < 0 {
				continue
			}
			w.line("BEGIN:VALARM")
			w.line("ACTION:DISPLAY")
			w.line("DESCRIPTION:" + escapeText(it.Title))
			w.line("TRIGGER:" + alarmTrigger(d, allDay))
			w.line("END:VALARM")
		}
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return w.b
}

// alarmTrigger is the VALARM trigger d days before the event: for an
// all-day event, at 09:00 on that day (the event starts at midnight).
func alarmTrigger(d int, allDay bool) string {
	switch {
	case !allDay:
		return "-P" + strconv.Itoa(d) + "D"
	case d == 0:
		return "PT9H"
	case d == 1:
		return "-PT15H"
	}
	return "-P" + strconv.Itoa(d-1) + "DT15H"
}

// dateProp writes an RDATE (or EXDATE): a date, a wall clock in the
// calendar's zone, or (utc, or for a wall clock the clocks show twice) the
// instant in UTC.
func (c *Calendar) dateProp(name string, t time.Time, allDay, utc bool) string {
	switch {
	case allDay:
		return name + ";VALUE=DATE:" + t.In(c.zone).Format("20060102")
	case utc || ambiguous(t, c.zone):
		return name + ":" + t.UTC().Format("20060102T150405Z")
	}
	return name + ";TZID=" + paramValue(c.zone.String()) + ":" + t.In(c.zone).Format("20060102T150405")
}

// icalSeries is how an item is written: its first instance (DTSTART) and,
// for a recurring item, its rule and the EXDATE and RDATE properties that
// make the rule's instances the library's occurrences.
type icalSeries struct {
	start     time.Time
	recurring bool
	rule      string
	exdates   []string // whole properties
	rdates    []string
}

// icalHorizon is how far past an item's due date the export spells out
// what an RRULE cannot: the offsets of the VTIMEZONE, the clamped
// occurrences of a rule on the 29th or 30th, and the instants of
// occurrences whose wall clock a DST change skips or repeats.
const icalHorizon = 20 // years

// series writes the item's occurrences (the due date, then the rule's
// occurrences after it) as an RFC 5545 recurrence set.
//
// The RRULE from an anchor p(a) generates the rule's periods p(a), p(a+1),
// ... (see [Recurrence.period]), but for three things it cannot say:
//
//   - a rule on the 29th or 30th of the month clamps to shorter months
//     (BYSETPOS could say it, but calendars such as ical.js ignore it with
//     BYMONTHDAY): the RRULE names the day, which skips shorter months, and
//     each clamped occurrence is an RDATE;
//   - a wall clock that a DST change skips or repeats is read by RFC 5545's
//     rule, as [LocalTime] reads it, but not by every calendar (ical.js
//     reads both the other way): such an occurrence is written as an
//     instant in UTC (RDATE), which none can misread, and every other
//     instant the wall clock could be taken for is excluded (EXDATE in
//     UTC). An RFC 5545 calendar generates the RDATE's instant itself and
//     finds nothing to exclude; a calendar that misreads the wall clock
//     excludes its misreading and adds the right instant;
//   - periods the library does not count (the one a rescheduled item was
//     moved off, those before the recurrence starts) are excluded, and a
//     due date off the rule is added.
//
// The first two are spelled out for icalHorizon years after the due date.
// The anchor is the latest ordinary period at or before the due date.
func (c *Calendar) series(it Item, allDay bool, zc *zoneChanges) icalSeries {
	r := it.Recurrence
	if r.IsZero() || r.Validate() != nil {
		return icalSeries{start: it.Due}
	}
	loc := c.zone
	tzid := paramValue(loc.String())
	ls := r.Start.In(loc)
	day, hh, mm, ss := ls.Day(), ls.Hour(), ls.Minute(), ls.Second()
	clamps := r.Rule.Freq == Monthly && r.Rule.Nth == 0 && day >= 29 && day <= 30
	clamped := func(t time.Time) bool { return clamps && t.In(loc).Day() < day }
	// odd reports whether the rule's wall clock on p's date is skipped or
	// repeated there, and returns that wall clock.
	odd := func(p time.Time) (bool, string) {
		y, m, d := p.In(loc).Date()
		wall := time.Date(y, m, d, hh, mm, ss, 0, time.UTC).Format("20060102T150405")
		return !allDay && (p.In(loc).Format("20060102T150405") != wall || ambiguous(p, loc)), wall
	}
	ordinary := func(p time.Time) bool { o, _ := odd(p); return !o && !clamped(p) }
	// misreadings are the instants other than p that a calendar could take
	// the wall clock for: read with another offset in force that day.
	misreadings := func(p time.Time, wall string) []time.Time {
		w, _ := time.Parse("20060102T150405", wall)
		var out []time.Time
		for _, probe := range []time.Time{p.Add(-26 * time.Hour), p, p.Add(26 * time.Hour)} {
			_, off := probe.In(loc).Zone()
			if x := w.Add(-time.Duration(off) * time.Second); !x.Equal(p) && !slices.ContainsFunc(out, x.Equal) {
				out = append(out, x)
			}
		}
		return out
	}
	k := r.index(it.Due, loc)
	a := k
	for a > k-12 && !ordinary(r.period(a, loc)) { // a leap day comes within 8 years, a DST change lasts a day
		a--
	}
	s := icalSeries{start: r.period(a, loc), recurring: true, rule: rrule(r, loc)}
	date := func(p time.Time) string { return ";VALUE=DATE:" + p.In(loc).Format("20060102") }
	counted := func(p time.Time) bool { return p.Equal(it.Due) || p.After(it.Due) && !p.Before(r.Start) }
	onRule := false
	horizon := it.Due.AddDate(icalHorizon, 0, 0)
	visit := func(j int) {
		p := r.period(j, loc)
		onRule = onRule || p.Equal(it.Due)
		generated := j == a || !clamped(p)
		isOdd, wall := odd(p)
		switch {
		case generated && !counted(p) && allDay:
			s.exdates = append(s.exdates, "EXDATE"+date(p))
		case generated && !counted(p):
			s.exdates = append(s.exdates, "EXDATE;TZID="+tzid+":"+wall)
			for _, x := range misreadings(p, wall) {
				s.exdates = append(s.exdates, "EXDATE:"+x.UTC().Format("20060102T150405Z"))
			}
		case counted(p) && isOdd:
			for _, x := range misreadings(p, wall) {
				s.exdates = append(s.exdates, "EXDATE:"+x.UTC().Format("20060102T150405Z"))
			}
			s.rdates = append(s.rdates, c.dateProp("RDATE", p, allDay, true))
		case counted(p) && !generated:
			s.rdates = append(s.rdates, c.dateProp("RDATE", p, allDay, false))
		}
	}
	// The periods up to the due date and the recurrence's start, where
	// the anchor and the exclusions are.
	j := a
	for ; ; j++ {
		p := r.period(j, loc)
		if p.After(horizon) || p.After(it.Due) && !p.Before(r.Start) {
			break
		}
		visit(j)
	}
	switch {
	case clamps: // every month may clamp: visit each period to the horizon
		for ; !r.period(j, loc).After(horizon); j++ {
			visit(j)
		}
	case !allDay: // only periods within a day of a change of offset can be odd
		seen := j
		tod := hh*3600 + mm*60 + ss
		for _, ch := range zc.between(s.start, horizon) {
			// The wall clocks a change skips or repeats lie between the
			// times of day just before and at it; a rule at another time
			// of day is never odd there.
			t := ch.at
			if ch.sameDay && (tod < ch.lo || tod >= ch.hi) {
				continue
			}
			for x := max(seen, r.index(t.Add(-26*time.Hour), loc)); ; x++ {
				p := r.period(x, loc)
				if p.After(t.Add(26*time.Hour)) || p.After(horizon) {
					break
				}
				if o, _ := odd(p); o {
					visit(x)
				}
				seen = x + 1
			}
		}
	}
	if !onRule {
		s.rdates = append([]string{c.dateProp("RDATE", it.Due, allDay, true)}, s.rdates...)
	}
	return s
}

var icalDays = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// rrule writes the rule of r as an RFC 5545 RRULE value.
func rrule(r Recurrence, loc *time.Location) string {
	rule := r.Rule
	if rule.Freq == Weekly {
		return "FREQ=WEEKLY;INTERVAL=" + strconv.Itoa(rule.Interval)
	}
	out := "FREQ=MONTHLY;INTERVAL=" + strconv.Itoa(rule.Interval)
	if rule.Nth != 0 {
		return out + ";BYDAY=" + strconv.Itoa(rule.Nth) + icalDays[rule.Weekday]
	}
	switch d := r.Start.In(loc).Day(); d {
	case 31:
		return out + ";BYMONTHDAY=-1" // the last day, whatever the month's length
	default: // 29 and 30 skip the shorter months; [Calendar.series] adds them
		return out + ";BYMONTHDAY=" + strconv.Itoa(d)
	}
}

func kindLabel(k Kind) string {
	switch k {
	case KindPolicyReview:
		return "Policy review"
	case KindTermEnd:
		return "Term end"
	case KindHelpingCircleEnd:
		return "Helping circle ends"
	case KindMeasureCheckpoint:
		return "Measure checkpoint"
	case KindEarlyReview:
		return "Early review"
	case KindCircleReview:
		return "Circle review"
	case KindDeferredObjection:
		return "Deferred objection"
	case KindStuckDecision:
		return "Stuck decision"
	case KindEmergencyReview:
		return "Emergency decision to review"
	}
	return k.String()
}

// writeVTimezone writes the zone's offset changes between from and to as one
// STANDARD or DAYLIGHT component each, preceded by the period in force at
// from.
func writeVTimezone(w *icalWriter, loc *time.Location, from, to time.Time) {
	w.line("BEGIN:VTIMEZONE")
	w.line("TZID:" + paramValue(loc.String()))
	period := func(at, start time.Time) {
		l := at.In(loc)
		abbr, off := l.Zone()
		prevOff := off
		dtstart := "19700101T000000"
		if !start.IsZero() {
			_, prevOff = start.Add(-time.Second).In(loc).Zone()
			dtstart = start.UTC().Add(time.Duration(prevOff) * time.Second).Format("20060102T150405")
		}
		comp := "STANDARD"
		if l.IsDST() {
			comp = "DAYLIGHT"
		}
		w.line("BEGIN:" + comp)
		w.line("DTSTART:" + dtstart)
		w.line("TZOFFSETFROM:" + utcOffset(prevOff))
		w.line("TZOFFSETTO:" + utcOffset(off))
		w.line("TZNAME:" + escapeText(abbr))
		w.line("END:" + comp)
	}
	start, end := from.In(loc).ZoneBounds()
	period(from, start)
	lastAbbr, lastOff := from.In(loc).Zone()
	for !end.IsZero() && !end.After(to) {
		// Past the zone file's table, the time package reports a bound at
		// each new year whether or not the offset changes there; only real
		// changes are written.
		if abbr, off := end.In(loc).Zone(); abbr != lastAbbr || off != lastOff {
			period(end, end)
			lastAbbr, lastOff = abbr, off
		}
		// And at the end of some leap years it reports a bound that does
		// not move on; step past it.
		at := end
		_, end = at.In(loc).ZoneBounds()
		for !end.IsZero() && !end.After(at) {
			at = at.Add(time.Hour)
			_, end = at.In(loc).ZoneBounds()
		}
	}
	w.line("END:VTIMEZONE")
}

// utcOffset formats an offset in seconds as RFC 5545's UTC-OFFSET: +hhmm, or
// +hhmmss when it has seconds.
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}

func icalDuration(d time.Duration) string {
	s := int64(d / time.Second)
	if s <= 0 {
		s = 1
	}
	out := "PT"
	if h := s / 3600; h > 0 {
		out += strconv.FormatInt(h, 10) + "H"
	}
	if m := s / 60 % 60; m > 0 {
		out += strconv.FormatInt(m, 10) + "M"
	}
	if sec := s % 60; sec > 0 || out == "PT" {
		out += strconv.FormatInt(sec, 10) + "S"
	}
	return out
}

// escapeText escapes a TEXT value (RFC 5545, section 3.3.11): backslash,
// semicolon, comma and newline.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			if r < 0x20 && r != '\t' || r == 0x7f {
				continue
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// paramValue quotes a parameter value that holds ':', ';' or ','.
func paramValue(s string) string {
	if strings.ContainsAny(s, ":;,") {
		return `"` + strings.ReplaceAll(s, `"`, "") + `"`
	}
	return s
}

// icalWriter writes content lines folded at 75 octets (RFC 5545, section
// 3.1), never inside a UTF-8 sequence, each ended by CRLF.
type icalWriter struct{ b []byte }

func (w *icalWriter) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		w.b = append(w.b, s[:cut]...)
		w.b = append(w.b, "\r\n "...)
		s = s[cut:]
		limit = 74 // the leading space counts
	}
	w.b = append(w.b, s...)
	w.b = append(w.b, "\r\n"...)
}

// ambiguous reports whether the wall clock t shows in loc also shows at
// another instant (the hour the clocks go back).
func ambiguous(t time.Time, loc *time.Location) bool {
	l := t.In(loc)
	wall := time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), l.Second(), l.Nanosecond(), time.UTC)
	for _, probe := range []time.Time{t.Add(-26 * time.Hour), t.Add(26 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		if other := wall.Add(-time.Duration(off) * time.Second); !other.Equal(t) {
			if _, o2 := other.In(loc).Zone(); o2 == off {
				return true
			}
		}
	}
	return false
}

// index returns the latest k whose period is at or before t: an estimate
// from the distance to the start, then steps.
func (r Recurrence) index(t time.Time, loc *time.Location) int {
	k := 0
	if r.Rule.Freq == Weekly {
		k = int(t.Sub(r.Start) / (time.Duration(7*r.Rule.Interval) * 24 * time.Hour))
	} else {
		sy, sm, _ := r.Start.In(loc).Date()
		ty, tm, _ := t.In(loc).Date()
		k = ((ty*12 + int(tm)) - (sy*12 + int(sm))) / r.Rule.Interval
	}
	for r.period(k, loc).After(t) {
		k--
	}
	for !r.period(k+1, loc).After(t) {
		k++
	}
	return k
}

// zoneChanges lists a zone's changes of UTC offset, computed once for an
// export (past the zone file's table the time package computes each
// reading from the zone's rule, slowly) and extended as items need.
type zoneChanges struct {
	loc      *time.Location
	from, to time.Time
	list     []offsetChange
}

// offsetChange is a change of offset and the times of day, [lo, hi) in
// seconds after midnight, whose wall clocks it skips or repeats.
type offsetChange struct {
	at      time.Time
	lo, hi  int
	sameDay bool
}

func (z *zoneChanges) between(from, to time.Time) []offsetChange {
	switch {
	case z.list == nil && z.from.IsZero():
		z.list, z.from, z.to = offsetChanges(z.loc, from, to), from, to
	case from.Before(z.from):
		z.list, z.from = append(offsetChanges(z.loc, from, z.from), z.list...), from
	}
	if to.After(z.to) {
		z.list, z.to = append(z.list, offsetChanges(z.loc, z.to, to)...), to
	}
	lo, _ := slices.BinarySearchFunc(z.list, from, func(c offsetChange, t time.Time) int { return c.at.Compare(t) })
	hi, _ := slices.BinarySearchFunc(z.list, to, func(c offsetChange, t time.Time) int { return c.at.Compare(t) })
	return z.list[lo:hi]
}

// offsetChanges returns the changes of loc's UTC offset in (from, to].
func offsetChanges(loc *time.Location, from, to time.Time) []offsetChange {
	var out []offsetChange
	_, end := from.In(loc).ZoneBounds()
	_, last := from.In(loc).Zone()
	for !end.IsZero() && !end.After(to) {
		if _, off := end.In(loc).Zone(); off != last {
			b, e := end.Add(-time.Second).In(loc), end.In(loc)
			lo, hi := b.Hour()*3600+b.Minute()*60+b.Second()+1, e.Hour()*3600+e.Minute()*60+e.Second()
			if lo > hi {
				lo, hi = hi, lo
			}
			out = append(out, offsetChange{at: end, lo: lo, hi: hi, sameDay: b.Day() == e.Day()})
			last = off
		}
		at := end
		_, end = at.In(loc).ZoneBounds()
		for !end.IsZero() && !end.After(at) { // see writeVTimezone
			at = at.Add(time.Hour)
			_, end = at.In(loc).ZoneBounds()
		}
	}
	return out
}
