package review_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
)

// memberRun acts on a member register and hands its events to a calendar,
// as a store does.
type memberRun struct {
	t   *testing.T
	o   *circle.Organisation
	reg *members.Register
	cal *review.Calendar
}

func newMemberRun(t *testing.T) *memberRun {
	o := org()
	reg, _, err := members.OpenFor(o, pid(1), t0)
	require.NoError(t, err)
	c, _ := newCalendar()
	return &memberRun{t: t, o: o, reg: reg, cal: c}
}

func (m *memberRun) do(evs []members.Event, err error) {
	m.t.Helper()
	require.NoError(m.t, err)
	for _, e := range evs {
		_, err := m.cal.ObserveMembers(m.reg, e)
		require.NoError(m.t, err)
	}
}

func (m *memberRun) item(p circle.PersonID, k members.ConditionKind, lapsed bool) review.Item {
	it, _ := m.cal.Item(review.ItemIDFor(orgID, review.KindMemberCondition, review.MembershipSource(p, k, lapsed)))
	return it
}

// docs/method.md, "Member register": conditions that lapse show on the
// calendar and are applied by an act, never silently.
func TestAMembershipConditionIsOnTheTopCirclesAgendaUntilApplied(t *testing.T) {
	m := newMemberRun(t)
	top, member := m.o.Top(), pid(2)
	ends := t0.AddDate(0, 6, 0)
	m.do(m.reg.Admit(m.o, pid(1), t0.Add(time.Hour), member, 0))
	m.do(m.reg.SetCondition(m.o, pid(1), t0.Add(time.Hour), member, members.ConditionSupport, ends))
	it := m.item(member, members.ConditionSupport, false)
	assert.Equal(t, review.StatusOpen, it.Status)
	assert.Equal(t, ends, it.Due)
	assert.Equal(t, top, it.Circle, "on the agenda of the circle that keeps the register")
	assert.Equal(t, member, it.Holder)
	assert.Equal(t, "Membership condition ends: support", it.Title, "titles never name the person")

	m.do(m.reg.SetCondition(m.o, pid(1), t0.Add(2*time.Hour), member, members.ConditionSupport, ends.AddDate(0, 1, 0)))
	assert.Equal(t, ends.AddDate(0, 1, 0), m.item(member, members.ConditionSupport, false).Due, "a new end date moves the item")

	lapsedAt := t0.AddDate(0, 3, 0)
	m.do(m.reg.LapseCondition(m.o, pid(1), lapsedAt, member, members.ConditionSupport, "support ended"))
	assert.Equal(t, review.StatusRetired, m.item(member, members.ConditionSupport, false).Status)
	lapse := m.item(member, members.ConditionSupport, true)
	assert.Equal(t, review.StatusOpen, lapse.Status)
	assert.Equal(t, lapsedAt, lapse.Due, "due at once")
	assert.Len(t, m.cal.Due(lapsedAt.Add(time.Minute)), 1)
	mem, _ := m.reg.Member(member)
	assert.True(t, mem.Current(), "the lapse alone ends nothing")

	m.do(m.reg.Cease(m.o, pid(1), lapsedAt.Add(time.Hour), member, "support ended"))
	assert.Equal(t, review.StatusRetired, m.item(member, members.ConditionSupport, true).Status, "applied: off the agenda")
	assert.Empty(t, m.cal.Due(lapsedAt.AddDate(1, 0, 0)))
}

func TestAClearedConditionLeavesTheAgenda(t *testing.T) {
	m := newMemberRun(t)
	member := pid(2)
	m.do(m.reg.Admit(m.o, pid(1), t0.Add(time.Hour), member, 0))
	m.do(m.reg.SetCondition(m.o, pid(1), t0.Add(time.Hour), member, members.ConditionInvestment, t0.AddDate(1, 0, 0)))
	m.do(m.reg.ClearCondition(m.o, pid(1), t0.Add(2*time.Hour), member, members.ConditionInvestment, "holds shares outright now"))
	assert.Equal(t, review.StatusRetired, m.item(member, members.ConditionInvestment, false).Status)
	m.do(m.reg.SetCondition(m.o, pid(1), t0.Add(3*time.Hour), member, members.ConditionWork, time.Time{}))
	assert.Empty(t, m.cal.Due(t0.AddDate(5, 0, 0)), "a condition without an end date is not on the calendar until it lapses")
	_, err := m.cal.ObserveMembers(m.reg, members.Opened{Header: circle.Header{Org: circle.OrgID(pid(9).UUID()), Actor: pid(1), At: t0}})
	assert.ErrorIs(t, err, review.ErrWrongOrganisation)
}
