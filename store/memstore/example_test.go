package memstore_test

import (
	"context"
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// The in-memory adapter behind a Store: for tests and examples, and the
// reference the conformance suite is written against.
func ExampleNew() {
	ctx := context.Background()
	s := store.New(memstore.New(), nil)
	f := circletest.Founding(1)
	if _, err := s.Found(ctx, f, nil); err != nil {
		panic(err)
	}
	_, err := s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		return o.AddPerson(f.Founder, at, circle.PersonSpec{ID: circletest.Person(2), Label: "Ben", Class: circle.SupportedPerson})
	}, &store.WriteOptions{At: f.At.Add(time.Hour)})
	if err != nil {
		panic(err)
	}
	head, err := s.Verify(ctx, f.Org)
	fmt.Println(head.Seq, "entries verified:", err == nil)
	// Output: 3 entries verified: true
}
