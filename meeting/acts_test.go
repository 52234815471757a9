package meeting_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/review"
)

func TestConveneRefusesWhatNoMeetingCanBe(t *testing.T) {
	org := teamOrg(3)
	for _, tc := range []struct {
		name   string
		change func(*meeting.Spec)
		want   error
	}{
		{"without an id", func(s *meeting.Spec) { s.ID = meeting.MeetingID{} }, meeting.ErrMissingID},
		{"of an unknown circle", func(s *meeting.Spec) { s.Circle = cid(9) }, meeting.ErrUnknownCircle},
		{"facilitated by a non-member", func(s *meeting.Spec) { s.Facilitator = pid(4) }, meeting.ErrNotMember},
		{"minuted by a non-member", func(s *meeting.Spec) { s.Secretary = pid(4) }, meeting.ErrNotMember},
		{"with an empty title", func(s *meeting.Spec) { s.Title = " " }, meeting.ErrInvalidText},
		{"with a title of two lines", func(s *meeting.Spec) { s.Title = "a\nb" }, meeting.ErrInvalidText},
		{"without a date", func(s *meeting.Spec) { s.Scheduled = time.Time{} }, meeting.ErrInvalidItem},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := spec()
			tc.change(&s)
			_, _, err := meeting.Convene(org, s, at(0))
			require.ErrorIs(t, err, tc.want)
			var me *meeting.Error
			require.ErrorAs(t, err, &me)
			assert.True(t, strings.HasPrefix(err.Error(), "meeting: convene meeting: "), err.Error())
		})
	}
}

func TestConveneSnapshotsTheCirclesMembers(t *testing.T) {
	m, evs := convene(3)
	require.Len(t, evs, 1)
	assert.Equal(t, []circle.PersonID{pid(1), pid(2), pid(3)}, sortedIDs(m.Members()))
	assert.Equal(t, meeting.PhasePlanned, m.Phase())
	assert.False(t, m.IsMember(pid(4)))
}

func sortedIDs(ps []circle.PersonID) []circle.PersonID {
	out := append([]circle.PersonID(nil), ps...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j].Compare(out[i]) < 0 {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// The authority of every act: who may do it, refused with its sentinel
// for anyone else, and nothing changed.
func TestOnlyTheRightPersonActs(t *testing.T) {
	item := meeting.ItemSpec{Source: meeting.SourceRequest, Title: "Rota"}
	for _, tc := range []struct {
		name  string
		setup func(m *meeting.Meeting)
		act   func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error)
		ok    []int // the people (1: facilitator, 2: secretary, 3: member, 4: outsider) who may
		want  error // the refusal of the others
	}{
		{"add items: facilitator or secretary", nil, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.AddItems(who, at(1), item)
		}, []int{1, 2}, meeting.ErrNotHost},
		{"request an item: any member", nil, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.RequestItem(who, at(1), "Holiday cover", false)
		}, []int{1, 2, 3}, meeting.ErrNotMember},
		{"open: the facilitator", nil, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Open(who, at(1))
		}, []int{1}, meeting.ErrNotFacilitator},
		{"record attendance: facilitator or secretary", open, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Attend(who, at(2), pid(3), meeting.Present)
		}, []int{1, 2}, meeting.ErrNotHost},
		{"send apologies: a member", nil, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.SendApologies(who, at(1))
		}, []int{1, 2, 3}, meeting.ErrAttendance},
		{"minute: the secretary", openWithItem, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Minute(who, at(3), 1, meeting.OutcomeNoted, "")
		}, []int{2}, meeting.ErrNotSecretary},
		{"close: the facilitator", open, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Close(who, at(2))
		}, []int{1}, meeting.ErrNotFacilitator},
		{"publish: the secretary", closed, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Publish(who, at(5))
		}, []int{2}, meeting.ErrNotSecretary},
		{"cancel: the facilitator", nil, func(m *meeting.Meeting, who circle.PersonID) ([]meeting.Event, error) {
			return m.Cancel(who, at(1), "nobody can come")
		}, []int{1}, meeting.ErrNotFacilitator},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for who := 1; who <= 4; who++ {
				m, _ := convene(3)
				if tc.setup != nil {
					tc.setup(m)
				}
				before := m.Version()
				_, err := tc.act(m, pid(who))
				allowed := false
				for _, p := range tc.ok {
					allowed = allowed || p == who
				}
				if allowed {
					require.NoError(t, err, "P%d", who)
					continue
				}
				require.ErrorIs(t, err, tc.want, "P%d", who)
				assert.Equal(t, before, m.Version(), "a refused act changed the meeting")
			}
		})
	}
}

func open(m *meeting.Meeting) { must(m.Open(pid(1), at(1))) }

func openWithItem(m *meeting.Meeting) {
	must(m.RequestItem(pid(3), at(1), "Holiday cover", false))
	open(m)
}

func closed(m *meeting.Meeting) {
	openWithItem(m)
	must(m.Minute(pid(2), at(2), 1, meeting.OutcomeNoted, ""))
	must(m.Close(pid(1), at(3)))
}

func TestAttendanceFollowsMembership(t *testing.T) {
	m, _ := convene(3)
	_, err := m.Attend(pid(1), at(1), pid(3), meeting.Present)
	require.ErrorIs(t, err, meeting.ErrPhase, "presence is recorded in session")
	must(m.Attend(pid(1), at(1), pid(3), meeting.Apologies))
	open(m)
	_, err = m.Attend(pid(1), at(2), pid(4), meeting.Present)
	require.ErrorIs(t, err, meeting.ErrAttendance, "a non-member attends as a guest")
	_, err = m.Attend(pid(1), at(2), pid(3), meeting.Guest)
	require.ErrorIs(t, err, meeting.ErrAttendance, "a member is not a guest")
	_, err = m.Attend(pid(1), at(2), pid(3), meeting.Apologies)
	require.ErrorIs(t, err, meeting.ErrUnchanged)
	must(m.Attend(pid(1), at(2), pid(4), meeting.Guest))
	must(m.Attend(pid(1), at(2), pid(3), meeting.Present)) // came after all
	must(m.Close(pid(1), at(3)))
	a, _ := m.AttendanceOf(pid(2))
	assert.Equal(t, meeting.Absent, a, "unrecorded members are absent at the close")
	a, _ = m.AttendanceOf(pid(3))
	assert.Equal(t, meeting.Present, a)
}

func TestItemsNameTheirSourceOnce(t *testing.T) {
	proc := consent.ProcessID(circletest.UUID(0x9c, 1))
	rev := review.ItemID(circletest.UUID(0x4e, 1))
	for _, tc := range []struct {
		name  string
		items []meeting.ItemSpec
		want  error
	}{
		{"a process item names its process", []meeting.ItemSpec{{Source: meeting.SourceProcess, Title: "x"}}, meeting.ErrInvalidItem},
		{"a request names no source", []meeting.ItemSpec{{Source: meeting.SourceRequest, Title: "x", Process: proc}}, meeting.ErrInvalidItem},
		{"a review item names no process", []meeting.ItemSpec{{Source: meeting.SourceReview, Title: "x", Review: rev, Process: proc}}, meeting.ErrInvalidItem},
		{"an item has a source", []meeting.ItemSpec{{Title: "x"}}, meeting.ErrInvalidItem},
		{"an item has a title", []meeting.ItemSpec{{Source: meeting.SourceRequest}}, meeting.ErrInvalidText},
		{"nothing to add", nil, meeting.ErrInvalidItem},
		{"the same process twice", []meeting.ItemSpec{{Source: meeting.SourceProcess, Title: "x", Process: proc}, {Source: meeting.SourceProcess, Title: "y", Process: proc}}, meeting.ErrDuplicateItem},
		{"two requests of the same title are two items", []meeting.ItemSpec{{Source: meeting.SourceRequest, Title: "x"}, {Source: meeting.SourceRequest, Title: "x"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, _ := convene(3)
			_, err := m.AddItems(pid(1), at(1), tc.items...)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.want)
			assert.Empty(t, m.Items())
		})
	}
	m, _ := convene(3)
	must(m.AddItems(pid(1), at(1), meeting.ItemSpec{Source: meeting.SourceProcess, Title: "x", Process: proc}))
	_, err := m.AddItems(pid(2), at(2), meeting.ItemSpec{Source: meeting.SourceProcess, Title: "again", Process: proc})
	require.ErrorIs(t, err, meeting.ErrDuplicateItem, "an item already on the agenda")
}

func TestActsAreRecordedOnlyInSession(t *testing.T) {
	link := []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, 1)), From: 4, To: 6, Types: []string{"consent.answered", "consent.decision_adopted"}}}
	m, _ := convene(3)
	_, err := m.RecordActs(pid(2), at(1), 0, link)
	require.ErrorIs(t, err, meeting.ErrPhase)
	openWithItem(m)
	_, err = m.RecordActs(pid(2), at(2), 2, link)
	require.ErrorIs(t, err, meeting.ErrUnknownItem)
	for _, bad := range [][]meeting.Link{
		nil,
		{{Stream: "Consent", ID: link[0].ID, From: 1, To: 1, Types: []string{"a"}}},
		{{Stream: "consent", From: 1, To: 1, Types: []string{"a"}}},
		{{Stream: "consent", ID: link[0].ID, From: 3, To: 2, Types: []string{"a"}}},
		{{Stream: "consent", ID: link[0].ID, From: 1, To: 1}},
	} {
		_, err = m.RecordActs(pid(2), at(2), 1, bad)
		require.ErrorIs(t, err, meeting.ErrInvalidLink, "%+v", bad)
	}
	must(m.RecordActs(pid(2), at(2), 1, link))
	require.Len(t, m.Links(), 1)
	assert.Equal(t, "consent process 9c000000: decision adopted (events 4 to 6)", m.Links()[0].Links[0].Describe())
}

func TestPublishNeedsAMinuteOfEveryItem(t *testing.T) {
	m, _ := convene(3)
	openWithItem(m)
	must(m.RequestItem(pid(3), at(2), "Second", false))
	must(m.Minute(pid(2), at(2), 1, meeting.OutcomeDeferred, "to February"))
	must(m.Close(pid(1), at(3)))
	_, err := m.Publish(pid(2), at(4))
	require.ErrorIs(t, err, meeting.ErrUnminuted)
	assert.Contains(t, err.Error(), `item 2, "Second", has no minute`)
	must(m.Minute(pid(2), at(5), 2, meeting.OutcomeNoted, "heard"))
	must(m.Publish(pid(2), at(6)))
	_, err = m.Minute(pid(2), at(7), 2, meeting.OutcomeDropped, "")
	require.ErrorIs(t, err, meeting.ErrFinished, "published minutes are final")
}

func TestActsKeepTimeOrder(t *testing.T) {
	m, _ := convene(3)
	must(m.Open(pid(1), at(5)))
	_, err := m.Attend(pid(1), at(4), pid(3), meeting.Present)
	require.ErrorIs(t, err, meeting.ErrTimeOrder)
}

func TestCancelOnlyBeforeOpening(t *testing.T) {
	m, _ := convene(3)
	open(m)
	_, err := m.Cancel(pid(1), at(2), "")
	require.ErrorIs(t, err, meeting.ErrPhase)
	m, _ = convene(3)
	must(m.Cancel(pid(1), at(1), "the office is closed"))
	_, err = m.Open(pid(1), at(2))
	require.ErrorIs(t, err, meeting.ErrFinished)
	_, err = m.Minutes(pid(1))
	require.ErrorIs(t, err, meeting.ErrPhase)
}

// "Minutes and membership are open to all members" (Equal Care Co-op's
// rules), confidential items withheld from those who may not see them.
func TestMinutesWithholdConfidentialItems(t *testing.T) {
	m, _ := convene(3)
	must(m.RequestItem(pid(3), at(1), "Rota for the new year", false))
	must(m.RequestItem(pid(3), at(1), "Support plan of a person we support", true))
	open(m)
	must(m.Attend(pid(1), at(2), pid(4), meeting.Guest))
	must(m.RecordActs(pid(2), at(2), 2, []meeting.Link{{Stream: "consent", ID: uuid.UUID(circletest.UUID(0x9c, 2)), From: 1, To: 1, Types: []string{"consent.started"}}}))
	must(m.Minute(pid(2), at(3), 1, meeting.OutcomeNoted, "rota agreed informally"))
	must(m.Minute(pid(2), at(3), 2, meeting.OutcomeDecided, "the plan changes from March"))

	_, err := m.Minutes(pid(4))
	require.ErrorIs(t, err, meeting.ErrNotPublished, "a guest does not read the draft")
	draft, err := m.Minutes(pid(3))
	require.NoError(t, err)
	assert.True(t, draft.Draft())
	assert.Equal(t, "the plan changes from March", draft.Items[1].Note)

	must(m.Close(pid(1), at(4)))
	must(m.Publish(pid(2), at(5)))
	for _, viewer := range []circle.PersonID{pid(4), pid(99)} {
		mn, err := m.Minutes(viewer)
		require.NoError(t, err)
		it := mn.Items[1]
		assert.True(t, it.Withheld)
		assert.Equal(t, "Confidential item", it.Title)
		assert.Empty(t, it.Note)
		assert.Empty(t, it.Acts, "the acts of a withheld item are withheld too")
		text := mn.Text(names, nil)
		assert.NotContains(t, text, "Support plan")
		assert.NotContains(t, text, "March")
		assert.NotContains(t, mn.HTML(names, nil), "Support plan")
	}
	mn, err := m.Minutes(pid(3))
	require.NoError(t, err)
	assert.Contains(t, mn.Text(names, nil), "Support plan of a person we support (confidential), asked for by P3")
	assert.Len(t, mn.Items[1].Acts, 1)
	agenda := m.Agenda(pid(4))
	assert.Equal(t, "Confidential item", agenda[1].Title)
}

func TestHTMLEscapesEveryText(t *testing.T) {
	m, _ := convene(3)
	must(m.RequestItem(pid(3), at(1), `<script>alert("x")</script>`, false))
	open(m)
	must(m.Minute(pid(2), at(2), 1, meeting.OutcomeNoted, "a & b <i>"))
	mn, err := m.Minutes(pid(1))
	require.NoError(t, err)
	page := mn.HTML(names, nil)
	assert.NotContains(t, page, "<script>")
	assert.Contains(t, page, "&lt;script&gt;")
	assert.Contains(t, page, "a &amp; b &lt;i&gt;")
}

func TestAgendaFromTheCalendarAndOpenWork(t *testing.T) {
	org := teamOrg(3)
	p, _, err := consent.StartIn(org, consent.ProcessSpec{ID: consent.ProcessID(circletest.UUID(0x9c, 1)), Org: org.ID(), Circle: team,
		Proposer: pid(3), Facilitator: pid(1), Proposal: consent.Proposal{Title: "Rota swaps", Driver: "Swaps get lost", Text: "Use the board."}}, at(0))
	require.NoError(t, err)
	due := []review.Item{{ID: review.ItemID(circletest.UUID(0x4e, 1)), Kind: review.KindPolicyReview, Circle: team, Title: "Evening visits"}}
	items := meeting.AgendaFrom(meeting.Sources{Due: due, Processes: []*consent.Process{p}})
	require.Len(t, items, 2)
	assert.Equal(t, "Review: Evening visits", items[0].Title)
	assert.Equal(t, meeting.SourceReview, items[0].Source)
	assert.Equal(t, "Consent: Rota swaps", items[1].Title)
	m, _ := convene(3)
	must(m.AddItems(pid(2), at(1), items...))
	assert.Len(t, m.Items(), 2)

	long := []review.Item{{ID: due[0].ID, Title: strings.Repeat("é", 150)}}
	got := meeting.AgendaFrom(meeting.Sources{Due: long})
	assert.LessOrEqual(t, len(got[0].Title), 200)
	_, err = m.AddItems(pid(2), at(2), meeting.ItemSpec{Source: meeting.SourceReview, Title: got[0].Title, Review: review.ItemID(circletest.UUID(0x4e, 2))})
	require.NoError(t, err, "a clipped title is still a valid title")
}

func TestAllowedListsExactlyWhatSucceeds(t *testing.T) {
	m, _ := convene(3)
	assert.Equal(t, []meeting.Act{meeting.ActAddItems, meeting.ActRequestItem, meeting.ActOpen, meeting.ActAttend, meeting.ActSendApologies, meeting.ActCancel}, m.Allowed(pid(1), at(1)))
	assert.Equal(t, []meeting.Act{meeting.ActRequestItem, meeting.ActSendApologies}, m.Allowed(pid(3), at(1)))
	assert.Empty(t, m.Allowed(pid(4), at(1)))
	openWithItem(m)
	assert.Equal(t, []meeting.Act{meeting.ActAddItems, meeting.ActRequestItem, meeting.ActAttend, meeting.ActSendApologies, meeting.ActRecordActs, meeting.ActMinute}, m.Allowed(pid(2), at(2)))
	assert.Empty(t, m.Allowed(pid(2), at(0)), "nothing is allowed before the last event")
}

func TestMinutesMergeTheLinksOfOneStream(t *testing.T) {
	proc := consent.ProcessID(circletest.UUID(0x9c, 1))
	other := uuid.UUID(circletest.UUID(0x9c, 2))
	m, _ := convene(3)
	must(m.AddItems(pid(2), at(1), meeting.ItemSpec{Source: meeting.SourceProcess, Title: "Consent: Rota swaps", Process: proc}))
	open(m)
	for i, types := range [][]string{{"consent.presented"}, {"consent.round_opened"}, {"consent.answered", "consent.decision_adopted"}} {
		from := uint64(2 + i)
		must(m.RecordActs(pid(2), at(2), 1, []meeting.Link{{Stream: "consent", ID: proc.UUID(), From: from, To: from + uint64(len(types)) - 1, Types: types}}))
	}
	must(m.RecordActs(pid(2), at(2), 1, []meeting.Link{{Stream: "consent", ID: other, From: 1, To: 1, Types: []string{"consent.started"}}}))
	mn, err := m.Minutes(pid(1))
	require.NoError(t, err)
	links := mn.Items[0].Links()
	require.Len(t, links, 2)
	assert.Equal(t, meeting.Link{Stream: "consent", ID: proc.UUID(), From: 2, To: 5,
		Types: []string{"consent.presented", "consent.round_opened", "consent.answered", "consent.decision_adopted"}}, links[0])
	text := mn.Text(names, nil)
	assert.Contains(t, text, "   - consent process: consent round opened, decision adopted (events 2 to 5)\n", "the item's own process needs no ID")
	assert.Contains(t, text, "   - consent process 9c000000: process started (event 1)\n", "another process is named")
}

// A link names its stream in words, with an ID only where the organisation
// has more than one of its kind, and the events a reader looks for.
func TestLinksSayWhatTheyRecordInWords(t *testing.T) {
	id := uuid.MustParse("9c000000-0000-4000-8000-000000000001")
	for _, tc := range []struct {
		link meeting.Link
		want string
	}{
		{meeting.Link{Stream: "consent", ID: id, From: 4, To: 6, Types: []string{"consent.round_opened", "consent.answered"}}, "consent process 9c000000: consent round opened (events 4 to 6)"},
		{meeting.Link{Stream: "policy_register", ID: id, From: 4, To: 4, Types: []string{"agreement.adopted"}}, "policy register: policy adopted (event 4)"},
		{meeting.Link{Stream: "member_register", ID: id, From: 2, To: 3, Types: []string{"members.admitted", "members.condition_set"}}, "register of members: member admitted (events 2 to 3)"},
		{meeting.Link{Stream: "review", ID: id, From: 7, To: 7, Types: []string{"review.item_scheduled"}}, "review calendar: review scheduled (event 7)"},
		{meeting.Link{Stream: "a_host_stream", ID: id, From: 1, To: 1}, "a host stream 9c000000 (event 1)"},
	} {
		assert.Equal(t, tc.want, tc.link.Describe())
	}
}
