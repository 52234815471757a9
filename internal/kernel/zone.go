package kernel

import (
	"fmt"
	"sync"
	"time"

	"github.com/coproduce/sociocracy/internal/enum"
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

// LoadZone is [Zone] with the message a person reads when the name is
// refused: ("", nil, msg) then.
func LoadZone(name string) (*time.Location, string) {
	if loc, ok := Zone(name); ok {
		return loc, ""
	}
	if name == "" || name == "Local" {
		return nil, fmt.Sprintf("%q is not an IANA time zone name (a zone is named, such as Europe/London)", name)
	}
	return nil, fmt.Sprintf("%q is not a known IANA time zone", enum.Clip(name))
}
