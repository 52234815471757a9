package memstore_test

import (
	"context"
	"testing"

	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// BenchmarkVerify1M verifies a log of 1,000,000 entries through
// Store.Verify beside the bare hash chain over the same entries (target:
// under 2 s).
func BenchmarkVerify1M(b *testing.B) {
	const n = 1_000_000
	d := memstore.New()
	org := storetest.NewOrg()
	if err := storetest.FillLog(context.Background(), d, org, n); err != nil {
		b.Fatal(err)
	}
	storetest.BenchVerify(b, d, org, n)
}
