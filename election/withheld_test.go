package election_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/election"
)

// logbook reads an election's stored events as reader may see them, the way
// the package documentation tells a store to.
func logbook(t *testing.T, events []election.Event, reader circle.PersonID) []string {
	t.Helper()
	var out []string
	revealed := false
	for _, ev := range events {
		typ, data, err := election.MarshalEvent(ev)
		require.NoError(t, err)
		revealed = revealed || election.RevealsType(typ)
		if election.WithheldType(typ) && !revealed && reader != ev.(interface{ EventHeader() election.Header }).EventHeader().Actor {
			data, err = election.RedactStored(typ, data)
			require.NoError(t, err)
		}
		out = append(out, typ+" "+string(data))
	}
	return out
}

// "Nominations stay hidden from everyone but their author until they are
// revealed": no reader sees another's nominee or reason before the reveal,
// and everyone sees them after it.
func TestNominationsAreWithheldUntilTheReveal(t *testing.T) {
	logs := goldenLogs(t)
	for li, log := range logs {
		reveal := len(log)
		for i, ev := range log {
			if election.Reveals(ev) {
				reveal = i
				break
			}
		}
		for _, reader := range []circle.PersonID{pid(1), pid(3), pid(9)} {
			lines := logbook(t, log, reader)
			for i, ev := range log {
				n, ok := ev.(election.Nominated)
				if !ok {
					continue
				}
				require.True(t, election.Withheld(ev))
				shown := lines[i]
				hidden := i < reveal && n.Actor != reader
				assert.Equal(t, hidden, !strings.Contains(shown, n.Reason), "log %d line %d for %s: %s", li, i, reader, shown)
				assert.Equal(t, hidden, !strings.Contains(shown, `"nominee"`), "log %d line %d for %s", li, i, reader)
				assert.Contains(t, shown, n.Actor.String(), "who nominated is shown")
			}
		}
	}
	assert.False(t, election.Withheld(election.Proposed{}))
	assert.Equal(t, election.Event(election.Proposed{}), election.Redacted(election.Proposed{}))
	_, err := election.RedactStored("election.nominated", []byte(`{`))
	assert.ErrorIs(t, err, election.ErrInvalidEvent)
	b, err := election.RedactStored("election.proposed", []byte(`anything`))
	require.NoError(t, err)
	assert.Equal(t, "anything", string(b), "a body that is not withheld is passed through")
}
