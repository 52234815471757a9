package kernel_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/internal/kernel"
)

func TestCheckTextIsTheOneRule(t *testing.T) {
	line := kernel.Text{What: "name", Min: 1, Max: 10}
	para := kernel.Text{What: "reason", Min: 1, Max: 10, Multiline: true}
	optional := kernel.Text{What: "note", Max: 10, Multiline: true}
	for _, tc := range []struct {
		rule kernel.Text
		s    string
		want kernel.Problem
	}{
		{line, "Ada", kernel.TextOK},
		{line, "", kernel.TextMissing},
		{line, "   ", kernel.TextMissing},
		{para, "\n\t ", kernel.TextMissing},
		{optional, "", kernel.TextOK},
		{optional, "   ", kernel.TextOK},
		{kernel.Text{What: "code", Min: 3, Max: 5}, "ab", kernel.TextShort},
		{line, "12345678901", kernel.TextLong},
		{line, "a\xffb", kernel.TextUTF8},
		{line, "a\nb", kernel.TextControl},
		{line, "a\tb", kernel.TextControl},
		{para, "a\nb\tc", kernel.TextOK},
		{para, "a\x00b", kernel.TextControl},
		{para, "a\x7fb", kernel.TextControl},
		{para, "a\u0085b", kernel.TextControl},
		{para, "a\rb", kernel.TextControl},
		{para, "éé", kernel.TextOK},
	} {
		got, msg := kernel.CheckText(tc.rule, tc.s)
		assert.Equal(t, tc.want, got, "%q under %+v: %s", tc.s, tc.rule, msg)
		if got == kernel.TextOK {
			assert.Empty(t, msg)
		} else {
			assert.True(t, strings.HasPrefix(msg, tc.rule.What+" "), msg)
		}
	}
}

func TestZoneIsParsedOnceAndRefusesUnnamedZones(t *testing.T) {
	a, ok := kernel.Zone("Europe/London")
	require.True(t, ok)
	b, ok := kernel.Zone("Europe/London")
	require.True(t, ok)
	assert.Same(t, a, b, "the second call returns the cached zone")
	for _, bad := range []string{"", "Local", "Mars/Olympus", "../etc/passwd"} {
		_, ok := kernel.Zone(bad)
		assert.False(t, ok, bad)
	}
}

func TestPlainQuotesDetailsWithoutPrefixes(t *testing.T) {
	type myErr struct{ error }
	d := kernel.DetailOf(func(e myErr) string { return "the detail" })
	assert.Equal(t, "the detail", kernel.Plain(fmt.Errorf("wrapped: %w", myErr{errors.New("x")}), d))
	assert.Equal(t, "bad thing", kernel.Plain(errors.New("consent: bad thing")))
	assert.Equal(t, "a; b", kernel.Plain(errors.Join(errors.New("pkg: a"), errors.New("b"))))
	assert.Equal(t, "", kernel.Plain(nil))
	assert.Equal(t, "Odd: text", kernel.Plain(errors.New("Odd: text")))
}

// BenchmarkUnmarshal decodes every pinned event of every core package
// (testdata/events.golden) with the strict decoder for outside input and
// with the decoder for stored events, side by side.
func BenchmarkUnmarshal(b *testing.B) {
	for _, c := range codecs {
		events := goldenEvents(&testing.T{}, c.pkg)
		var bytes int64
		for _, e := range events {
			bytes += int64(len(e[1]))
		}
		for _, mode := range []struct {
			name string
			dec  func(string, []byte) error
		}{{"strict", c.decodeStrict}, {"stored", c.decodeStored}} {
			b.Run(c.pkg+"/"+mode.name, func(b *testing.B) {
				b.SetBytes(bytes)
				b.ReportAllocs()
				for b.Loop() {
					for _, e := range events {
						if err := mode.dec(e[0], []byte(e[1])); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}
