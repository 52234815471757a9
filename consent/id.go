package consent

import "github.com/coproduce/sociocracy/circle"

type processKind struct{}

func (processKind) IDKind() string { return "consent process" }

// ProcessID identifies a consent [Process]. The host generates it (for
// example with uuid.New) and passes it to [Start].
type ProcessID = circle.ID[processKind]

// ParseProcessID parses a [ProcessID] in the canonical 36-character form; see
// [circle.ParseID].
func ParseProcessID(s string) (ProcessID, error) { return circle.ParseID[processKind](s) }

// PersonID is the person identifier of package circle, repeated here for
// brevity in signatures.
type PersonID = circle.PersonID
