package review

import (
	"fmt"
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
	Duration time.Duration        // the length of each event; 0: none (an event at the due instant)
	Alarms   []int                // days before the due instant at which subscribers' calendars remind them (VALARM); none by default
}

// ICalendar returns the open items as an iCalendar (RFC 5545) document that
// members can subscribe to in the calendar they already use. stamp is the
// time of the export (DTSTAMP).
//
// Each item is one VEVENT whose UID is stable ("<item id>@review.sociocracy")
// and whose SEQUENCE is the item's revision, so a subscribed calendar moves
// a rescheduled item rather than adding a second one. DTSTART is the due
// date's wall clock with the calendar's TZID (or, for a due instant whose
// wall clock happens twice because the clocks go back, the instant in UTC,
// which no client can misread), and the document carries a
// VTIMEZONE listing every UTC offset change from a year before the first due
// date to a year after the last, so the times are right in clients that do
// not know the zone. Text is escaped and lines are folded at 75 octets
// without splitting a UTF-8 character, and every line ends in CRLF. The
// output depends only on the calendar, stamp and options.
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
	from, to := stamp, stamp
	if len(items) > 0 {
		from, to = items[0].Due, items[len(items)-1].Due
	}
	writeVTimezone(w, c.zone, from.AddDate(-1, 0, 0), to.AddDate(1, 0, 0))
	for _, it := range items {
		w.line("BEGIN:VEVENT")
		w.line("UID:" + it.ID.String() + "@review.sociocracy")
		w.line("DTSTAMP:" + stamp.UTC().Format("20060102T150405Z"))
		if ambiguous(it.Due, c.zone) {
			w.line("DTSTART:" + it.Due.UTC().Format("20060102T150405Z"))
		} else {
			w.line("DTSTART;TZID=" + paramValue(tzid) + ":" + it.Due.In(c.zone).Format("20060102T150405"))
		}
		if opt.Duration > 0 {
			w.line("DURATION:" + icalDuration(opt.Duration))
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
		for _, d := range opt.Alarms {
			if d < 0 {
				continue
			}
			w.line("BEGIN:VALARM")
			w.line("ACTION:DISPLAY")
			w.line("DESCRIPTION:" + escapeText(it.Title))
			w.line("TRIGGER:-P" + strconv.Itoa(d) + "D")
			w.line("END:VALARM")
		}
		w.line("END:VEVENT")
	}
	w.line("END:VCALENDAR")
	return w.b
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
	for !end.IsZero() && !end.After(to) {
		period(end, end)
		_, end = end.In(loc).ZoneBounds()
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
