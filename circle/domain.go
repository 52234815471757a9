package circle

import "strings"

// DomainKey names an area of authority as a path of lowercase segments:
// "care", "care/rota", "care/rota/weekends". A key contains itself and every
// key below it, so delegation and overlap are exact prefix questions
// (docs/method.md, "Domain"). A key has 1 to 16 segments of lowercase letters,
// digits and inner hyphens, at most 200 bytes in all.
type DomainKey string

// Valid reports whether k is spelled as a domain key must be.
func (k DomainKey) Valid() bool {
	if len(k) == 0 || len(k) > 200 {
		return false
	}
	segs := strings.Split(string(k), "/")
	if len(segs) > 16 {
		return false
	}
	for _, s := range segs {
		if !isSlug(s) {
			return false
		}
	}
	return true
}

// Contains reports whether other is k or lies below it.
func (k DomainKey) Contains(other DomainKey) bool {
	return other == k || (len(other) > len(k) && strings.HasPrefix(string(other), string(k)) && other[len(k)] == '/')
}

// Overlaps reports whether k and other are the same key or one lies below the other.
func (k DomainKey) Overlaps(other DomainKey) bool { return k.Contains(other) || other.Contains(k) }

// Parent returns the key one segment up and false for a one-segment key.
func (k DomainKey) Parent() (DomainKey, bool) {
	i := strings.LastIndexByte(string(k), '/')
	if i < 0 {
		return "", false
	}
	return k[:i], true
}

// UnmarshalText implements encoding.TextUnmarshaler and refuses badly spelled keys.
func (k *DomainKey) UnmarshalText(b []byte) error {
	v := DomainKey(b)
	if !v.Valid() {
		return refuse("parse domain key", ErrInvalidDomainKey, "%q is not a domain key (lowercase segments joined by '/')", clip(string(b)))
	}
	*k = v
	return nil
}

// containedIn reports whether some key of keys contains k.
func containedIn(keys []DomainKey, k DomainKey) bool {
	for _, p := range keys {
		if p.Contains(k) {
			return true
		}
	}
	return false
}
