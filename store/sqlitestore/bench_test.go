package sqlitestore_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

// benchOrg founds an organisation with a team circle of 8 members.
func benchOrg(b *testing.B, s *store.Store) circle.OrgID {
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	if _, err := s.Found(ctx, f, nil); err != nil {
		b.Fatal(err)
	}
	team := circletest.Circle(2)
	_, err := s.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
		var all []circle.Event
		evs, err := o.AddCircle(circletest.Person(1), f.At, circle.CircleSpec{ID: team, Parent: o.Top(), Name: "Team", Kind: circle.KindTeam})
		if err != nil {
			return nil, err
		}
		all = append(all, evs...)
		for i := 1; i <= 8; i++ {
			if i > 1 {
				evs, err := o.AddPerson(circletest.Person(1), f.At, circle.PersonSpec{ID: circletest.Person(i), Label: "P", Class: circle.Worker})
				if err != nil {
					return nil, err
				}
				all = append(all, evs...)
			}
			evs, err := o.AddMember(circletest.Person(1), f.At, team, circletest.Person(i))
			if err != nil {
				return nil, err
			}
			all = append(all, evs...)
		}
		return all, nil
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
	return f.Org
}

// startAct is the act the benchmarks commit: a consent process started in
// the team circle, with a command ID. It loads the organisation (20 events)
// and the calendar, checks the command, runs consent.StartIn and appends.
func startAct(ctx context.Context, s *store.Store, org circle.OrgID) error {
	return startActID(ctx, s, org, consent.ProcessID(uuid.New()))
}

func startActID(ctx context.Context, s *store.Store, org circle.OrgID, pid consent.ProcessID) error {
	id := pid.UUID()
	_, err := s.StartProcess(ctx, org, consent.ProcessSpec{
		ID: consent.ProcessID(id), Org: org, Circle: circletest.Circle(2), Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish the rota on Fridays."},
	}, &store.WriteOptions{Command: store.Command{ID: store.CommandID(id), Payload: id[:]}, At: circletest.T0.Add(time.Hour)})
	return err
}

// presentedProcesses starts n consent processes in the team circle and
// presents each to its 8 members.
func presentedProcesses(b *testing.B, s *store.Store, org circle.OrgID, n int) []consent.ProcessID {
	ctx := context.Background()
	ids := make([]consent.ProcessID, n)
	members := make([]circle.PersonID, 8)
	for i := range members {
		members[i] = circletest.Person(i + 1)
	}
	slices.SortFunc(members, func(a, b circle.PersonID) int { return a.Compare(b) })
	for i := range ids {
		ids[i] = consent.ProcessID(uuid.New())
		if err := startActID(ctx, s, org, ids[i]); err != nil {
			b.Fatal(err)
		}
		_, err := s.ActProcess(ctx, org, ids[i], func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			return p.Present(circletest.Person(1), circletest.T0.Add(2*time.Hour), members)
		}, nil)
		if err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

func openBench(b *testing.B) *sqlitestore.Driver {
	d, err := sqlitestore.OpenMigrated(context.Background(), filepath.Join(b.TempDir(), "bench.db"), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = d.Close() })
	return d
}

// BenchmarkCommit compares one committed act through the portable Store
// with a bare one-row insert transaction on a file with the same settings
// (same DSN: WAL, synchronous=FULL, BEGIN IMMEDIATE, one connection). The
// target is act/bare <= 1.5. "store-act" starts a consent process with an
// idempotency command (a new stream and a command record);
// "store-act-on-existing-process" adds an event to an existing process,
// without a command and with one.
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	b.Run("bare-insert", func(b *testing.B) {
		db, err := sql.Open("sqlite", sqlitestore.DSN(filepath.Join(b.TempDir(), "bare.db"), nil))
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		db.SetMaxOpenConns(1)
		if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`); err != nil {
			b.Fatal(err)
		}
		v := make([]byte, 200)
		b.ReportAllocs()
		for b.Loop() {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, v); err != nil {
				b.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, withCommand := range []bool{false, true} {
		name := "store-act-on-existing-process"
		if withCommand {
			name += "-with-command"
		}
		b.Run(name, func(b *testing.B) {
			// The common act: one more event on an aggregate that exists
			// (a clarifying question on one of 256 presented processes),
			// without a command and with one (as a host that retries
			// safely sends it).
			s := store.New(openBench(b), nil)
			org := benchOrg(b, s)
			ids := presentedProcesses(b, s, org, 256)
			i := 0
			b.ReportAllocs()
			for b.Loop() {
				id := ids[i%len(ids)]
				i++
				var opts *store.WriteOptions
				if withCommand {
					c := uuid.New()
					opts = &store.WriteOptions{Command: store.Command{ID: store.CommandID(c), Payload: c[:]}}
				}
				_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
					return p.AskClarifying(circletest.Person(3), circletest.T0.Add(3*time.Hour), "Who publishes it?")
				}, opts)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("store-act", func(b *testing.B) {
		s := store.New(openBench(b), nil)
		org := benchOrg(b, s)
		b.ReportAllocs()
		for b.Loop() {
			if err := startAct(ctx, s, org); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriters runs the same act from 1 and from 32 goroutines (on the
// 2-core machine: RunParallel with parallelism 16), reporting committed
// acts per second and how many calls failed with "database is locked"
// (which must be none).
func BenchmarkWriters(b *testing.B) {
	for _, writers := range []int{1, 32} {
		b.Run(map[int]string{1: "1-writer", 32: "32-writers"}[writers], func(b *testing.B) {
			ctx := context.Background()
			s := store.New(openBench(b), nil)
			org := benchOrg(b, s)
			var locked, failed atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			run := func() {
				if err := startAct(ctx, s, org); err != nil {
					if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
						locked.Add(1)
					}
					failed.Add(1)
				}
			}
			if writers == 1 {
				for b.Loop() {
					run()
				}
			} else {
				b.SetParallelism((writers + 1) / 2)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						run()
					}
				})
			}
			elapsed := time.Since(start)
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "acts/s")
			b.ReportMetric(float64(locked.Load()), "locked")
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d acts failed (%d with database is locked)", n, locked.Load())
			}
		})
	}
}
