package review

import (
	"iter"
	"math"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// DueBefore yields the open items due strictly before t, earliest first
// (ties in ID order). It walks the ordered index from its start and stops at
// t, or when the caller stops: taking the first n costs O(log N + n) for a
// calendar of N items, whatever N is.
func (c *Calendar) DueBefore(t time.Time) iter.Seq[Item] {
	return c.span(math.MinInt64, ceilMicros(t))
}

// DueBetween yields the open items due in [from, to), earliest first.
func (c *Calendar) DueBetween(from, to time.Time) iter.Seq[Item] {
	return c.span(ceilMicros(from), ceilMicros(to))
}

// span yields the open items due in [lo, hi) Unix microseconds.
func (c *Calendar) span(lo, hi int64) iter.Seq[Item] {
	return func(yield func(Item) bool) {
		c.due.ascend(key{due: lo}, func(k key) bool {
			return k.due < hi && yield(*c.items[k.id])
		})
	}
}

// Due returns the open items whose due instant has come at now (due at or
// before now), earliest first. It includes the overdue ones. "Due before t"
// never includes t, here ([Calendar.DueBefore]) and in a store's query of
// what is due before an instant; Due(now) is what is due before the next
// microsecond.
func (c *Calendar) Due(now time.Time) []Item {
	return c.collect(math.MinInt64, now.UnixMicro()+1)
}

// collect returns the open items due in [lo, hi), in one allocation.
func (c *Calendar) collect(lo, hi int64) []Item {
	n := 0
	c.due.ascend(key{due: lo}, func(k key) bool {
		if k.due >= hi {
			return false
		}
		n++
		return true
	})
	if n == 0 {
		return nil
	}
	out := make([]Item, 0, n)
	c.due.ascend(key{due: lo}, func(k key) bool {
		if len(out) == n {
			return false
		}
		out = append(out, *c.items[k.id])
		return true
	})
	return out
}

// Overdue returns the open items whose due date has passed: due before the
// start of now's local date in the calendar's zone, earliest first. An item
// due earlier today is due, not yet overdue.
func (c *Calendar) Overdue(now time.Time) []Item {
	return c.collect(math.MinInt64, ceilMicros(startOfDay(now, c.zone)))
}

// Upcoming returns the open items due after now and no later than
// now+within, earliest first.
func (c *Calendar) Upcoming(now time.Time, within time.Duration) []Item {
	return c.collect(now.UnixMicro()+1, now.Add(within).UnixMicro()+1)
}

// Agenda returns what circle cid must review at a meeting on meeting's
// local date: its open items due before the end of that date (overdue ones
// included), earliest first.
func (c *Calendar) Agenda(cid circle.CircleID, meeting time.Time) []Item {
	end := nextDay(meeting, c.zone)
	var out []*Item
	for id := range c.byCircle[cid] {
		if it := c.items[id]; it.Status == StatusOpen && it.Due.Before(end) {
			out = append(out, it)
		}
	}
	sortItems(out)
	res := make([]Item, len(out))
	for i, it := range out {
		res[i] = *it
	}
	return res
}

// sortItems orders open items by due instant then ID, and others by ID.
func sortItems(items []*Item) {
	slices.SortFunc(items, func(a, b *Item) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return a.ID.Compare(b.ID)
	})
}

// ceilMicros returns t in Unix microseconds rounded up, so that "before t"
// keeps every stored (microsecond) instant before t and no other.
// (UnixMicro itself rounds down, for instants before 1970 too.)
func ceilMicros(t time.Time) int64 {
	m := t.UnixMicro()
	if t.Nanosecond()%1000 != 0 {
		m++
	}
	return m
}
