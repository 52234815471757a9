package review

import (
	"strconv"
	"strings"
	"time"
)

// Rule is a recurrence rule for regular reviews: "every 3 months", "every 6
// months on the first Monday", "every 2 weeks". A Rule says how often; the
// [Recurrence] that holds it says from when, and at what time of day.
//
// The zero Rule is invalid. Rules are comparable values and marshal to their
// text form ([Rule.String], [ParseRule]).
type Rule struct {
	Freq     Freq         // Weekly or Monthly
	Interval int          // every Interval weeks or months, 1 to 999
	Nth      int          // Monthly only: 0 keeps the start's day of the month; 1 to 4 or -1 (last) picks that Weekday of the month
	Weekday  time.Weekday // with Nth: which weekday
}

// Every returns the rule "every n weeks" or "every n months".
func Every(n int, f Freq) Rule { return Rule{Freq: f, Interval: n} }

// On returns r restricted to the nth weekday wd of the month (n from 1 to
// 4, or -1 for the last): Every(6, Monthly).On(1, time.Monday) is "every 6
// months on the first Monday".
func (r Rule) On(n int, wd time.Weekday) Rule { r.Nth, r.Weekday = n, wd; return r }

// Validate reports what is wrong with r, with [ErrInvalidRule].
func (r Rule) Validate() error {
	const act = "check rule"
	switch {
	case !r.Freq.Valid():
		return refuse(act, ErrInvalidRule, "frequency %d is neither weekly nor monthly", uint8(r.Freq))
	case r.Interval < 1 || r.Interval > 999:
		return refuse(act, ErrInvalidRule, "interval %d is outside 1 to 999", r.Interval)
	case r.Weekday < time.Sunday || r.Weekday > time.Saturday:
		return refuse(act, ErrInvalidRule, "weekday %d is not a weekday", int(r.Weekday))
	case r.Freq == Weekly && (r.Nth != 0 || r.Weekday != 0):
		return refuse(act, ErrInvalidRule, "a weekly rule recurs on its start's weekday and takes no nth weekday")
	case r.Nth != 0 && (r.Nth < -1 || r.Nth > 4):
		return refuse(act, ErrInvalidRule, "nth weekday %d is not 1 to 4 or -1 (last)", r.Nth)
	case r.Nth == 0 && r.Weekday != 0:
		return refuse(act, ErrInvalidRule, "a weekday needs an nth (first to fourth, or last)")
	}
	return nil
}

var ordinals = []string{"last", "", "first", "second", "third", "fourth"} // index nth+1

// String returns the rule in words: "every month", "every 3 months",
// "every 6 months on the first Monday", "every week", "every 2 weeks". An
// invalid rule gives "invalid rule".
func (r Rule) String() string {
	if r.Validate() != nil {
		return "invalid rule"
	}
	unit := "week"
	if r.Freq == Monthly {
		unit = "month"
	}
	var b strings.Builder
	b.WriteString("every ")
	if r.Interval == 1 {
		b.WriteString(unit)
	} else {
		b.WriteString(strconv.Itoa(r.Interval) + " " + unit + "s")
	}
	if r.Nth != 0 {
		b.WriteString(" on the " + ordinals[r.Nth+1] + " " + r.Weekday.String())
	}
	return b.String()
}

// ParseRule parses the text form of [Rule.String], exactly.
func ParseRule(s string) (Rule, error) {
	bad := func(why string) (Rule, error) {
		return Rule{}, refuse("parse rule", ErrInvalidRule, "%q %s (want e.g. \"every 3 months\", \"every 6 months on the first Monday\" or \"every 2 weeks\")", clip(s), why)
	}
	words := strings.Split(s, " ")
	if len(words) < 2 || words[0] != "every" {
		return bad("does not start with \"every\"")
	}
	r := Rule{Interval: 1}
	rest := words[1:]
	if n, err := strconv.Atoi(rest[0]); err == nil && rest[0] == strconv.Itoa(n) {
		if n < 2 || len(rest) < 2 {
			return bad("has a count without a plural unit")
		}
		r.Interval = n
		rest = rest[1:]
		switch rest[0] {
		case "weeks":
			r.Freq = Weekly
		case "months":
			r.Freq = Monthly
		default:
			return bad("has no unit (weeks or months)")
		}
	} else {
		switch rest[0] {
		case "week":
			r.Freq = Weekly
		case "month":
			r.Freq = Monthly
		default:
			return bad("has no unit (week or month)")
		}
	}
	rest = rest[1:]
	if len(rest) > 0 {
		if len(rest) != 4 || rest[0] != "on" || rest[1] != "the" {
			return bad("has trailing words")
		}
		nth := -2
		for i, o := range ordinals {
			if o != "" && o == rest[2] {
				nth = i - 1
			}
		}
		wd := -1
		for d := time.Sunday; d <= time.Saturday; d++ {
			if d.String() == rest[3] {
				wd = int(d)
			}
		}
		if nth == -2 || wd < 0 {
			return bad("names no nth weekday (first to fourth, or last, then a weekday)")
		}
		r.Nth, r.Weekday = nth, time.Weekday(wd)
	}
	if err := r.Validate(); err != nil {
		return Rule{}, refuse("parse rule", ErrInvalidRule, "%q: %s", clip(s), detail(err))
	}
	return r, nil
}

// MarshalText implements encoding.TextMarshaler.
func (r Rule) MarshalText() ([]byte, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return []byte(r.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with [ParseRule].
func (r *Rule) UnmarshalText(b []byte) error {
	p, err := ParseRule(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// Recurrence is a [Rule] anchored at a start: the first occurrence is at or
// after Start, and every occurrence keeps Start's wall clock in the
// calendar's zone. A monthly rule without an nth weekday keeps Start's day
// of the month, clamped in shorter months without drifting (a start on 31
// January recurs on 28 or 29 February, then 31 March). Wall clocks that a
// DST change skips or repeats are resolved by [LocalTime]'s rule.
//
// Occurrence k is computed from the start, never from occurrence k-1, so
// occurrences strictly increase and none is skipped or repeated.
type Recurrence struct {
	Rule  Rule      `json:"rule"`
	Start time.Time `json:"start"` // UTC, microsecond precision in events
}

// IsZero reports whether r is the zero Recurrence (no recurrence).
func (r Recurrence) IsZero() bool { return r.Rule == Rule{} && r.Start.IsZero() }

// Validate reports what is wrong with r.
func (r Recurrence) Validate() error {
	if err := r.Rule.Validate(); err != nil {
		return err
	}
	if r.Start.IsZero() {
		return refuse("check recurrence", ErrInvalidRule, "a recurrence needs a start")
	}
	return nil
}

// period returns the candidate occurrence of period k (k ≥ 0), which for an
// nth-weekday rule in period 0 may lie before Start.
func (r Recurrence) period(k int, loc *time.Location) time.Time {
	s := r.Start.In(loc)
	y, m, d := s.Date()
	hh, mm, ss, ns := s.Hour(), s.Minute(), s.Second(), s.Nanosecond()
	if r.Rule.Freq == Weekly {
		return LocalTime(loc, y, m, d+7*r.Rule.Interval*k, hh, mm, ss, ns)
	}
	ty, tm := addMonth(y, m, r.Rule.Interval*k)
	if r.Rule.Nth == 0 {
		return LocalTime(loc, ty, tm, min(d, DaysIn(ty, tm)), hh, mm, ss, ns)
	}
	return LocalTime(loc, ty, tm, NthWeekday(ty, tm, r.Rule.Weekday, r.Rule.Nth), hh, mm, ss, ns)
}

// After returns the first occurrence strictly after t in zone loc (nil
// means UTC). It returns the zero time for an invalid recurrence.
func (r Recurrence) After(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	if r.Validate() != nil {
		return time.Time{}
	}
	k := 0
	if t.After(r.Start) {
		// Start a period or two early, then step: the estimate never overshoots.
		if r.Rule.Freq == Weekly {
			k = int(t.Sub(r.Start)/(time.Duration(7*r.Rule.Interval)*24*time.Hour)) - 1
		} else {
			sy, sm, _ := r.Start.In(loc).Date()
			ty, tm, _ := t.In(loc).Date()
			k = ((ty*12+int(tm))-(sy*12+int(sm)))/r.Rule.Interval - 1
		}
		k = max(k, 0)
	}
	for {
		o := r.period(k, loc)
		if o.After(t) && !o.Before(r.Start) {
			return o
		}
		k++
	}
}

// First returns the first occurrence: the first at or after Start.
func (r Recurrence) First(loc *time.Location) time.Time {
	return r.After(r.Start.Add(-time.Nanosecond), loc)
}
