package kernel

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text is the rule for one free-text field: its length in bytes, whether it
// may be left out, and whether it may span lines.
type Text struct {
	What      string // how a person calls the field, e.g. "reason"
	Min, Max  int    // length in bytes; Min > 0 means required
	Multiline bool   // newline and tab allowed
}

// Problem is what is wrong with a text, or TextOK.
type Problem uint8

// The problems [CheckText] finds, in the order it looks for them.
const (
	TextOK      Problem = iota
	TextMissing         // required, but empty or only white space
	TextShort           // shorter than Min bytes
	TextLong            // longer than Max bytes
	TextUTF8            // not valid UTF-8
	TextControl         // a control character (other than newline and tab in multiline text)
)

// CheckText applies the one text rule of the library to s: when required
// (Min > 0) not empty or white space only; within [Min, Max] bytes; valid
// UTF-8; no control characters (C0, DEL and C1), except newline and tab in
// multiline text. It returns the first problem and a message a person can
// act on ("" for TextOK).
func CheckText(r Text, s string) (Problem, string) {
	switch {
	case r.Min > 0 && strings.TrimSpace(s) == "":
		return TextMissing, r.What + " is required"
	case len(s) < r.Min:
		return TextShort, fmt.Sprintf("%s must be at least %d bytes long, not %d", r.What, r.Min, len(s))
	case len(s) > r.Max:
		return TextLong, fmt.Sprintf("%s is %d bytes long; at most %d", r.What, len(s), r.Max)
	case !utf8.ValidString(s):
		return TextUTF8, r.What + " is not valid UTF-8"
	}
	for _, c := range s {
		if c == '\n' || c == '\t' {
			if !r.Multiline {
				return TextControl, r.What + " must be one line (no newline or tab)"
			}
			continue
		}
		if c < 0x20 || (c >= 0x7f && c < 0xa0) {
			return TextControl, fmt.Sprintf("%s contains the control character %U", r.What, c)
		}
	}
	return TextOK, ""
}
