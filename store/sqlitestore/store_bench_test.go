package sqlitestore_test

import (
	"testing"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// BenchmarkStore runs the Store's benchmarks of the conformance suite on a
// file database with the default settings.
func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Driver { return openBench(b) })
}
