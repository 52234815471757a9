package pgstore_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
)

const (
	procEnvSchema  = "PGSTORE_PROC_SCHEMA"
	procEnvOrg     = "PGSTORE_PROC_ORG"
	procEnvProcess = "PGSTORE_PROC_PROCESS"
	procEnvFrom    = "PGSTORE_PROC_FROM"
	procEnvTo      = "PGSTORE_PROC_TO"
	procMembers    = 64
)

// TestProcessesChild answers, one goroutine per member, for members
// from..to of the round named in the environment, through a Store with
// default options on the parent's schema. It does nothing unless started
// by TestTwoProcessesAnswerOneRound.
func TestProcessesChild(t *testing.T) {
	schema := os.Getenv(procEnvSchema)
	if schema == "" {
		return // only meaningful as a child process
	}
	needPG(t)
	org, err := circle.ParseOrgID(os.Getenv(procEnvOrg))
	require.NoError(t, err)
	id, err := consent.ParseProcessID(os.Getenv(procEnvProcess))
	require.NoError(t, err)
	from, _ := strconv.Atoi(os.Getenv(procEnvFrom))
	to, _ := strconv.Atoi(os.Getenv(procEnvTo))
	d, err := pgstore.New(pg.app, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	s := store.New(d, nil)
	var wg sync.WaitGroup
	errs := make(chan error, to-from+1)
	for n := from; n <= to; n++ {
		wg.Go(func() {
			_, err := s.ActProcess(context.Background(), org, id, func(p *consent.Process, _ *circle.Organisation, at time.Time) ([]consent.Event, error) {
				return p.Consent(circletest.Person(n), at)
			}, nil)
			if err != nil {
				err = fmt.Errorf("member %d: %w", n, err)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err, "an answer was given up")
	}
}

// Hosts run several processes over one database (two application
// servers, say). Two processes, each with a Store under default options,
// answer one consent round at once, 32 people each: every answer is
// acknowledged and stored once, and the chain verifies.
func TestTwoProcessesAnswerOneRound(t *testing.T) {
	needPG(t)
	if testing.Short() {
		t.Skip("starts two processes")
	}
	ctx := context.Background()
	s := store.New(newDriver(t), nil)
	f := circletest.Founding(1)
	f.Org = circle.OrgID(circletest.UUID(0x92, int(time.Now().UnixNano()%1_000_000)))
	f.At = time.Time{}
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)
	org, team := f.Org, circletest.Circle(2)
	var all []circle.PersonID
	_, err = s.ActOrg(ctx, org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Care team", Kind: circle.KindTeam}))
		for n := 1; n <= procMembers; n++ {
			if n > 1 {
				c.Add(o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(n), Label: fmt.Sprintf("P%d", n), Class: circle.Worker}))
			}
			c.Add(o.AddMember(circletest.Person(1), at, team, circletest.Person(n)))
			all = append(all, circletest.Person(n))
		}
		return c.Result()
	}, nil)
	require.NoError(t, err)
	id := consent.ProcessID(circletest.UUID(0x92, 1))
	_, err = s.StartProcess(ctx, org, consent.ProcessSpec{ID: id, Circle: team, Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Rota swaps", Driver: "Swaps are lost", Text: "Swaps go on the shared board."}}, nil)
	require.NoError(t, err)
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
		require.NoError(t, err)
	}
	before, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(t, err)

	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i, span := range [][2]int{{1, 32}, {33, 64}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProcessesChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), procEnvSchema+"="+pg.schema, procEnvOrg+"="+org.String(), procEnvProcess+"="+id.String(),
			procEnvFrom+"="+strconv.Itoa(span[0]), procEnvTo+"="+strconv.Itoa(span[1]))
		wg.Go(func() { outs[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i], "process %d:\n%s", i+1, outs[i])
	}
	after, err := s.Driver().Stream(ctx, store.ProcessKey(org, id))
	require.NoError(t, err)
	assert.Equal(t, before.Version+procMembers, after.Version, "every answer is stored once")
	p, err := s.Process(ctx, org, id)
	require.NoError(t, err)
	for _, who := range all {
		a, ok := p.Round().Answer(who)
		assert.True(t, ok && a.Kind == consent.AnswerConsent, "the answer of %s is recorded", who)
	}
	_, err = s.Verify(ctx, org)
	assert.NoError(t, err)
}
