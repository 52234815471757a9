package storetest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// The suite must have teeth: each adapter below breaks one rule of the
// contract, and the suite run against it must fail, in the subtests that
// check that rule. A failing subtest would fail this test binary too, so
// each broken adapter runs the suite in a child process (this test binary,
// re-executed with brokenEnv set) and the parent reads the verdict.

const brokenEnv = "STORETEST_BROKEN_ADAPTER"

var brokenAdapters = map[string]struct {
	newDriver func() store.Driver
	mustFail  []string // subtests that must report FAIL
}{
	"ignores the expected version": {
		func() store.Driver { return &ignoresVersion{memstore.New()} },
		[]string{"ExpectedVersionIsEnforced", "RaceOf64WritersHasOneWinner", "RaceToCreateAStreamHasOneWinner", "StateMachineAgainstAMapModel"},
	},
	"forgets commands": {
		func() store.Driver { return &forgetsCommands{memstore.New()} },
		[]string{"CommandsAreIdempotent", "ConcurrentRetriesOfOneCommandHaveOneEffect"},
	},
	"leaks across tenants": {
		func() store.Driver { return &leaksTenants{Driver: memstore.New(), owner: map[uuid.UUID]circle.OrgID{}} },
		[]string{"TenantsAreIsolated"},
	},
	"appends stream by stream": {
		func() store.Driver { return &notAtomic{memstore.New()} },
		[]string{"MultiStreamAppendIsAllOrNothing"},
	},
	"builds outside the lock": {
		func() store.Driver { return &unlockedBuild{memstore.New()} },
		[]string{"Locker64ReadThenAppendWritersAllSucceed"},
	},
	"swallows build errors and the organisation of the batch": {
		func() store.Driver { return &careless{memstore.New()} },
		[]string{"LockerBuildErrorWritesNothing", "LockerRefusesAnotherOrganisation"},
	},
	"ignores the profiles a batch erases": {
		func() store.Driver { return &keepsProfiles{memstore.New()} },
		[]string{"StoreErasePersonIsAtomicAndIdempotent", "StoreErasureKeepsRecordsAndChain"},
	},
	"keeps times to the second": {
		func() store.Driver { return &secondsOnly{memstore.New()} },
		[]string{"TimesAreUTCMicroseconds", "RoundTripOfEveryField"},
	},
}

// TestBrokenAdapterChild is the child half: it does nothing unless
// re-executed by TestBrokenAdaptersFailTheSuite.
func TestBrokenAdapterChild(t *testing.T) {
	name := os.Getenv(brokenEnv)
	if name == "" {
		return // only meaningful as the child process
	}
	b, ok := brokenAdapters[name]
	require.True(t, ok, "unknown broken adapter %q", name)
	storetest.Run(t, func(t *testing.T) store.Driver { return b.newDriver() })
}

func TestBrokenAdaptersFailTheSuite(t *testing.T) {
	if os.Getenv(brokenEnv) != "" {
		return
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	for name, b := range brokenAdapters {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(exe, "-test.run=^TestBrokenAdapterChild$", "-test.v", "-test.count=1", "-rapid.nofailfile")
			cmd.Env = append(os.Environ(), brokenEnv+"="+name)
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, "the suite must fail against an adapter that %s; output:\n%s", name, tail(out))
			for _, sub := range b.mustFail {
				if !strings.Contains(string(out), "--- FAIL: TestBrokenAdapterChild/"+sub+" ") {
					t.Errorf("an adapter that %s must fail %s; summary:\n%s", name, sub, summary(out))
				}
			}
			// The child really ran the suite: the checks the breakage does
			// not touch pass.
			if strings.Count(string(out), "--- PASS: TestBrokenAdapterChild/") < 5 {
				t.Errorf("the child did not run the suite; summary:\n%s", summary(out))
			}
		})
	}
}

// summary keeps the PASS/FAIL lines of a child's output.
func summary(out []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "--- PASS") || strings.Contains(line, "--- FAIL") || strings.Contains(line, "--- SKIP") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func tail(b []byte) string {
	s := string(b)
	if len(s) > 4000 {
		s = "..." + s[len(s)-4000:]
	}
	return s
}

// ignoresVersion overwrites every expected version with the current one,
// like an adapter with "last write wins".
type ignoresVersion struct{ *memstore.Driver }

func (d *ignoresVersion) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b == nil {
		return d.Driver.Append(ctx, b)
	}
	c := *b
	c.Streams = append([]store.StreamAppend(nil), b.Streams...)
	for i := range c.Streams {
		c.Streams[i].Expected = 0
		if info, err := d.Stream(ctx, c.Streams[i].Stream); err == nil {
			c.Streams[i].Expected = info.Version
		}
	}
	r, err := d.Driver.Append(ctx, &c)
	for i := 0; i < 50 && errorsIsConflict(err); i++ { // retry its way past any check
		for j := range c.Streams {
			if info, err := d.Stream(ctx, c.Streams[j].Stream); err == nil {
				c.Streams[j].Expected = info.Version
			}
		}
		r, err = d.Driver.Append(ctx, &c)
	}
	return r, err
}

func errorsIsConflict(err error) bool {
	return err != nil && strings.Contains(err.Error(), "conflict")
}

// forgetsCommands drops the command from every batch.
type forgetsCommands struct{ *memstore.Driver }

func (d *forgetsCommands) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b == nil {
		return d.Driver.Append(ctx, b)
	}
	c := *b
	c.Command, c.PayloadHash = store.CommandID{}, store.Hash{}
	return d.Driver.Append(ctx, &c)
}

// leaksTenants finds a stream by its ID alone when the organisation named
// has none, as an adapter whose queries forget "WHERE org = $1" would.
type leaksTenants struct {
	*memstore.Driver
	mu    sync.Mutex
	owner map[uuid.UUID]circle.OrgID
}

func (d *leaksTenants) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	r, err := d.Driver.Append(ctx, b)
	if err == nil {
		d.mu.Lock()
		for _, s := range b.Streams {
			if _, ok := d.owner[s.Stream.ID]; !ok {
				d.owner[s.Stream.ID] = s.Stream.Org
			}
		}
		d.mu.Unlock()
	}
	return r, err
}

func (d *leaksTenants) ReadStream(ctx context.Context, k store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	es, err := d.Driver.ReadStream(ctx, k, after, limit)
	if err != nil {
		d.mu.Lock()
		org, ok := d.owner[k.ID]
		d.mu.Unlock()
		if ok {
			k.Org = org
			return d.Driver.ReadStream(ctx, k, after, limit)
		}
	}
	return es, err
}

// notAtomic appends each stream of a batch as its own batch.
type notAtomic struct{ *memstore.Driver }

func (d *notAtomic) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b == nil || len(b.Streams) < 2 {
		return d.Driver.Append(ctx, b)
	}
	var res store.Result
	for i, s := range b.Streams {
		c := *b
		c.Streams = []store.StreamAppend{s}
		if i > 0 {
			c.Command = store.CommandID{}
		}
		r, err := d.Driver.Append(ctx, &c)
		if err != nil {
			return store.Result{}, err
		}
		if i == 0 {
			res.First = r.First
		}
		res.Last = r.Last
	}
	return res, nil
}

// secondsOnly returns times cut to the second, like a column of type
// "timestamp(0)" or an RFC 3339 string without fractions.
type secondsOnly struct{ *memstore.Driver }

func (d *secondsOnly) ReadStream(ctx context.Context, k store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	es, err := d.Driver.ReadStream(ctx, k, after, limit)
	for i := range es {
		es[i].At = es[i].At.Truncate(time.Second)
	}
	return es, err
}

func (d *secondsOnly) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	es, err := d.Driver.ReadLog(ctx, q)
	for i := range es {
		es[i].At = es[i].At.Truncate(time.Second)
	}
	return es, err
}

// unlockedBuild offers store.Locker but builds the batch from reads outside
// any lock and then appends it optimistically, as an adapter that forgot to
// hold its write serialisation around build would: racing writers conflict.
type unlockedBuild struct{ *memstore.Driver }

func (d *unlockedBuild) AppendLocked(ctx context.Context, org circle.OrgID, build func(context.Context, store.Reader) (*store.Batch, error)) (store.Result, error) {
	b, err := build(ctx, d.Driver)
	if err != nil {
		return store.Result{}, err
	}
	time.Sleep(time.Millisecond) // widen the window, as a network round trip would
	return d.Driver.Append(ctx, b)
}

// keepsProfiles appends a batch but leaves the profiles it erases.
type keepsProfiles struct{ *memstore.Driver }

func (d *keepsProfiles) Append(ctx context.Context, b *store.Batch) (store.Result, error) {
	if b != nil && len(b.ErasedProfiles) > 0 {
		c := *b
		c.ErasedProfiles = nil
		b = &c
	}
	return d.Driver.Append(ctx, b)
}

func (d *keepsProfiles) AppendLocked(ctx context.Context, org circle.OrgID, build func(context.Context, store.Reader) (*store.Batch, error)) (store.Result, error) {
	return d.Driver.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		b, err := build(ctx, r)
		if b != nil {
			b.ErasedProfiles = nil
		}
		return b, err
	})
}

// careless holds the lock but wraps build's error, still appends the batch
// build returned beside it, and appends a batch of any organisation.
type careless struct{ *memstore.Driver }

func (d *careless) AppendLocked(ctx context.Context, org circle.OrgID, build func(context.Context, store.Reader) (*store.Batch, error)) (store.Result, error) {
	var berr error
	res, err := d.Driver.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
		b, err := build(ctx, r)
		berr = err
		if b != nil && b.Org != org {
			return nil, errSkip
		}
		return b, nil
	})
	if errors.Is(err, errSkip) {
		b, _ := build(ctx, d.Driver)
		return d.Driver.Append(ctx, b)
	}
	if berr != nil {
		return res, fmt.Errorf("careless: %w", berr)
	}
	return res, err
}

var errSkip = errors.New("skip")
