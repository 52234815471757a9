package sqlitestore_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/binary"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

var crashIterations = flag.Int("crash.iterations", 3, "how many times the crash test kills a writer (more for a soak run)")

const (
	crashEnvDB      = "SQLITESTORE_CRASH_DB"
	crashEnvOrg     = "SQLITESTORE_CRASH_ORG"
	crashEnvWriters = "SQLITESTORE_CRASH_WRITERS"
	crashPerRun     = 20 // records per stream per batch
)

func crashCommand(i int) store.CommandID {
	var u uuid.UUID
	copy(u[:], "crash-command---")
	binary.BigEndian.PutUint64(u[8:], uint64(i))
	return store.CommandID(u)
}

func crashBody(i, j int) []byte {
	return []byte(fmt.Sprintf(`{"i":%d,"j":%d,"pad":%q}`, i, j, strings.Repeat("x", 480)))
}

// TestCrashChild is the writer the crash test kills: crashEnvWriters
// goroutines appending in a loop, each on its own stream. It does nothing
// unless started by TestCrashKeepsEveryAcknowledgedAppend.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnvDB)
	if path == "" {
		return // only meaningful as the child process
	}
	org, err := circle.ParseOrgID(os.Getenv(crashEnvOrg))
	require.NoError(t, err)
	writers, err := strconv.Atoi(os.Getenv(crashEnvWriters))
	require.NoError(t, err)
	ctx := context.Background()
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	var mu sync.Mutex // one line at a time on stdout
	say := func(format string, args ...any) {
		mu.Lock()
		fmt.Fprintf(os.Stdout, format, args...)
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			main := crashStream(org, g)
			var version uint64
			if info, err := d.Stream(ctx, main); err == nil {
				version = info.Version
			}
			deadline := time.Now().Add(time.Minute)
			for i := int(version/crashPerRun) + 1; time.Now().Before(deadline); i++ {
				n := g*1_000_000 + i
				b := &store.Batch{Org: org, Command: crashCommand(n), PayloadHash: store.DigestOf([]byte(strconv.Itoa(n)))}
				side := store.StreamKey{Org: org, Kind: store.KindConsent, ID: crashCommand(n).UUID()}
				for _, k := range []store.StreamKey{main, side} {
					sa := store.StreamAppend{Stream: k, Status: "open"}
					if k == main {
						sa.Expected = version
					}
					for j := range crashPerRun {
						sa.Records = append(sa.Records, store.Record{Type: fmt.Sprintf("crash.%d", j), Data: crashBody(n, j), At: time.Now()})
					}
					b.Streams = append(b.Streams, sa)
				}
				say("begin %d\n", n)
				r, err := d.Append(ctx, b)
				if err != nil {
					say("error %d %v\n", n, err)
					os.Exit(3)
				}
				say("ack %d %d %d\n", n, r.First, r.Last)
				version += crashPerRun
			}
		})
	}
	wg.Wait()
}

func crashStream(org circle.OrgID, g int) store.StreamKey {
	var u uuid.UUID
	copy(u[:], "crash-stream----")
	binary.BigEndian.PutUint64(u[8:], uint64(g))
	return store.StreamKey{Org: org, Kind: store.KindOrganisation, ID: u}
}

type ack struct{ first, last uint64 }

// A writer appending in a loop is killed with SIGKILL while an append is in
// flight (it printed "begin n" and never "ack n"); the file is reopened and
// must hold every acknowledged append, no part of any other, and a log
// whose chain verifies. With four writers the kill lands while appends
// are grouped into one transaction.
func TestCrashKeepsEveryAcknowledgedAppend(t *testing.T) {
	if os.Getenv(crashEnvDB) != "" {
		return
	}
	for _, writers := range []int{1, 4} {
		t.Run(fmt.Sprintf("%d-writers", writers), func(t *testing.T) { crashTest(t, writers) })
	}
}

func crashTest(t *testing.T, writers int) {
	exe, err := os.Executable()
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "crash.db")
	org := circle.OrgID(uuid.New())
	acked := map[int]ack{}
	midWrite, extra := 0, 0
	for iter := range *crashIterations {
		cmd := exec.Command(exe, "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnvDB+"="+path, crashEnvOrg+"="+org.String(), crashEnvWriters+"="+strconv.Itoa(writers))
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		cmd.Stderr = os.Stderr
		require.NoError(t, cmd.Start())
		lines := bufio.NewScanner(out)
		wantAcks := 3 + rand.IntN(20)
		seen := 0
		killed := false
		inFlight := map[int]bool{}
		for lines.Scan() {
			line := lines.Text()
			f := strings.Fields(line)
			switch f[0] {
			case "ack":
				i, _ := strconv.Atoi(f[1])
				first, _ := strconv.ParseUint(f[2], 10, 64)
				lst, _ := strconv.ParseUint(f[3], 10, 64)
				acked[i] = ack{first, lst}
				delete(inFlight, i)
				seen++
			case "begin":
				i, _ := strconv.Atoi(f[1])
				inFlight[i] = true
				if seen >= wantAcks && !killed {
					require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
					killed = true
				}
			default:
				t.Fatalf("child: %s", line)
			}
		}
		err = cmd.Wait()
		require.True(t, killed, "iteration %d: the child stopped before it was killed: %v", iter, err)
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
			require.True(t, ws.Signaled() && ws.Signal() == syscall.SIGKILL, "iteration %d: the child died of SIGKILL", iter)
		}
		if len(inFlight) > 0 {
			midWrite++ // the kill landed while appends were in flight
		}
		extra = checkAfterCrash(t, path, org, acked, extra, writers)
	}
	t.Logf("%d kills, %d while appends were in flight (%d in-flight appends had reached the disk whole, the rest left nothing), %d appends acknowledged",
		*crashIterations, midWrite, extra, len(acked))
	assert.Positive(t, midWrite, "at least one kill must land mid-write for the test to mean anything")
}

// checkAfterCrash checks the file after a kill. extra is how many appends
// committed without an acknowledgement in earlier kills; it returns the
// count including this one.
func checkAfterCrash(t *testing.T, path string, org circle.OrgID, acked map[int]ack, extra, writers int) int {
	t.Helper()
	ctx := context.Background()
	raw, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	require.NoError(t, err)
	var integrity string
	require.NoError(t, raw.QueryRow(`PRAGMA integrity_check`).Scan(&integrity))
	require.NoError(t, raw.Close())
	require.Equal(t, "ok", integrity)

	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()
	entries, err := d.ReadLog(ctx, store.LogQuery{Org: org})
	require.NoError(t, err)

	// Every acknowledged append is there, whole.
	for i, a := range acked {
		rec, err := d.Command(ctx, org, crashCommand(i))
		require.NoError(t, err, "acknowledged append %d is present", i)
		require.Equal(t, a.first, rec.First)
		require.Equal(t, a.last, rec.Last)
		require.LessOrEqual(t, a.last, uint64(len(entries)))
		for s := a.first; s <= a.last; s++ {
			e := entries[s-1]
			require.Equal(t, crashCommand(i), e.Command)
			j := int((s - a.first) % crashPerRun)
			require.Equal(t, a.last-a.first+1, uint64(2*crashPerRun))
			require.Equal(t, crashBody(i, j), e.Data)
		}
	}
	// Nothing partial: every command present has all its entries and a
	// record; at most one more than acknowledged (the one in flight, if
	// its commit reached the disk before the kill).
	byCmd := map[store.CommandID]int{}
	for _, e := range entries {
		byCmd[e.Command]++
	}
	for c, n := range byCmd {
		require.Equal(t, 2*crashPerRun, n, "command %s has all its entries", c)
		_, err := d.Command(ctx, org, c)
		require.NoError(t, err, "and its record")
	}
	require.GreaterOrEqual(t, len(byCmd), len(acked)+extra)
	require.LessOrEqual(t, len(byCmd), len(acked)+extra+writers)
	var versions uint64
	for g := range writers {
		main, err := d.Stream(ctx, crashStream(org, g))
		if err == nil {
			versions += main.Version
		}
	}
	require.Equal(t, uint64(len(byCmd)*crashPerRun), versions, "the streams' versions match their entries")
	_, err = store.New(d, nil).Verify(ctx, org)
	require.NoError(t, err, "the chain verifies after the crash")
	return len(byCmd) - len(acked)
}
