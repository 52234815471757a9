package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
)

// The helpers of an adapter's test with several processes (a web server and
// a reminder job, say, over one database): the parent opens a round with
// [OpenRoundOfMembers], starts child processes that each call
// [AnswerAtOnce] through a Store of their own, and checks the outcome with
// [CheckEveryoneAnswered].

// OpenRoundOfMembers founds organisation org with a care team of n members
// (circletest.Person(1) to Person(n)) and opens a consent round of all of
// them on a new process, through s, and returns the process.
func OpenRoundOfMembers(tb testing.TB, s *store.Store, org circle.OrgID, n int) consent.ProcessID {
	tb.Helper()
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org, f.At = org, time.Time{}
	_, err := s.Found(ctx, f, nil)
	require.NoError(tb, err)
	team := circletest.Circle(2)
	var all []circle.PersonID
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		for i := 1; i <= n; i++ {
			if i > 1 {
				c.Add(o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(i), Label: fmt.Sprintf("P%d", i), Class: circle.Worker}))
			}
			c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(i)))
			all = append(all, circletest.Person(i))
		}
		return c.Result()
	}, nil)
	require.NoError(tb, err)
	id := consent.ProcessID(circletest.UUID(0x92, 1))
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Rota swaps", Driver: "Swaps are lost", Text: "Swaps go on the shared board."}}, nil)
	require.NoError(tb, err)
	for _, act := range []func(p *consent.Process, at time.Time) ([]consent.Event, error){
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.Present(circletest.Person(1), at, all)
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.SkipReactions(circletest.Person(1), at)
		},
		func(p *consent.Process, at time.Time) ([]consent.Event, error) {
			return p.OpenConsentRound(circletest.Person(1), at, all, time.Time{})
		},
	} {
		_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
			return act(p, at)
		}, nil)
		require.NoError(tb, err)
	}
	return id
}

// AnswerAtOnce has members from to to (circletest.Person numbers) of the
// round give consent at once, one goroutine each, through s, and returns
// the first error.
func AnswerAtOnce(s *store.Store, org circle.OrgID, id consent.ProcessID, from, to int) error {
	var wg sync.WaitGroup
	errs := make(chan error, to-from+1)
	for n := from; n <= to; n++ {
		wg.Go(func() {
			_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
				return p.Consent(circletest.Person(n), at)
			}, nil)
			if err != nil {
				errs <- fmt.Errorf("member %d: %w", n, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// CheckEveryoneAnswered checks, through s, that each of the n members
// answered once (the stream is at version before+n) and that the log
// verifies.
func CheckEveryoneAnswered(tb testing.TB, s *store.Store, org circle.OrgID, id consent.ProcessID, n int, before uint64) {
	tb.Helper()
	ctx := context.Background()
	after, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(tb, err)
	assert.Equal(tb, before+uint64(n), after.Version, "every answer is stored once")
	p, err := s.Process(ctx, org, id)
	require.NoError(tb, err)
	for i := 1; i <= n; i++ {
		a, ok := p.Round().Answer(circletest.Person(i))
		assert.True(tb, ok && a.Kind == consent.AnswerConsent, "the answer of member %d is recorded", i)
	}
	_, err = s.Verify(ctx, org)
	assert.NoError(tb, err)
}
