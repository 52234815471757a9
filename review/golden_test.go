package review_test

import (
	"testing"

	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/review"
)

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", [][]review.Event{sampleEvents()}, review.MarshalEvent, review.EventTypes())
}
