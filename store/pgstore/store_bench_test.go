package pgstore_test

import (
	"testing"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// BenchmarkStore runs the Store's benchmarks of the conformance suite on
// the test server.
func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Driver { return newDriver(b) })
}
