package storetest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/store"
)

// testStoreMeetings: a circle's meetings through the Store.
func testStoreMeetings(t *testing.T, s *store.Store) {
	t.Run("ActsAreRecordedInTheSameAppend", func(t *testing.T) { testMeetingRecordsActs(t, s) })
	t.Run("ConcurrentActsInAMeetingAreAllRecorded", func(t *testing.T) { testMeetingConcurrentActs(t, s) })
	t.Run("ErasureReachesTheAgenda", func(t *testing.T) { testMeetingErasure(t, s) })
}

// testMeetingRecordsActs: the agenda is built from what the Store holds;
// an act done in the meeting is recorded by the meeting in the same atomic
// append, or refused with nothing written; the minutes are read by people
// of the organisation only, with confidential items withheld from everyone
// outside the circle.
func testMeetingRecordsActs(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org := fixture(t, s, 4)
	_, err := s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(pid(1), at, circle.PersonSpec{ID: pid(5), Label: "P5", Class: circle.Investor})
	}, &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	proc := consent.ProcessID(uuid.New())
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{ID: proc, Circle: team, Proposer: pid(3), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Rota swaps", Driver: "Swaps get lost", Text: "Swaps go on the board."}}, &store.WriteOptions{At: at(2)})
	require.NoError(t, err)
	id := meeting.MeetingID(uuid.New())
	_, err = s.ConveneMeeting(ctx, org, meeting.Spec{ID: id, Circle: team, Title: "Care team North, January",
		Facilitator: pid(1), Secretary: pid(2), Scheduled: at(60)}, &store.WriteOptions{At: at(3)})
	require.NoError(t, err)
	act := func(when int, f func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error)) {
		t.Helper()
		_, err := s.ActMeeting(ctx, org, id, func(m *meeting.Meeting, _ *circle.Organisation, at time.Time) ([]meeting.Event, error) {
			return f(m, at)
		}, &store.WriteOptions{At: at(when)})
		require.NoError(t, err)
	}

	// The agenda: the open process, and a member's confidential request.
	src, err := s.MeetingAgenda(ctx, org, team, at(60))
	require.NoError(t, err)
	require.Len(t, src.Processes, 1)
	assert.Equal(t, proc, src.Processes[0].ID())
	act(4, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
		return m.AddItems(pid(2), at, meeting.AgendaFrom(src)...)
	})
	act(5, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
		return m.RequestItem(pid(3), at, "A person's support plan", true)
	})
	open, err := s.OpenMeetings(ctx, org, team)
	require.NoError(t, err)
	assert.Equal(t, []meeting.MeetingID{id}, open)

	present := func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
		return p.Present(pid(1), at, []circle.PersonID{pid(1), pid(2), pid(3), pid(4)})
	}
	// Before the meeting opens, an act named in it is refused and nothing
	// is written.
	before, err := s.Head(ctx, org)
	require.NoError(t, err)
	_, err = s.ActProcess(ctx, org, proc, present, &store.WriteOptions{At: at(6), Meeting: id, Item: 1})
	require.ErrorIs(t, err, meeting.ErrPhase)
	after, err := s.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, before, after, "a refused act in a meeting writes nothing")
	p, err := s.Process(ctx, org, proc)
	require.NoError(t, err)
	assert.Equal(t, consent.PhaseDraft, p.Phase())

	act(60, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) { return m.Open(pid(1), at) })
	// A meeting's own acts are its record, never linked to itself.
	_, err = s.ActMeeting(ctx, org, id, func(m *meeting.Meeting, _ *circle.Organisation, at time.Time) ([]meeting.Event, error) {
		return m.Attend(pid(2), at, pid(1), meeting.Present)
	}, &store.WriteOptions{At: at(61), Meeting: id})
	require.ErrorIs(t, err, store.ErrInvalid)

	// Nobody links acts by hand: only the Store records what an append wrote.
	_, err = s.ActMeeting(ctx, org, id, func(m *meeting.Meeting, _ *circle.Organisation, at time.Time) ([]meeting.Event, error) {
		return m.RecordActs(pid(2), at, 1, []meeting.Link{{Stream: "consent", ID: proc.UUID(), From: 1, To: 1, Types: []string{"consent.decision_adopted"}}})
	}, &store.WriteOptions{At: at(61)})
	require.ErrorIs(t, err, store.ErrInvalid)

	// In session: the act and the meeting's record of it in one append,
	// once however often the command is retried.
	cmd := store.Command{ID: store.CommandID(uuid.New()), Payload: []byte("present rota swaps")}
	w := &store.WriteOptions{At: at(62), Meeting: id, Item: 1, Command: cmd}
	r, err := s.ActProcess(ctx, org, proc, present, w)
	require.NoError(t, err)
	again, err := s.ActProcess(ctx, org, proc, present, w)
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	es, err := s.Entries(ctx, r)
	require.NoError(t, err)
	var types []string
	for _, e := range es {
		types = append(types, e.Type)
	}
	assert.Equal(t, []string{"consent.presented", "meeting.acts_recorded"}, types, "the act and its record in one append")
	m, err := s.Meeting(ctx, org, id)
	require.NoError(t, err)
	links := m.Links()
	require.Len(t, links, 1, "a retried command is recorded once")
	assert.Equal(t, 1, links[0].Item)
	require.Len(t, links[0].Links, 1)
	l := links[0].Links[0]
	assert.Equal(t, meeting.Link{Stream: string(store.KindConsent), ID: proc.UUID(), From: es[0].Version, To: es[0].Version,
		Types: []string{"consent.presented"}}, l, "the link names the stream and versions the act wrote")
	assert.Equal(t, m.Secretary(), links[0].Actor, "the record is the secretary's")

	act(63, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
		return m.Attend(pid(2), at, pid(5), meeting.Guest)
	})
	act(64, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
		return m.Minute(pid(2), at, 1, meeting.OutcomeProgressed, "Presented; questions next time.")
	})
	act(65, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
		return m.Minute(pid(2), at, 2, meeting.OutcomeDecided, "The plan changes in March.")
	})
	_, err = s.Minutes(ctx, org, id, pid(5))
	require.ErrorIs(t, err, meeting.ErrNotPublished, "a guest does not read the draft")
	act(66, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) { return m.Close(pid(1), at) })
	act(67, func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) { return m.Publish(pid(2), at) })

	open, err = s.OpenMeetings(ctx, org, team)
	require.NoError(t, err)
	assert.Empty(t, open, "a published meeting is no longer open")
	mn, err := s.Minutes(ctx, org, id, pid(5))
	require.NoError(t, err)
	require.Len(t, mn.Items, 2)
	assert.True(t, mn.Items[1].Withheld, "the confidential item is withheld outside the circle")
	assert.NotContains(t, mn.Text(nil, nil), "March")
	mn, err = s.Minutes(ctx, org, id, pid(4))
	require.NoError(t, err)
	assert.Contains(t, mn.Text(nil, nil), "The plan changes in March.")
	_, err = s.Minutes(ctx, org, id, pid(99))
	require.ErrorIs(t, err, store.ErrNotFound, "the minutes are for people of the organisation")

	// The meeting's entries belong to its circle's logbook.
	circleLog, err := s.Log(ctx, store.LogQuery{Org: org, Circle: team})
	require.NoError(t, err)
	n := 0
	for _, e := range circleLog {
		if e.Stream.Kind == store.KindMeeting {
			n++
		}
	}
	m, err = s.Meeting(ctx, org, id)
	require.NoError(t, err)
	assert.Equal(t, int(m.Version()), n, "every meeting event is in the circle's logbook")
	_, err = s.Verify(ctx, org)
	require.NoError(t, err)
}

// inSession founds an organisation with a team of n, starts a process on
// it and convenes and opens a meeting of the team with the process on its
// agenda, and presents the process and opens its consent round in the
// meeting.
func inSession(t *testing.T, s *store.Store, n int) (circle.OrgID, consent.ProcessID, meeting.MeetingID) {
	t.Helper()
	ctx := context.Background()
	org := fixture(t, s, n)
	proc := consent.ProcessID(uuid.New())
	_, err := s.StartProcess(ctx, org, consent.ProcessSpec{ID: proc, Circle: team, Proposer: pid(2), Facilitator: pid(1),
		Proposal: consent.Proposal{Title: "Rota swaps for Ben's evenings", Driver: "Swaps get lost", Text: "Swaps go on the board."}}, &store.WriteOptions{At: at(1)})
	require.NoError(t, err)
	id := meeting.MeetingID(uuid.New())
	_, err = s.ConveneMeeting(ctx, org, meeting.Spec{ID: id, Circle: team, Title: "Team meeting", Facilitator: pid(1), Secretary: pid(2), Scheduled: at(10)}, &store.WriteOptions{At: at(2)})
	require.NoError(t, err)
	src, err := s.MeetingAgenda(ctx, org, team, at(10))
	require.NoError(t, err)
	for i, f := range []func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error){
		func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) {
			return m.AddItems(pid(2), at, meeting.AgendaFrom(src)...)
		},
		func(m *meeting.Meeting, at time.Time) ([]meeting.Event, error) { return m.Open(pid(1), at) },
	} {
		_, err := s.ActMeeting(ctx, org, id, func(m *meeting.Meeting, _ *circle.Organisation, at time.Time) ([]meeting.Event, error) {
			return f(m, at)
		}, &store.WriteOptions{At: at(3 + i)})
		require.NoError(t, err)
	}
	var all []circle.PersonID
	for i := 1; i <= n; i++ {
		all = append(all, pid(i))
	}
	for i, f := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.Present(pid(1), at, all) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) { return p.SkipReactions(pid(1), at) },
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(pid(1), at, all, time.Time{})
		},
	} {
		_, err := s.ActProcess(ctx, org, proc, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return f(p, at)
		}, &store.WriteOptions{At: at(5 + i), Meeting: id, Item: 1})
		require.NoError(t, err)
	}
	return org, proc, id
}

// testMeetingConcurrentActs: members answering a round at once, in a
// meeting, all succeed, and the meeting records every answer, each linked
// to the version of the process it wrote.
func testMeetingConcurrentActs(t *testing.T, s *store.Store) {
	ctx := context.Background()
	const n = 16
	org, proc, id := inSession(t, s, n)
	before, err := s.Meeting(ctx, org, id)
	require.NoError(t, err)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 1; i <= n; i++ {
		wg.Go(func() {
			<-start
			_, err := s.ActProcess(ctx, org, proc, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
				return p.Consent(pid(i), at)
			}, &store.WriteOptions{Meeting: id, Item: 1})
			errs <- err
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	m, err := s.Meeting(ctx, org, id)
	require.NoError(t, err)
	links := m.Links()[len(before.Links()):]
	require.Len(t, links, n, "every answer is recorded")
	p, err := s.Process(ctx, org, proc)
	require.NoError(t, err)
	seen := map[uint64]bool{}
	for _, r := range links {
		require.Len(t, r.Links, 1)
		l := r.Links[0]
		assert.Equal(t, proc.UUID(), l.ID)
		assert.Equal(t, l.From, l.To)
		assert.False(t, seen[l.From], "each answer links its own version")
		seen[l.From] = true
		assert.LessOrEqual(t, l.To, p.Version())
	}
	_, err = s.Verify(ctx, org)
	require.NoError(t, err)
}

// testMeetingErasure: erasing a proposal's title erases its copy on the
// agenda of the circle's meetings too, so published minutes never show it.
func testMeetingErasure(t *testing.T, s *store.Store) {
	ctx := context.Background()
	org, proc, id := inSession(t, s, 3)
	es, err := s.Log(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)
	var started uint64
	for _, e := range es {
		if e.Type == "consent.started" && e.Stream.ID == proc.UUID() {
			started = e.Seq
		}
	}
	require.NotZero(t, started)
	_, err = s.EraseText(ctx, org, started, []string{"proposal.title"}, store.Erasure{Actor: pid(1), Reason: "erasure request"}, nil)
	require.NoError(t, err)
	m, err := s.Meeting(ctx, org, id)
	require.NoError(t, err)
	require.NotEmpty(t, m.Items())
	assert.Equal(t, "Consent: "+store.Erased, m.Items()[0].Title)
	mn, err := m.Minutes(pid(1))
	require.NoError(t, err)
	assert.NotContains(t, mn.Text(nil, nil), "Ben's evenings")
	_, err = s.Verify(ctx, org)
	require.NoError(t, err)
}
