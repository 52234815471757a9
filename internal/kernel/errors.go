package kernel

import (
	"errors"
	"strings"
)

// Message is the text of a core package's typed error:
// "pkg: act: detail", or "pkg: act: sentinel" (the sentinel's own text less
// its "pkg: " prefix) when detail is empty. A nil sentinel and an empty act
// are tolerated, never a panic; a detail that already begins with "pkg: " is
// not prefixed twice.
func Message(pkg, act string, sentinel error, detail string) string {
	prefix := pkg + ": "
	if detail == "" && sentinel != nil {
		detail = strings.TrimPrefix(sentinel.Error(), prefix)
	}
	detail = strings.TrimPrefix(detail, prefix)
	var b strings.Builder
	b.Grow(len(prefix) + len(act) + 2 + len(detail))
	b.WriteString(prefix)
	if act != "" {
		b.WriteString(act)
		if detail != "" {
			b.WriteString(": ")
		}
	}
	if detail == "" {
		detail = "failed"
	}
	b.WriteString(detail)
	return b.String()
}

// Detailed is implemented by a core package's *Error through a function the
// package passes to [Plain]: it returns the plain detail of err when err is
// (or wraps) that package's error.
type Detailed func(err error) (detail string, ok bool)

// Plain returns the message of err without package prefixes, for quoting one
// error inside another: the detail of every core error inside it (joined
// errors included, in order, separated by "; "), or else its text with a
// leading "word: " package prefix removed. The details functions are tried
// in order; nil err gives "".
func Plain(err error, details ...Detailed) string {
	if err == nil {
		return ""
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		parts := make([]string, 0, len(joined.Unwrap()))
		for _, e := range joined.Unwrap() {
			if p := Plain(e, details...); p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, "; ")
	}
	for _, d := range details {
		if s, ok := d(err); ok && s != "" {
			return s
		}
	}
	return trimWordPrefix(err.Error())
}

// DetailOf returns a [Detailed] for the error type T of a core package,
// given how to read its detail.
func DetailOf[T error](detail func(T) string) Detailed {
	return func(err error) (string, bool) {
		var t T
		if !errors.As(err, &t) {
			return "", false
		}
		return detail(t), true
	}
}

// trimWordPrefix removes a leading "word: " where word is lowercase letters
// (a package name such as "consent: ").
func trimWordPrefix(s string) string {
	i := strings.Index(s, ": ")
	if i <= 0 {
		return s
	}
	for _, r := range s[:i] {
		if r < 'a' || r > 'z' {
			return s
		}
	}
	return s[i+2:]
}
