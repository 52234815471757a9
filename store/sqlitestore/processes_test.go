package sqlitestore_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

const (
	procEnvDB      = "SQLITESTORE_PROC_DB"
	procEnvProcess = "SQLITESTORE_PROC_PROCESS"
	procEnvFrom    = "SQLITESTORE_PROC_FROM"
	procEnvTo      = "SQLITESTORE_PROC_TO"
	procMembers    = 64
)

var procOrg = circletest.Org(77)

// TestProcessesChild answers, one goroutine per member, for members
// from..to of the round named in the environment, through a Store with
// default options. It does nothing unless started by
// TestTwoProcessesAnswerOneRound.
func TestProcessesChild(t *testing.T) {
	path := os.Getenv(procEnvDB)
	if path == "" {
		return // only meaningful as a child process
	}
	id, err := consent.ParseProcessID(os.Getenv(procEnvProcess))
	require.NoError(t, err)
	from, _ := strconv.Atoi(os.Getenv(procEnvFrom))
	to, _ := strconv.Atoi(os.Getenv(procEnvTo))
	d, err := sqlitestore.OpenMigrated(context.Background(), path, nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	defer s.Close()
	require.NoError(t, storetest.AnswerAtOnce(s, procOrg, id, from, to), "an answer was given up")
}

// Users run more than one process over one database file (a web server and
// a reminder job, say). Two processes, each with a Store under default
// options, answer one consent round at once, 32 people each: every answer
// is acknowledged and stored once, and the chain verifies.
func TestTwoProcessesAnswerOneRound(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "coop.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	defer s.Close()
	id := storetest.OpenRoundOfMembers(t, s, procOrg, procMembers)
	before, err := d.Stream(ctx, store.ProcessKey(procOrg, id))
	require.NoError(t, err)

	var wg sync.WaitGroup
	outs := make([][]byte, 2)
	errs := make([]error, 2)
	for i, span := range [][2]int{{1, 32}, {33, 64}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestProcessesChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), procEnvDB+"="+path, procEnvProcess+"="+id.String(),
			procEnvFrom+"="+strconv.Itoa(span[0]), procEnvTo+"="+strconv.Itoa(span[1]))
		wg.Go(func() { outs[i], errs[i] = cmd.CombinedOutput() })
	}
	wg.Wait()
	for i := range errs {
		require.NoError(t, errs[i], "process %d:\n%s", i+1, outs[i])
	}
	storetest.CheckEveryoneAnswered(t, s, procOrg, id, procMembers, before.Version)
}
