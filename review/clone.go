package review

import (
	"maps"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// Clone returns a deep copy of c: acts on the copy never change c, and the
// copy shares nothing mutable with it. The copy records nothing for
// [Calendar.Take] until it is asked.
func (c *Calendar) Clone() *Calendar {
	d := &Calendar{
		org: c.org, zone: c.zone, version: c.version, bulk: c.bulk, last: c.last,
		items:    make(map[ItemID]*Item, len(c.items)),
		byCircle: make(map[circle.CircleID]map[ItemID]struct{}, len(c.byCircle)),
		amending: make(map[consent.ProcessID]map[ItemID]struct{}, len(c.amending)),
	}
	for id, it := range c.items {
		cp := *it
		d.items[id] = &cp
	}
	for k, set := range c.byCircle {
		d.byCircle[k] = maps.Clone(set)
	}
	for k, set := range c.amending {
		d.amending[k] = maps.Clone(set)
	}
	d.due = index{n: c.due.n, chunks: make([][]key, len(c.due.chunks))}
	for i, ch := range c.due.chunks {
		d.due.chunks[i] = append(make([]key, 0, cap(ch)), ch...)
	}
	return d
}
