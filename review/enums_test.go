package review_test

import (
	"encoding"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/review"
)

func TestEnumsHaveTextForms(t *testing.T) {
	type textual interface {
		encoding.TextMarshaler
		String() string
	}
	check := func(t *testing.T, values []textual, zero textual, parse func(string) (textual, error)) {
		for _, v := range values {
			b, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, v.String(), string(b))
			if parse != nil {
				back, err := parse(string(b))
				require.NoError(t, err)
				assert.Equal(t, v, back)
			}
		}
		_, err := zero.MarshalText()
		assert.Error(t, err, "the zero value is invalid")
		if parse != nil {
			_, err = parse("nonsense")
			assert.Error(t, err)
		}
	}
	t.Run("Kind", func(t *testing.T) {
		var vs []textual
		for _, k := range review.Kinds() {
			vs = append(vs, k)
		}
		check(t, vs, review.Kind(0), func(s string) (textual, error) { var k review.Kind; err := k.UnmarshalText([]byte(s)); return k, err })
		beyond := review.Kind(len(review.Kinds()) + 1)
		assert.Equal(t, fmt.Sprintf("Kind(%d)", beyond), beyond.String())
	})
	t.Run("Status", func(t *testing.T) {
		check(t, []textual{review.StatusOpen, review.StatusAmending, review.StatusRetired}, review.Status(0),
			func(s string) (textual, error) { var v review.Status; err := v.UnmarshalText([]byte(s)); return v, err })
	})
	t.Run("Outcome", func(t *testing.T) {
		check(t, []textual{review.OutcomeKept, review.OutcomeAmended, review.OutcomeRetired}, review.Outcome(0),
			func(s string) (textual, error) {
				var v review.Outcome
				err := v.UnmarshalText([]byte(s))
				return v, err
			})
	})
	t.Run("SourceKind", func(t *testing.T) {
		check(t, []textual{review.SourceDecision, review.SourceAssignment, review.SourceCircle, review.SourceMeasure, review.SourceHost}, review.SourceKind(0),
			func(s string) (textual, error) {
				var v review.SourceKind
				err := v.UnmarshalText([]byte(s))
				return v, err
			})
	})
	t.Run("Stage and Escalation", func(t *testing.T) {
		check(t, []textual{review.StageAhead, review.StageDue, review.StageEscalated}, review.Stage(0), nil)
		check(t, []textual{review.ToSecretary, review.ToLeader, review.ToParent}, review.Escalation(0), nil)
	})
	assert.Equal(t, "weekly", review.Weekly.String())
	assert.False(t, review.Freq(0).Valid())
}

func TestSources(t *testing.T) {
	a := circle.Assignment{Circle: cid(2), Role: circle.Operational("rota keeper"), Holder: pid(3), Term: circle.Term{Start: t0.In(london), End: t0.AddDate(1, 0, 0)}}
	s := review.AssignmentSource(a)
	assert.Equal(t, "assignment:c0000000-0000-4000-8000-000000000002/operational:rota keeper/50000000-0000-4000-8000-000000000003/2026-01-05T09:30:00.000000Z", s.String())
	a.Term.End = a.Term.End.AddDate(1, 0, 0)
	assert.Equal(t, s, review.AssignmentSource(a), "the term's end is not part of its identity: a shortened term is the same item")
	assert.NoError(t, s.Validate())
	assert.Equal(t, review.Source{Kind: review.SourceDecision, Ref: "c0000000-0000-4000-8000-000000000002"}, review.IDSource(review.SourceDecision, cid(2)))
	assert.ErrorIs(t, review.HostSource("").Validate(), review.ErrInvalidSource)
	assert.ErrorIs(t, review.HostSource(strings.Repeat("x", 301)).Validate(), review.ErrInvalidSource)
	assert.ErrorIs(t, review.HostSource("a\x00b").Validate(), review.ErrInvalidSource)
	id, err := review.ParseItemID(review.ItemIDFor(orgID, review.KindTermEnd, s).String())
	require.NoError(t, err)
	assert.Equal(t, review.ItemIDFor(orgID, review.KindTermEnd, s), id)
	_, err = review.ParseItemID("nope")
	assert.ErrorIs(t, err, circle.ErrInvalidID)
}

func TestObservedTitlesAreOneLineOfAtMost200Bytes(t *testing.T) {
	o := org()
	c, _ := newCalendar()
	name := "Rota helpers " + strings.Repeat("é", 90) // 193 bytes; with the prefix, more than 200 (a name is one line: circle refuses a newline)
	events := observeAll(t, c, must(o.AddCircle(pid(1), t0, circle.CircleSpec{ID: cid(7), Parent: cid(2), Name: name, Kind: circle.KindHelping, Ends: t0.AddDate(0, 3, 0)})))
	require.Len(t, events, 1)
	title := events[0].(review.ItemScheduled).Title
	assert.LessOrEqual(t, len(title), 200)
	assert.True(t, strings.HasPrefix(title, "End of helping circle: Rota helpers é"))
	assert.NotContains(t, title, "\n")
	typ, data, err := review.MarshalEvent(events[0])
	require.NoError(t, err)
	_, err = review.UnmarshalEvent(typ, data)
	assert.NoError(t, err, "the clipped title is a valid title")
}

func TestReminderJSON(t *testing.T) {
	c, _ := newCalendar()
	must(c.Schedule(pid(1), t0, policy(1, cid(2), ldn(2026, time.March, 2, 10, 0))))
	r := c.Reminders(ldn(2026, time.March, 2, 10, 0), org(), nil)
	require.Len(t, r, 1)
	b, err := json.Marshal(r[0])
	require.NoError(t, err)
	assert.Contains(t, string(b), `"stage":"due","days":0,"level":"secretary"`)
	assert.Contains(t, string(b), `"to":[{"circle":"c0000000-0000-4000-8000-000000000002","role":"secretary","person":"50000000-0000-4000-8000-000000000003"}]`)
}
