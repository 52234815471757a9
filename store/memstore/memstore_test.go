package memstore_test

import (
	"testing"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver { return memstore.New() })
}

func BenchmarkStore(b *testing.B) {
	storetest.RunBenchmarks(b, func(b *testing.B) store.Driver { return memstore.New() })
}
