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
	"github.com/coproduce/sociocracy/store/storetest"
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

// newID mints the ID of a new aggregate or command as the store package
// advises: time-ordered (UUIDv7).
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// startAct is the act the benchmarks commit: a consent process started in
// the team circle, with a command ID (the process's, time-ordered). It
// loads the organisation (20 events) and the calendar, checks the command,
// runs consent.StartIn and appends.
func startAct(ctx context.Context, s *store.Store, org circle.OrgID) error {
	return startActID(ctx, s, org, consent.ProcessID(newID()))
}

// startActRandom is startAct with a random ID (UUIDv4), which puts each
// new process's rows on a random page of the indexes that hold them.
func startActRandom(ctx context.Context, s *store.Store, org circle.OrgID) error {
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
		ids[i] = consent.ProcessID(newID())
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
// (same DSN: WAL, synchronous=FULL, BEGIN IMMEDIATE, one connection), side
// by side ([storetest.SideBySide]: bare-ns/op, act-ns/op and their ratio
// act/bare; the target is <= 1.5).
//
//   - "store-act-on-existing-process": the common act, one more event on an
//     aggregate that exists (a clarifying question on one of 256 presented
//     processes), without a command, and "-with-command" with one (as a
//     host that retries safely sends it);
//   - "store-act": a consent process started with an idempotency command
//     (a new stream and a command record), with time-ordered IDs as the
//     store package advises, and "-random-ids" with random ones;
//   - "store-act-vs-bare-same-rows": the same start beside a bare
//     transaction of the rows it writes (the floor of its writes: five
//     B-trees, where the one-row insert writes one).
func BenchmarkCommit(b *testing.B) {
	ctx := context.Background()
	// Each act is set up on a Store over a new file, with benchOrg's
	// organisation, and returns the act to time.
	question := func(withCommand bool) func(b *testing.B, s *store.Store, org circle.OrgID) func() error {
		return func(b *testing.B, s *store.Store, org circle.OrgID) func() error {
			ids := presentedProcesses(b, s, org, 256)
			i := 0
			return func() error {
				id := ids[i%len(ids)]
				i++
				var opts *store.WriteOptions
				if withCommand {
					c := newID()
					opts = &store.WriteOptions{Command: store.Command{ID: store.CommandID(c), Payload: c[:]}}
				}
				_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
					return p.AskClarifying(circletest.Person(3), circletest.T0.Add(3*time.Hour), "Who publishes it?")
				}, opts)
				return err
			}
		}
	}
	start := func(act func(context.Context, *store.Store, circle.OrgID) error) func(b *testing.B, s *store.Store, org circle.OrgID) func() error {
		return func(_ *testing.B, s *store.Store, org circle.OrgID) func() error {
			return func() error { return act(ctx, s, org) }
		}
	}
	acts := []struct {
		name  string
		bare  func(b *testing.B) func() error
		setup func(b *testing.B, s *store.Store, org circle.OrgID) func() error
	}{
		{"store-act-on-existing-process", bareInsertTx, question(false)},
		{"store-act-on-existing-process-with-command", bareInsertTx, question(true)},
		{"store-act", bareInsertTx, start(startAct)},
		{"store-act-random-ids", bareInsertTx, start(startActRandom)},
		// The floor of a start: a bare transaction of the rows it writes
		// (a stream row, an entry of the same size with its two indexes, a
		// command record) into the driver's own schema, with the same
		// settings and nothing else.
		{"store-act-vs-bare-same-rows", bareSameRows, start(startAct)},
	}
	for _, a := range acts {
		b.Run(a.name, func(b *testing.B) {
			bare := a.bare(b)
			s := store.New(openBench(b), nil)
			storetest.SideBySide(b, bare, a.setup(b, s, benchOrg(b, s)))
		})
	}
}

// bareInsertTx returns a bare one-row insert transaction on a file of its
// own with the driver's settings (its DSN).
func bareInsertTx(b *testing.B) func() error {
	ctx := context.Background()
	db, err := sql.Open("sqlite", sqlitestore.DSN(filepath.Join(b.TempDir(), "bare.db"), nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	v := make([]byte, 200)
	return func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO t (v) VALUES (?)`, v); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
}

// bareSameRows returns a bare transaction that writes, into a file of
// the driver's schema, the rows a start of a process with a command
// writes: the stream's row, its first entry (with a body of the same size)
// and the command's record, by statements prepared once.
func bareSameRows(b *testing.B) func() error {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "same.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := d.Close(); err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite", sqlitestore.DSN(path, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	db.SetMaxOpenConns(1)
	prep := func(q string) *sql.Stmt {
		st, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		return st
	}
	stream := prep(`INSERT INTO streams (org, kind, id, status_version, circle, status) VALUES (?, 'consent', ?, 1, ?, 'proposed')`)
	entry := prep(`INSERT INTO entries (org, seq, kind, stream, version, type, circle, at, command, data, digest, redacted, hash)
		VALUES (?, ?, 'consent', ?, 1, 'consent.started', ?, 0, ?, ?, ?, 0, ?)`)
	command := prep(`INSERT INTO commands (org, id, payload_hash, first_seq, last_seq) VALUES (?, ?, ?, ?, ?)`)
	org, circ := uuid.New(), uuid.New()
	data := make([]byte, 562) // a start's body, as stored
	hash := make([]byte, 32)
	var seq int64
	return func() error {
		seq++
		id := newID()
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		for _, w := range []struct {
			st   *sql.Stmt
			args []any
		}{
			{stream, []any{org[:], id[:], circ[:]}},
			{entry, []any{org[:], seq, id[:], circ[:], id[:], data, hash, hash}},
			{command, []any{org[:], id[:], hash, seq, seq}},
		} {
			if _, err := tx.Stmt(w.st).ExecContext(ctx, w.args...); err != nil {
				_ = tx.Rollback()
				return err
			}
		}
		return tx.Commit()
	}
}

// BenchmarkWriters runs the same act from 1 and from 32 goroutines (on the
// 2-core machine: RunParallel with parallelism 16), reporting committed
// acts per second and how many calls failed with "database is locked"
// (which must be none); "-random-ids" starts each process with a random
// ID (UUIDv4) rather than a time-ordered one.
func BenchmarkWriters(b *testing.B) {
	for _, w := range []struct {
		name    string
		writers int
		start   func(context.Context, *store.Store, circle.OrgID) error
	}{
		{"1-writer", 1, startAct},
		{"32-writers", 32, startAct},
		{"32-writers-random-ids", 32, startActRandom},
	} {
		writers := w.writers
		b.Run(w.name, func(b *testing.B) {
			ctx := context.Background()
			s := store.New(openBench(b), nil)
			org := benchOrg(b, s)
			var locked, failed atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			run := func() {
				if err := w.start(ctx, s, org); err != nil {
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
