package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// FuzzParseAnchor: what a person types after --anchor is either a head
// that prints back to the same text, or a usage error; never a panic.
func FuzzParseAnchor(f *testing.F) {
	for _, s := range []string{"", "117:665796e93b1fbb20bd398ff9eabe5bed7bdae7c46c23f2d92bc1fc7dcf90fbca", "117", ":", "0:00",
		"+1:665796e93b1fbb20bd398ff9eabe5bed7bdae7c46c23f2d92bc1fc7dcf90fbca", "18446744073709551616:665796e93b1fbb20bd398ff9eabe5bed7bdae7c46c23f2d92bc1fc7dcf90fbca"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		h, err := parseAnchor(text)
		if err != nil {
			if !errors.Is(err, errUsage) {
				t.Fatalf("%q: %v is not a usage error", text, err)
			}
			return
		}
		if text == "" {
			if h.Seq != 0 {
				t.Fatalf("empty text gave %v", h)
			}
			return
		}
		// The head is the one typed (the number may carry leading zeros,
		// the hash either case).
		seq, hash, _ := strings.Cut(text, ":")
		if n := strings.TrimLeft(seq, "0"); n != fmt.Sprint(h.Seq) || !strings.EqualFold(hash, h.Hash.String()) {
			t.Fatalf("%q read as %d:%s", text, h.Seq, h.Hash)
		}
	})
}

// FuzzDate: a date flag is a day in the zone, an RFC 3339 instant, or a
// usage error; never a panic.
func FuzzDate(f *testing.F) {
	for _, s := range []string{"2026-11-02", "2026-11-02T10:00:00Z", "2026-02-30", "yesterday", "", "2026-11-02T10:00:00+01:00"} {
		f.Add(s)
	}
	zone, err := time.LoadLocation("Europe/London")
	if err != nil {
		f.Fatal(err)
	}
	def := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		got, err := date("at", text, zone, def)
		switch {
		case err != nil:
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), "is not a date") {
				t.Fatalf("%q: %v", text, err)
			}
		case text == "":
			if !got.Equal(def) {
				t.Fatalf("empty text gave %s", got)
			}
		case len(text) == len("2006-01-02"):
			if got.Location() != zone || got.Hour() != 0 || got.Minute() != 0 {
				t.Fatalf("%q: a day is its start in the zone, got %s", text, got)
			}
		}
	})
}
