package pgstore_test

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
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
	require.NoError(t, storetest.AnswerAtOnce(store.New(d, nil), org, id, from, to), "an answer was given up")
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
	org := circle.OrgID(circletest.UUID(0x92, int(time.Now().UnixNano()%1_000_000)))
	id := storetest.OpenRoundOfMembers(t, s, org, procMembers)
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
	storetest.CheckEveryoneAnswered(t, s, org, id, procMembers, before.Version)
}
