package review_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

func TestRemindersWalkTheStagesOfATermEnd(t *testing.T) {
	// "Every role is filled for a term; a term end is a review date."
	// (docs/method.md, "Roles"); the issue asks for a reminder 30 days before a
	// term ends, so an election can be held.
	o := org()
	c, _ := newCalendar()
	end := ldn(2026, time.April, 30, 17, 0)
	observeAll(t, c, must(o.AssignRole(pid(1), t0, cid(2), circle.Facilitator, pid(5), circle.Term{Start: t0, End: end})))
	cleo := review.Recipient{Circle: cid(2), Role: circle.Secretary, Person: pid(3)}
	eve := review.Recipient{Circle: cid(2), Person: pid(5)} // the holder
	ben := review.Recipient{Circle: cid(2), Role: circle.Leader, Person: pid(2)}
	parentSecretary := review.Recipient{Circle: cid(1), Role: circle.Secretary, Person: pid(5)}
	parentLeader := review.Recipient{Circle: cid(1), Role: circle.Leader, Person: pid(1)}

	tests := []struct {
		name  string
		now   time.Time
		stage review.Stage
		days  int
		level review.Escalation
		at    string
		to    []review.Recipient
	}{
		{"31 days before: nothing yet", ldn(2026, time.March, 30, 17, 0), 0, 0, 0, "", nil},
		// 31 March 17:00 BST is 30 local days before 30 April 17:00 BST.
		{"30 days before, to the secretary and the holder", ldn(2026, time.March, 31, 17, 0), review.StageAhead, 30, review.ToSecretary, "2026-03-31 17:00 BST", []review.Recipient{cleo, eve}},
		{"10 days before: still the 30-day reminder", ldn(2026, time.April, 20, 9, 0), review.StageAhead, 30, review.ToSecretary, "2026-03-31 17:00 BST", []review.Recipient{cleo, eve}},
		{"7 days before", ldn(2026, time.April, 23, 17, 0), review.StageAhead, 7, review.ToSecretary, "2026-04-23 17:00 BST", []review.Recipient{cleo, eve}},
		{"at the term end", end, review.StageDue, 0, review.ToSecretary, "2026-04-30 17:00 BST", []review.Recipient{cleo, eve}},
		{"13 days overdue: still due", ldn(2026, time.May, 13, 17, 0), review.StageDue, 0, review.ToSecretary, "2026-04-30 17:00 BST", []review.Recipient{cleo, eve}},
		{"14 days overdue: escalated to the leader", ldn(2026, time.May, 14, 17, 0), review.StageEscalated, 14, review.ToLeader, "2026-05-14 17:00 BST", []review.Recipient{ben}},
		{"28 days overdue: escalated to the parent circle", ldn(2026, time.May, 28, 17, 0), review.StageEscalated, 28, review.ToParent, "2026-05-28 17:00 BST", []review.Recipient{parentSecretary, parentLeader}},
		{"a year overdue: still the parent circle", ldn(2027, time.May, 28, 17, 0), review.StageEscalated, 28, review.ToParent, "2026-05-28 17:00 BST", []review.Recipient{parentSecretary, parentLeader}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Reminders(tt.now, o, nil)
			if tt.stage == 0 {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			r := got[0]
			assert.Equal(t, tt.stage, r.Stage)
			assert.Equal(t, tt.days, r.Days)
			assert.Equal(t, tt.level, r.Level)
			assert.Equal(t, tt.at, r.At.In(london).Format("2006-01-02 15:04 MST"))
			assert.Equal(t, tt.to, r.To)
			assert.Equal(t, review.KindTermEnd, r.Kind)
		})
	}
	t.Run("keys name the item, kind, stage and due instant", func(t *testing.T) {
		r := c.Reminders(ldn(2026, time.April, 23, 17, 0), o, nil)[0]
		assert.Equal(t, r.Item.String()+"/term-end/ahead-7d/2026-04-30T16:00:00.000000Z", r.Key())
		r = c.Reminders(ldn(2026, time.May, 28, 17, 0), o, nil)[0]
		assert.Equal(t, r.Item.String()+"/term-end/escalated-parent/2026-04-30T16:00:00.000000Z", r.Key())
	})
}

func TestReminderEscalationSkipsVacantRoles(t *testing.T) {
	o := org()
	must(o.EndRole(pid(1), t0, cid(2), circle.Secretary))
	must(o.EndRole(pid(1), t0, cid(2), circle.Leader))
	c, _ := newCalendar()
	due := ldn(2026, time.March, 2, 10, 0)
	must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))
	must(c.Schedule(pid(1), t0, policy(2, cid(1), due)))
	got := c.Reminders(due, o, nil)
	require.Len(t, got, 2)
	byCircle := map[circle.CircleID]review.Reminder{got[0].Circle: got[0], got[1].Circle: got[1]}
	assert.Equal(t, []review.Recipient{{Circle: cid(1), Role: circle.Secretary, Person: pid(5)}, {Circle: cid(1), Role: circle.Leader, Person: pid(1)}},
		byCircle[cid(2)].To, "a team without secretary or leader: the parent circle hears at once")
	assert.Equal(t, review.ToSecretary, byCircle[cid(2)].Level, "the key's level is the stage's, whoever receives it")
	top := c.Reminders(due.AddDate(0, 2, 0), o, nil)
	for _, r := range top {
		if r.Circle == cid(1) {
			assert.Equal(t, review.ToParent, r.Level)
			assert.Equal(t, []review.Recipient{{Circle: cid(1), Role: circle.Leader, Person: pid(1)}}, r.To,
				"the top circle has no parent: its last rung is its leader (review.Calendar.Reminders)")
		}
	}
	assert.Empty(t, c.Reminders(due, nil, nil)[0].To, "no organisation, no recipients")
}

func TestReminderPolicy(t *testing.T) {
	c, _ := newCalendar()
	due := ldn(2026, time.June, 30, 10, 0)
	must(c.Schedule(pid(1), t0, policy(1, cid(2), due)))
	assert.Empty(t, c.Reminders(ldn(2026, time.June, 15, 10, 0), nil, nil), "the default lead is 14 days")
	assert.Len(t, c.Reminders(ldn(2026, time.June, 16, 10, 0), nil, nil), 1)
	p := &review.ReminderPolicy{Ahead: []int{60}, AheadFor: map[review.Kind][]int{review.KindCircleReview: {3}}, GraceDays: 2}
	r := c.Reminders(ldn(2026, time.May, 1, 10, 0), nil, p)
	require.Len(t, r, 1)
	assert.Equal(t, 60, r[0].Days)
	r = c.Reminders(ldn(2026, time.July, 2, 10, 0), nil, p)
	assert.Equal(t, review.ToLeader, r[0].Level)
	assert.Equal(t, 2, r[0].Days)
}

// Property: at any moment, the reminders of a calendar have distinct keys;
// asking again at the same moment, or after more items are scheduled, gives
// the same key for the same item and stage; and every reminder's send time
// has come, its item is open, and its key changes only when its stage or the
// item's due date does.
func TestPropertyReminderKeysUniqueAndStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		o := org()
		c, _ := newCalendar()
		base := ldn(2026, time.January, 1, 9, 0)
		day := func(label string) time.Time {
			return review.AddDays(base, rapid.IntRange(0, 400).Draw(t, label), london)
		}
		n := rapid.IntRange(1, 60).Draw(t, "items")
		for i := range n {
			spec := policy(i, rapid.SampledFrom([]circle.CircleID{cid(1), cid(2)}).Draw(t, "circle"), day("due"))
			spec.Kind = rapid.SampledFrom(review.Kinds()).Draw(t, "kind")
			_, _ = c.Schedule(pid(1), t0, spec)
		}
		now := day("now")
		p := &review.ReminderPolicy{Ahead: []int{rapid.IntRange(1, 90).Draw(t, "lead"), 1}, GraceDays: rapid.IntRange(1, 30).Draw(t, "grace")}
		first := c.Reminders(now, o, p)
		keys := map[string]review.Reminder{}
		for _, r := range first {
			if _, dup := keys[r.Key()]; dup {
				t.Fatalf("key %s twice", r.Key())
			}
			keys[r.Key()] = r
			if r.At.After(now) {
				t.Fatalf("reminder %s sent at %s, after now %s", r.Key(), r.At, now)
			}
			it, _ := c.Item(r.Item)
			if it.Status != review.StatusOpen || !it.Due.Equal(r.Due) {
				t.Fatalf("reminder %s for an item that is not open at that date", r.Key())
			}
		}
		assert.Equal(t, first, c.Reminders(now, o, p), "asking twice gives the same reminders")
		// Each open item's reminder is the latest of its stages whose send
		// time has come, computed naively.
		byItem := map[review.ItemID]review.Reminder{}
		for _, r := range first {
			byItem[r.Item] = r
		}
		for _, it := range c.Items() {
			if it.Status != review.StatusOpen {
				continue
			}
			type stage struct {
				at    time.Time
				key   string
				level review.Escalation
			}
			var latest *stage
			consider := func(s stage) {
				if !s.at.After(now) && (latest == nil || s.at.After(latest.at) || s.at.Equal(latest.at) && s.level > latest.level) {
					latest = &s
				}
			}
			lead := p.Ahead
			if it.Kind == review.KindTermEnd {
				lead = []int{30, 7}
			}
			for _, d := range lead {
				consider(stage{review.AddDays(it.Due, -d, london), "ahead-" + itoa(d) + "d", review.ToSecretary})
			}
			consider(stage{it.Due, "due", review.ToSecretary})
			consider(stage{review.AddDays(it.Due, p.GraceDays, london), "escalated-leader", review.ToLeader})
			consider(stage{review.AddDays(it.Due, 2*p.GraceDays, london), "escalated-parent", review.ToParent})
			r, ok := byItem[it.ID]
			if latest == nil {
				if ok {
					t.Fatalf("item %s has reminder %s, the model none", it.Title, r.Key())
				}
				continue
			}
			if !ok || !strings.Contains(r.Key(), "/"+latest.key+"/") || !r.At.Equal(latest.at) {
				t.Fatalf("item %s: reminder %v, model %s at %s", it.Title, r, latest.key, latest.at)
			}
		}
		// More items, and a little later: the old items keep their keys
		// unless their stage moved on.
		for i := range rapid.IntRange(0, 20).Draw(t, "more") {
			_, _ = c.Schedule(pid(1), t0, policy(1000+i, cid(2), day("due")))
		}
		later := now.Add(time.Duration(rapid.IntRange(0, 48).Draw(t, "hours")) * time.Hour)
		for _, r := range c.Reminders(later, o, p) {
			if old, ok := keys[r.Key()]; ok {
				assert.Equal(t, old.Stage, r.Stage)
				assert.Equal(t, old.At, r.At)
			}
		}
		// The same question of a rebuilt calendar gives the same keys.
		replayed, err := review.Replay(append([]review.Event{review.Opened{Header: circle.Header{Org: orgID, Actor: pid(1), At: t0}, Zone: "Europe/London"}}, scheduledEvents(c)...))
		if err != nil {
			t.Fatalf("replay: %v", err)
		}
		again := replayed.Reminders(later, o, p)
		assert.Equal(t, c.Reminders(later, o, p), again)
	})
}

// scheduledEvents returns ItemScheduled events that rebuild c's open items
// (which in this property were only ever scheduled).
func scheduledEvents(c *review.Calendar) []review.Event {
	var out []review.Event
	for _, it := range c.Items() {
		out = append(out, review.ItemScheduled{Header: circle.Header{Org: orgID, Actor: pid(1), At: t0}, Item: it.ID, Kind: it.Kind, Circle: it.Circle,
			Title: it.Title, Source: it.Source, Due: it.Due})
	}
	return out
}
