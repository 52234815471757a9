package consent_test

import (
	"testing"
	"time"

	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/internal/golden"
)

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	lazy, until := lazyAdopted(t)
	lazy.must(lazy.p.Object(member5, until.Add(-time.Hour), "I was away; this breaks the rota."))
	golden.CheckEvents(t, "events.golden", append(append(seedLogs(t), lazy.events), participationLogs(t)...), consent.MarshalEvent, consent.EventTypes())
}
