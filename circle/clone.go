package circle

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of o: acts on the copy never change o, and the
// copy shares nothing mutable with it. The copy records nothing for
// [Organisation.Take] until it is asked.
func (o *Organisation) Clone() *Organisation {
	c := &Organisation{
		id: o.id, name: o.name, zone: o.zone, top: o.top, version: o.version, last: o.last,
		people:   make(map[PersonID]*Person, len(o.people)),
		circles:  make(map[CircleID]*Circle, len(o.circles)),
		personOf: make(map[PersonID]map[CircleID]struct{}, len(o.personOf)),
	}
	for id, p := range o.people {
		q := *p
		q.actsFor = slices.Clone(p.actsFor)
		c.people[id] = &q
	}
	for id, cs := range o.circles {
		d := *cs
		d.domain = slices.Clone(cs.domain)
		d.members = maps.Clone(cs.members)
		d.classes = maps.Clone(cs.classes)
		d.roles = maps.Clone(cs.roles)
		c.circles[id] = &d
	}
	// Children point into the copy's own circles, in the same order.
	for _, cs := range c.circles {
		if len(cs.children) == 0 {
			continue
		}
		kids := make([]*Circle, len(cs.children))
		for i, ch := range cs.children {
			kids[i] = c.circles[ch.id]
		}
		cs.children = kids
	}
	if o.mandates != nil {
		c.mandates = make(map[MandateID]Mandate, len(o.mandates))
		for id, m := range o.mandates {
			c.mandates[id] = m.clone()
		}
		c.heldBy = make(map[PersonID][]MandateID, len(o.heldBy))
		for h, ids := range o.heldBy {
			c.heldBy[h] = slices.Clone(ids)
		}
	}
	for p, set := range o.personOf {
		c.personOf[p] = maps.Clone(set)
	}
	return c
}
