package election

import (
	"maps"
	"slices"

	"github.com/coproduce/sociocracy/internal/outbox"
)

// Clone returns a deep copy of e: acts on the copy never change e, and the
// copy shares nothing mutable with it (its consent rounds are copies too).
// The copy records nothing for [Election.Take] until it is asked.
func (e *Election) Clone() *Election {
	c := *e
	c.out = outbox.Box[Event]{}
	c.participants = slices.Clone(e.participants)
	c.isParticipant = maps.Clone(e.isParticipant)
	c.ineligible = maps.Clone(e.ineligible)
	c.ineligibleList = slices.Clone(e.ineligibleList)
	c.rounds = slices.Clone(e.rounds)
	for i := range c.rounds {
		if c.rounds[i].round != nil {
			c.rounds[i].round = c.rounds[i].round.Clone()
		}
	}
	c.nominations = maps.Clone(e.nominations)
	c.order = slices.Clone(e.order)
	c.changes = slices.Clone(e.changes)
	c.among = slices.Clone(e.among)
	c.proposals = slices.Clone(e.proposals)
	c.declined = maps.Clone(e.declined)
	if e.outcome != nil {
		o := *e.outcome
		c.outcome = &o
	}
	return &c
}
