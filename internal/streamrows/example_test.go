package streamrows_test

import (
	"fmt"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

// An adapter plans each stream of an append, writes the row only when the
// plan says so, and tells the transaction how the append ended.
func Example() {
	var cache streamrows.Cache
	key := store.StreamKey{Org: circle.OrgID(uuid.New()), Kind: store.KindConsent, ID: uuid.New()}
	team := circle.CircleID(uuid.New())

	tx := cache.Tx()
	start := tx.Plan(&store.StreamAppend{Stream: key, Circle: team, Status: "proposed", Records: make([]store.Record, 1)})
	fmt.Println("start: write the row:", start.Write)
	tx.Done() // the append succeeded
	tx.Commit()

	tx = cache.Tx()
	question := tx.Plan(&store.StreamAppend{Stream: key, Expected: 1, Records: make([]store.Record, 1)})
	fmt.Println("question: write the row:", question.Write, "known:", question.Known)
	tx.Done()
	closing := tx.Plan(&store.StreamAppend{Stream: key, Expected: 2, Status: "closed", Records: make([]store.Record, 1)})
	fmt.Println("closing: write the row:", closing.Write)
	tx.Undo() // rolled back
	tx.Commit()

	r, _ := cache.Get(key)
	fmt.Println("remembered:", r.Version, r.Status)
	// Output:
	// start: write the row: true
	// question: write the row: false known: true
	// closing: write the row: true
	// remembered: 2 proposed
}
