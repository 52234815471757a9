package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTheSimulatedWeekTellsItsStory(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out))
	got := out.String()
	for _, want := range []string{
		"opens an online consent round",
		"round open a nanosecond before the deadline: true; at it: false",
		"Lena answers at the deadline: refused",
		"adopted under lazy consent; silent: [Lena]",
		"the review calendar now holds its policy review",
		"Lena objects after the window: refused",
		"each once",
	} {
		assert.Contains(t, got, want)
	}
	// Each reminder is printed once although the job ran twice every tick.
	seen := map[string]bool{}
	for _, line := range strings.Split(got, "\n") {
		if i := strings.Index(line, "reminder:"); i >= 0 {
			assert.False(t, seen[line[i:]], "sent twice: %s", line)
			seen[line[i:]] = true
		}
	}
	assert.NotEmpty(t, seen)

	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, got, again.String(), "the fake clock makes the run deterministic")
}
