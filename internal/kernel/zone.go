package kernel

import (
	"sync"
	"time"
)

// zones caches every zone [Zone] has parsed, by name, for the life of the
// process. A *time.Location is immutable once made, so sharing one between
// callers and goroutines is safe; the cache only ever grows by names that
// loaded, and there are a few hundred IANA names, so it is bounded.
// This is the kernel's one piece of shared state: time.LoadLocation reads
// and parses the zone file on every call, and a replay of an organisation
// would otherwise do so for every event that carries a zone.
var zones sync.Map // string -> *time.Location

// Zone returns the IANA zone called name, parsed once per process. It
// refuses "" and "Local" (a zone must be named, so that every machine reads
// dates alike) and names the time package does not know. Which names load
// depends on the zone database of the host: the system's, or the one a
// program embeds by importing time/tzdata (the library never does).
func Zone(name string) (*time.Location, bool) {
	if name == "" || name == "Local" {
		return nil, false
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), true
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	actual, _ := zones.LoadOrStore(name, loc)
	return actual.(*time.Location), true
}
