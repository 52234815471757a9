package pgstore_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// storeOrg founds an organisation with a team circle of 8 members through
// the portable Store (the same fixture as the SQLite benchmarks).
func storeOrg(b *testing.B, s *store.Store) circle.OrgID {
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	_, err := s.Found(ctx, f, nil)
	require.NoError(b, err)
	team := circletest.Circle(2)
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, _ time.Time) ([]circle.Event, error) {
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
	require.NoError(b, err)
	return f.Org
}

// newID mints the ID of a new aggregate or command as the store package
// advises: time-ordered (UUIDv7).
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// startProcess is one act through the portable Store: a consent process
// started in the team circle, with an idempotency command. It loads the
// organisation and the calendar, runs consent.StartIn and appends (a new
// stream and a command record).
func startProcess(ctx context.Context, s *store.Store, org circle.OrgID, pid consent.ProcessID) (store.Receipt, error) {
	id := pid.UUID()
	return s.StartProcess(ctx, org, consent.ProcessSpec{
		ID: pid, Org: org, Circle: circletest.Circle(2), Proposer: circletest.Person(2), Facilitator: circletest.Person(1),
		Proposal: consent.Proposal{Title: "Rota", Driver: "The rota is unclear.", Text: "Publish the rota on Fridays."},
	}, &store.WriteOptions{Command: store.Command{ID: store.CommandID(id), Payload: id[:]}, At: circletest.T0.Add(time.Hour)})
}

// BenchmarkStoreCommit is BenchmarkCommit through the portable Store, each
// act side by side with its baseline ([storetest.SideBySide]: bare-ns/op,
// act-ns/op and act/bare; the target is <= 2):
//
//   - act_on_existing_process: a clarifying question on one of 256
//     presented processes (load, act, append; no command), beside a bare
//     one-row insert transaction written the usual way (BEGIN, INSERT,
//     COMMIT: three round trips);
//   - act_new_process: a consent process started with a command, beside
//     the same bare transaction, with time-ordered IDs as the store package
//     advises, and act_new_process_random_ids with random ones (UUIDv4);
//   - act_new_process_vs_bare_same_rows: the same start beside a bare
//     transaction of the rows it writes (the organisation setting, the
//     stream's row, its entry, the command's record and the head row), in
//     one round trip: the floor of its writes.
func BenchmarkStoreCommit(b *testing.B) {
	ctx := context.Background()
	b.Run("act_on_existing_process", func(b *testing.B) {
		s := store.New(newDriver(b), nil)
		org := storeOrg(b, s)
		members := make([]circle.PersonID, 8)
		for i := range members {
			members[i] = circletest.Person(i + 1)
		}
		slices.SortFunc(members, func(a, b circle.PersonID) int { return a.Compare(b) })
		ids := make([]consent.ProcessID, 256)
		for i := range ids {
			ids[i] = consent.ProcessID(newID())
			_, err := startProcess(ctx, s, org, ids[i])
			require.NoError(b, err)
			_, err = s.ActProcess(ctx, org, ids[i], func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
				return p.Present(circletest.Person(1), circletest.T0.Add(2*time.Hour), members)
			}, nil)
			require.NoError(b, err)
		}
		i := 0
		storetest.SideBySide(b, bareInsertTx(b), func() error {
			id := ids[i%len(ids)]
			i++
			_, err := s.ActProcess(ctx, org, id, func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
				return p.AskClarifying(circletest.Person(3), circletest.T0.Add(3*time.Hour), "Who publishes it?")
			}, nil)
			return err
		})
	})
	start := func(b *testing.B, mint func() uuid.UUID) func() error {
		s := store.New(newDriver(b), nil)
		org := storeOrg(b, s)
		return func() error {
			_, err := startProcess(ctx, s, org, consent.ProcessID(mint()))
			return err
		}
	}
	b.Run("act_new_process", func(b *testing.B) {
		storetest.SideBySide(b, bareInsertTx(b), start(b, newID))
	})
	b.Run("act_new_process_random_ids", func(b *testing.B) {
		storetest.SideBySide(b, bareInsertTx(b), start(b, uuid.New))
	})
	b.Run("act_new_process_vs_bare_same_rows", func(b *testing.B) {
		storetest.SideBySide(b, bareSameRows(b), start(b, newID))
	})
}

// bareSameRows returns a bare transaction that writes, in one round trip,
// the rows a start of a process with a command writes, into the driver's
// schema as the same role: the organisation setting, the stream's row, its
// first entry (with a body of the same size), the command's record and
// the head row.
func bareSameRows(b *testing.B) func() error {
	ctx := context.Background()
	d := newDriver(b)
	org := storetest.NewOrg()
	// The organisation's head row, as its first append makes it.
	_, err := d.Append(ctx, act(storetest.NewKey(org, store.KindConsent), 0, time.Now()))
	require.NoError(b, err)
	sc := pg.schema
	circ := uuid.New()
	data := make([]byte, 562) // a start's body, as stored
	hash := make([]byte, 32)
	seq := int64(1)
	return func() error {
		seq++
		id := newID()
		var bt pgx.Batch
		bt.Queue("begin isolation level read committed")
		bt.Queue("select set_config('sociocracy.org', $1, true)", org.String())
		bt.Queue("insert into "+sc+".streams (org, kind, id, status_version, circle, status) values ($1, 'consent', $2, 1, $3, 'proposed')",
			uuid.UUID(org), id, circ)
		bt.Queue("insert into "+sc+".entries (org, seq, kind, stream, version, type, circle, at_us, command, data, digest, redacted, hash)"+
			" values ($1, $2, 'consent', $3, 1, 'consent.started', $4, 0, $3, $5, $6, false, $6)",
			uuid.UUID(org), seq, id, circ, data, hash)
		bt.Queue("insert into "+sc+".commands (org, id, payload_hash, first_seq, last_seq) values ($1, $2, $3, $4, $4)",
			uuid.UUID(org), id, hash, seq)
		bt.Queue("update "+sc+".orgs set head_seq = $2, head_hash = $3 where org = $1", uuid.UUID(org), seq, hash)
		bt.Queue("commit")
		return pg.app.SendBatch(ctx, &bt).Close()
	}
}

// BenchmarkStoreConcurrent32Clients: 32 clients acting at once in one
// organisation through the portable Store, which loads the aggregates for
// every act and retries an append that conflicts.
//
//   - new_processes: each act starts a consent process (a new stream,
//     with a command), with a time-ordered ID, and new_processes_random_ids
//     with a random one;
//   - shared_8_processes: each act asks a clarifying question on one of 8
//     presented processes, four clients on each, so most appends race and
//     the Store reloads and retries.
//
// Reported: committed acts per second, conflicts retried (appends that
// came back with ErrConflict, counted by a wrapping driver) and acts the
// Store gave up on after its bounded retries (ErrRetriesExhausted). Afterwards the
// log holds exactly the acknowledged entries, every acknowledged act is in
// it, and the chain verifies.
func BenchmarkStoreConcurrent32Clients(b *testing.B) {
	b.Run("new_processes", func(b *testing.B) { benchStoreConcurrent(b, 0, newID) })
	b.Run("new_processes_random_ids", func(b *testing.B) { benchStoreConcurrent(b, 0, uuid.New) })
	b.Run("shared_8_processes", func(b *testing.B) { benchStoreConcurrent(b, 8, newID) })
}

func benchStoreConcurrent(b *testing.B, shared int, mint func() uuid.UUID) {
	const clients = 32
	ctx := context.Background()
	cd := &countingDriver{Driver: newDriver(b)}
	s := store.New(cd, nil)
	org := storeOrg(b, s)
	members := make([]circle.PersonID, 8)
	for i := range members {
		members[i] = circletest.Person(i + 1)
	}
	slices.SortFunc(members, func(a, b circle.PersonID) int { return a.Compare(b) })
	procs := make([]consent.ProcessID, shared)
	for i := range procs {
		procs[i] = consent.ProcessID(mint())
		_, err := startProcess(ctx, s, org, procs[i])
		require.NoError(b, err)
		_, err = s.ActProcess(ctx, org, procs[i], func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
			return p.Present(circletest.Person(1), circletest.T0.Add(2*time.Hour), members)
		}, nil)
		require.NoError(b, err)
	}
	before, err := s.Verify(ctx, org)
	require.NoError(b, err)
	cd.conflicts.Store(0)
	var (
		mu        sync.Mutex
		acked     []store.Receipt
		next      atomic.Int64
		exhausted atomic.Int64
	)
	b.SetParallelism((clients + 1) / 2)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := int(next.Add(1) - 1)
		for pb.Next() {
			var (
				r   store.Receipt
				err error
			)
			if shared == 0 {
				r, err = startProcess(ctx, s, org, consent.ProcessID(mint()))
			} else {
				r, err = s.ActProcess(ctx, org, procs[client%shared], func(p *consent.Process, _ *circle.Organisation, _ time.Time) ([]consent.Event, error) {
					return p.AskClarifying(circletest.Person(1+client%8), circletest.T0.Add(3*time.Hour), "Who publishes it?")
				}, nil)
			}
			if errors.Is(err, store.ErrRetriesExhausted) {
				// Refused after the Store's bounded retries: a typed
				// error, nothing written (checked below).
				exhausted.Add(1)
				continue
			}
			if err != nil {
				b.Error(err)
				return
			}
			mu.Lock()
			acked = append(acked, r)
			mu.Unlock()
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(len(acked))/b.Elapsed().Seconds(), "acts/s")
	b.ReportMetric(float64(cd.conflicts.Load()), "conflicts")
	b.ReportMetric(float64(cd.conflicts.Load())/float64(max(len(acked), 1)), "conflicts/act")
	b.ReportMetric(float64(exhausted.Load()), "gave-up")

	head, err := s.Verify(ctx, org)
	require.NoError(b, err, "the chain verifies")
	var want uint64
	seqs := make(map[uint64]bool)
	for _, r := range acked {
		require.False(b, r.Duplicate)
		want += r.Last - r.First + 1
		for q := r.First; q <= r.Last; q++ {
			require.False(b, seqs[q], "two acts acknowledged with entry %d", q)
			seqs[q] = true
		}
	}
	require.Equal(b, before.Seq+want, head.Seq, "the log holds exactly the acknowledged entries")
	for q := before.Seq + 1; q <= head.Seq; q++ {
		require.True(b, seqs[q], "entry %d was never acknowledged", q)
	}
}

// countingDriver counts the appends that came back with ErrConflict; it
// keeps every other method of the driver (snapshots included).
type countingDriver struct {
	*pgstore.Driver
	conflicts atomic.Int64
}

func (c *countingDriver) Append(ctx context.Context, bt *store.Batch) (store.Result, error) {
	r, err := c.Driver.Append(ctx, bt)
	if errors.Is(err, store.ErrConflict) {
		c.conflicts.Add(1)
	}
	return r, err
}
