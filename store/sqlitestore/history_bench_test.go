package sqlitestore_test

import (
	"testing"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// BenchmarkHistory reads the organisation as of ten years back in a log of
// 1,000,000 entries on a file database, beside the current state.
func BenchmarkHistory(b *testing.B) {
	storetest.RunHistoryBenchmarks(b, func(b *testing.B) store.Driver { return openBench(b) })
}
