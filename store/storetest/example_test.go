package storetest_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// An adapter proves itself with one call from its tests (here memstore,
// the reference); RunBenchmarks measures the Store's costs over it.
func ExampleRun() {
	_ = func(t *testing.T) {
		storetest.Run(t, func(t *testing.T) store.Driver { return memstore.New() })
	}
	_ = func(b *testing.B) {
		storetest.RunBenchmarks(b, func(b *testing.B) store.Driver { return memstore.New() })
	}
}

// The suite's helpers make fresh, uniquely named data, so that many tests
// can share one database.
func ExampleOne() {
	d := memstore.New()
	key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	res, err := d.Append(context.Background(), storetest.One(key, 0, storetest.Records(3, "example")...))
	fmt.Println(res.First, res.Last, err)
	// Output: 1 3 <nil>
}
