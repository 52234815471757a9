package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// verifyBody is the body of every entry [FillLog] writes: the size of a
// typical small event.
var verifyBody = []byte(`{"org":"00000000-0000-0000-0000-000000000000","actor":"00000000-0000-0000-0000-000000000000","at":"2026-03-02T18:00:00Z","circle":"x"}`)

// FillLog appends n entries to org's log through d, in batches of up to
// 1,000 records spread over three streams, for benchmarks of long logs.
func FillLog(ctx context.Context, d store.Driver, org circle.OrgID, n int) error {
	keys := []store.StreamKey{
		{Org: org, Kind: store.KindOrganisation, ID: org.UUID()},
		{Org: org, Kind: store.KindConsent, ID: uuid.New()},
		{Org: org, Kind: store.KindReview, ID: org.UUID()},
	}
	versions := make([]uint64, len(keys))
	at := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	circ := circle.CircleID(uuid.New())
	for done := 0; done < n; {
		k := (done / 1000) % len(keys)
		size := min(1000, n-done)
		b := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: keys[k], Expected: versions[k]}}}
		recs := make([]store.Record, size)
		for i := range recs {
			recs[i] = store.Record{Type: "circle.member_added", Data: verifyBody, At: at, Circle: circ}
		}
		b.Streams[0].Records = recs
		if _, err := d.Append(ctx, b); err != nil {
			return err
		}
		versions[k] += uint64(size)
		done += size
	}
	return nil
}

// BenchVerify measures [store.Store.Verify] of org's log (n entries, as
// [FillLog] wrote them) through d, beside the bare chain: a
// [store.Verifier] over the same entries already in memory. Run it from
// an adapter's benchmark; the two sub-benchmarks run side by side.
func BenchVerify(b *testing.B, d store.Driver, org circle.OrgID, n int) {
	ctx := context.Background()
	b.Run("chain", func(b *testing.B) {
		es, err := d.ReadLog(ctx, store.LogQuery{Org: org})
		if err != nil || len(es) != n {
			b.Fatalf("the log holds %d entries, want %d (%v)", len(es), n, err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			v := store.NewVerifier(org)
			for i := range es {
				if err := v.Add(&es[i]); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := v.Finish(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("store-verify", func(b *testing.B) {
		s := store.New(d, nil)
		b.ReportAllocs()
		for b.Loop() {
			h, err := s.Verify(ctx, org)
			if err != nil || h.Seq != uint64(n) {
				b.Fatal(h, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/entry")
	})
}
