// Package enum holds the machinery every enumeration of the library shares:
// its name table, String, Valid, the list of values and text marshalling
// both ways.
//
// Every enumeration is a small unsigned integer whose zero value is invalid
// (the first constant is 1 + iota) and whose stored form is text, so that
// reordering constants never corrupts stored data. Every text form is
// lowercase words joined by hyphens ("stand-aside", "policy-review"); the
// spelling rules of the stored forms are in docs/storage.md.
//
// A package declares one [Set] per enumeration and its methods become one
// line each:
//
//	var kinds = enum.New[Kind]("Kind", "circle kind", refuseKind, "mission", "general")
//	func (k Kind) String() string                 { return kinds.Name(k) }
//	func (k Kind) Valid() bool                    { return kinds.Valid(k) }
//	func (k Kind) MarshalText() ([]byte, error)   { return kinds.MarshalText(k) }
//	func (k *Kind) UnmarshalText(b []byte) error  { return kinds.UnmarshalText(b, k) }
package enum

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Refuse builds the owning package's typed error for a refused value; act is
// "marshal <noun>" or "parse <noun>", detail a message a person can act on.
// A nil Refuse gives a plain error.
type Refuse func(act, detail string) error

// Set is the name table of one enumeration E: names[i] is the text of E(i+1).
// A Set is built once at package initialisation and never changed.
type Set[E ~uint8] struct {
	typeName string // the Go type's name, for String of an invalid value
	noun     string // what a value is called in messages, e.g. "circle kind"
	names    []string
	refuse   Refuse
}

// New returns the Set of E. It panics when a name is empty, repeated or not
// lowercase words joined by hyphens: a programming error that any test of the
// package shows at start-up.
func New[E ~uint8](typeName, noun string, refuse Refuse, names ...string) *Set[E] {
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if !IsSlug(n) || seen[n] {
			panic(fmt.Sprintf("enum: %s: name %q is empty, repeated or not lowercase words joined by hyphens", typeName, n))
		}
		seen[n] = true
	}
	if refuse == nil {
		refuse = func(act, detail string) error { return errors.New(act + ": " + detail) }
	}
	return &Set[E]{typeName: typeName, noun: noun, names: names, refuse: refuse}
}

// Name returns the text of v, or "Type(n)" for a value outside the table.
func (s *Set[E]) Name(v E) string {
	if s.Valid(v) {
		return s.names[v-1]
	}
	return s.typeName + "(" + strconv.Itoa(int(v)) + ")"
}

// Valid reports whether v is one of the table's values.
func (s *Set[E]) Valid(v E) bool { return v >= 1 && int(v) <= len(s.names) }

// Values lists every valid value in order; the caller owns the slice.
func (s *Set[E]) Values() []E {
	out := make([]E, len(s.names))
	for i := range out {
		out[i] = E(i + 1)
	}
	return out
}

// Names lists the text of every valid value in order; the caller owns the slice.
func (s *Set[E]) Names() []string { return append([]string(nil), s.names...) }

// Parse returns the value whose text is t, exactly (case-sensitive).
func (s *Set[E]) Parse(t string) (E, bool) {
	for i, n := range s.names {
		if n == t {
			return E(i + 1), true
		}
	}
	return 0, false
}

// MarshalText returns the text of v, or the package's error for an invalid v.
func (s *Set[E]) MarshalText(v E) ([]byte, error) {
	if !s.Valid(v) {
		return nil, s.refuse("marshal "+s.noun, fmt.Sprintf("%d is not %s %s", uint8(v), article(s.noun), s.noun))
	}
	return []byte(s.names[v-1]), nil
}

// UnmarshalText sets *v to the value whose text is b, or returns the
// package's error naming the values it accepts.
func (s *Set[E]) UnmarshalText(b []byte, v *E) error {
	p, ok := s.Parse(string(b))
	if !ok {
		return s.refuse("parse "+s.noun, fmt.Sprintf("%q is not %s %s (want one of %s)", Clip(string(b)), article(s.noun), s.noun, strings.Join(s.names, ", ")))
	}
	*v = p
	return nil
}

// IsSlug reports whether t is lowercase letters and digits in words joined
// by single hyphens: ^[a-z0-9]+(-[a-z0-9]+)*$.
func IsSlug(t string) bool {
	if t == "" || t[0] == '-' || t[len(t)-1] == '-' {
		return false
	}
	for i := 0; i < len(t); i++ {
		switch b := t[i]; {
		case b >= 'a' && b <= 'z', b >= '0' && b <= '9':
		case b == '-' && t[i-1] != '-':
		default:
			return false
		}
	}
	return true
}

// Clip shortens a quoted input to at most 64 bytes so that a hostile value
// cannot make a message large; it never splits a UTF-8 sequence.
func Clip(t string) string {
	if len(t) <= 64 {
		return t
	}
	i := 64
	for i > 0 && t[i]&0xC0 == 0x80 {
		i--
	}
	return t[:i] + "..."
}

// article returns "an" before a noun that starts with a vowel, else "a".
func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}
