package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// model is the naive reference the driver is checked against: per
// organisation, a slice of sealed entries, a map of stream versions and a
// map of commands.
type model struct {
	logs     map[circle.OrgID][]store.Entry
	versions map[store.StreamKey]uint64
	commands map[circle.OrgID]map[store.CommandID]store.CommandRecord
}

func (m *model) head(org circle.OrgID) store.Head {
	l := m.logs[org]
	if len(l) == 0 {
		return store.Head{}
	}
	return store.Head{Seq: l[len(l)-1].Seq, Hash: l[len(l)-1].Hash}
}

// apply predicts the outcome of b: the result, or the sentinels the error
// may match (one per failing stream, since the contract leaves the order of
// checks between streams to the adapter).
func (m *model) apply(b *store.Batch) (store.Result, []error) {
	if !b.Command.IsZero() {
		if rec, ok := m.commands[b.Org][b.Command]; ok {
			if rec.PayloadHash != b.PayloadHash {
				return store.Result{}, []error{store.ErrCommandMismatch}
			}
			return store.Result{First: rec.First, Last: rec.Last, Duplicate: true}, nil
		}
	}
	var fails []error
	for _, s := range b.Streams {
		actual := m.versions[s.Stream]
		switch {
		case s.Expected == 0 && actual != 0:
			fails = append(fails, store.ErrConflict)
		case s.Expected != 0 && actual == 0:
			fails = append(fails, store.ErrNotFound)
		case s.Expected != actual:
			fails = append(fails, store.ErrConflict)
		}
	}
	if len(fails) > 0 {
		return store.Result{}, fails
	}
	entries, err := b.Seal(m.head(b.Org))
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		e.Data = append([]byte(nil), e.Data...)
		m.logs[b.Org] = append(m.logs[b.Org], e)
		m.versions[e.Stream] = e.Version
	}
	last := &entries[len(entries)-1]
	res := store.Result{First: entries[0].Seq, Last: last.Seq, Head: store.Head{Seq: last.Seq, Hash: last.Hash}}
	if !b.Command.IsZero() {
		if m.commands[b.Org] == nil {
			m.commands[b.Org] = make(map[store.CommandID]store.CommandRecord)
		}
		m.commands[b.Org][b.Command] = store.CommandRecord{Org: b.Org, ID: b.Command, PayloadHash: b.PayloadHash, First: res.First, Last: res.Last}
	}
	return res, nil
}

// testModel is the rapid state-machine test: random appends (right and
// wrong versions, repeated and conflicting commands, two organisations
// sharing stream IDs) and reads, each checked against the model.
func testModel(t *testing.T, d store.Driver) {
	ctx := context.Background()
	// Property: after any sequence of appends, every read of the driver
	// equals the model's, and every organisation's log verifies.
	rapid.Check(t, func(t *rapid.T) {
		orgs := []circle.OrgID{NewOrg(), NewOrg()}
		ids := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
		kinds := []store.Kind{store.KindConsent, store.KindElection}
		var keys []store.StreamKey
		for _, org := range orgs {
			for _, id := range ids {
				for _, k := range kinds {
					keys = append(keys, store.StreamKey{Org: org, Kind: k, ID: id})
				}
			}
		}
		cmds := []store.CommandID{store.CommandID(uuid.New()), store.CommandID(uuid.New()), store.CommandID(uuid.New())}
		payloads := []store.Hash{store.DigestOf([]byte("p1")), store.DigestOf([]byte("p2"))}
		m := &model{
			logs:     make(map[circle.OrgID][]store.Entry),
			versions: make(map[store.StreamKey]uint64),
			commands: make(map[circle.OrgID]map[store.CommandID]store.CommandRecord),
		}
		n := 0
		t.Repeat(map[string]func(*rapid.T){
			"append": func(t *rapid.T) {
				org := rapid.SampledFrom(orgs).Draw(t, "org")
				var mine []store.StreamKey
				for _, k := range keys {
					if k.Org == org {
						mine = append(mine, k)
					}
				}
				picked := rapid.SliceOfNDistinct(rapid.SampledFrom(mine), 1, 2, func(k store.StreamKey) store.StreamKey { return k }).Draw(t, "streams")
				b := &store.Batch{Org: org}
				for _, k := range picked {
					exp := m.versions[k]
					if rapid.IntRange(0, 3).Draw(t, "wrong version") == 0 {
						exp = uint64(rapid.IntRange(0, 4).Draw(t, "expected"))
					}
					nrec := rapid.IntRange(1, 3).Draw(t, "records")
					sa := store.StreamAppend{Stream: k, Expected: exp}
					for range nrec {
						n++
						sa.Records = append(sa.Records, store.Record{
							Type: rapid.SampledFrom([]string{"test.a", "test.b"}).Draw(t, "type"),
							Data: []byte(fmt.Sprintf(`{"n":%d}`, n)),
							At:   base.Add(rapidDuration(t)),
						})
					}
					b.Streams = append(b.Streams, sa)
				}
				if rapid.Bool().Draw(t, "with command") {
					b.Command = rapid.SampledFrom(cmds).Draw(t, "command")
					b.PayloadHash = rapid.SampledFrom(payloads).Draw(t, "payload")
				}
				want, wantErrs := m.apply(b)
				got, err := d.Append(ctx, b)
				if len(wantErrs) == 0 {
					require.NoError(t, err)
					if got.Head == (store.Head{}) {
						want.Head = store.Head{} // the driver does not say
					}
					require.Equal(t, want, got)
					return
				}
				require.Error(t, err, "the model expects one of %v", wantErrs)
				matched := false
				for _, w := range wantErrs {
					matched = matched || errors.Is(err, w)
				}
				require.True(t, matched, "error %v matches none of %v", err, wantErrs)
			},
			"read stream": func(t *rapid.T) {
				k := rapid.SampledFrom(keys).Draw(t, "stream")
				after := uint64(rapid.IntRange(0, 4).Draw(t, "after"))
				limit := rapid.IntRange(0, 3).Draw(t, "limit")
				got, err := d.ReadStream(ctx, k, after, limit)
				if m.versions[k] == 0 {
					require.ErrorIs(t, err, store.ErrNotFound)
					return
				}
				require.NoError(t, err)
				var want []store.Entry
				for _, e := range m.logs[k.Org] {
					if e.Stream == k && e.Version > after && (limit <= 0 || len(want) < limit) {
						want = append(want, e)
					}
				}
				require.Len(t, got, len(want))
				for i := range want {
					sameEntry(t, want[i], got[i])
				}
			},
			"read log": func(t *rapid.T) {
				org := rapid.SampledFrom(orgs).Draw(t, "org")
				after := uint64(rapid.IntRange(0, 10).Draw(t, "after"))
				limit := rapid.IntRange(0, 4).Draw(t, "limit")
				got, err := d.ReadLog(ctx, store.LogQuery{Org: org, After: after, Limit: limit})
				require.NoError(t, err)
				var want []store.Entry
				for _, e := range m.logs[org] {
					if e.Seq > after && (limit <= 0 || len(want) < limit) {
						want = append(want, e)
					}
				}
				require.Len(t, got, len(want))
				for i := range want {
					sameEntry(t, want[i], got[i])
				}
			},
			"command": func(t *rapid.T) {
				org := rapid.SampledFrom(orgs).Draw(t, "org")
				c := rapid.SampledFrom(cmds).Draw(t, "command")
				got, err := d.Command(ctx, org, c)
				want, ok := m.commands[org][c]
				if !ok {
					require.ErrorIs(t, err, store.ErrNotFound)
					return
				}
				require.NoError(t, err)
				require.Equal(t, want, got)
			},
			"": func(t *rapid.T) {
				for _, org := range orgs {
					h, err := d.Head(ctx, org)
					require.NoError(t, err)
					require.Equal(t, m.head(org), h)
				}
			},
		})
		checkVersions := func() {
			for _, org := range orgs {
				for _, kind := range kinds {
					infos, err := d.Streams(ctx, store.StreamQuery{Org: org, Kind: kind})
					require.NoError(t, err)
					got := map[store.StreamKey]uint64{}
					for _, in := range infos {
						got[in.Key] = in.Version
					}
					want := map[store.StreamKey]uint64{}
					for k, v := range m.versions {
						if k.Org == org && k.Kind == kind {
							want[k] = v
						}
					}
					require.Equal(t, want, got, "stream versions of %s", kind)
				}
			}
		}
		checkVersions()
		for _, org := range orgs {
			vh, err := verify(org, readAll(t, d, org))
			require.NoError(t, err)
			require.Equal(t, m.head(org), vh)
		}
	})
}

func rapidDuration(t *rapid.T) time.Duration {
	return time.Duration(rapid.IntRange(-1_000_000, 1_000_000).Draw(t, "offset µs")) * 1234
}
