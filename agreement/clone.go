package agreement

import (
	"maps"

	"github.com/coproduce/sociocracy/circle"
)

// Clone returns a deep copy of r: observing on the copy never changes r, and
// the copy shares nothing mutable with it. The copy records nothing for
// [Register.Take] until it is asked.
func (r *Register) Clone() *Register {
	d := &Register{
		org: r.org, version: r.version, last: r.last,
		list: make([]*Agreement, len(r.list)), byID: make(map[ID]*Agreement, len(r.byID)),
		byCircle:   make(map[circle.CircleID][]*Agreement, len(r.byCircle)),
		byDecision: maps.Clone(r.byDecision), reviews: maps.Clone(r.reviews),
	}
	for i, a := range r.list {
		cp := a.copy()
		d.list[i] = &cp
		d.byID[cp.ID] = &cp
		d.byCircle[cp.Circle] = append(d.byCircle[cp.Circle], &cp)
	}
	return d
}
