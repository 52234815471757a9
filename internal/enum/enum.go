// Package enum holds the text form shared by the library's enumerations.
//
// Every enumeration is a small unsigned integer whose zero value is invalid
// (the first constant is 1 + iota) and whose stored form is text, so that
// reordering constants never corrupts stored data. A package keeps a table of
// names indexed by value - 1 and calls these helpers from its String,
// MarshalText and UnmarshalText methods.
package enum

import "strconv"

// Name returns the text of v, or typeName(v) for a value outside the table.
func Name[E ~uint8](names []string, typeName string, v E) string {
	if v >= 1 && int(v) <= len(names) {
		return names[v-1]
	}
	return typeName + "(" + strconv.Itoa(int(v)) + ")"
}

// Valid reports whether v is one of the table's values.
func Valid[E ~uint8](names []string, v E) bool { return v >= 1 && int(v) <= len(names) }

// Parse returns the value whose text is s, exactly (case-sensitive).
func Parse[E ~uint8](names []string, s string) (E, bool) {
	for i, n := range names {
		if n == s {
			return E(i + 1), true
		}
	}
	return 0, false
}
