package consent_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/consent"
)

func TestSnapshotRoundTripsInEveryPhase(t *testing.T) {
	for name, setup := range map[string]func(require.TestingT) *fixture{
		"draft": inDraft, "presented": inPresented, "reactions": inReactions, "consent": inConsent,
		"integration": inIntegration, "adopted": inAdopted, "withdrawn": inWithdrawn, "referred": inReferred,
	} {
		t.Run(name, func(t *testing.T) {
			f := setup(t)
			data, err := json.Marshal(f.p)
			require.NoError(t, err)
			var back consent.Process
			require.NoError(t, json.Unmarshal(data, &back))
			assert.Equal(t, f.p, &back)
			// The restored process goes on like the original.
			for _, a := range consent.Acts() {
				at := f.now.Add(1)
				_, err1 := do(f.p.Clone(), a, canonicalActor(a), at)
				_, err2 := do(&back, a, canonicalActor(a), at)
				assert.Equal(t, err1 == nil, err2 == nil, a.String())
				back = *mustRestore(t, data)
			}
		})
	}
}

func mustRestore(t *testing.T, data []byte) *consent.Process {
	var p consent.Process
	require.NoError(t, p.UnmarshalJSON(data))
	return &p
}

func TestSnapshotDecodingIsStrict(t *testing.T) {
	f := inIntegration(t)
	data, err := json.Marshal(f.p)
	require.NoError(t, err)
	s := string(data)
	tests := []struct {
		name string
		data string
		want error
	}{
		{"unknown field", s[:len(s)-1] + `,"x":1}`, consent.ErrInvalidEvent},
		{"bad phase", strings.Replace(s, `"phase":"integration"`, `"phase":"voting"`, 1), consent.ErrInvalidEvent},
		{"adopted with an open objection", strings.Replace(s, `"phase":"integration"`, `"phase":"adopted"`, 1), consent.ErrInvariant},
		{"answer of an outsider", strings.Replace(s, `"person":"50000000-0000-4000-8000-000000000004"`, `"person":"50000000-0000-4000-8000-000000000099"`, 1), consent.ErrInvalidEvent},
		{"not JSON", `[`, consent.ErrInvalidEvent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.NotEqual(t, s, tt.data, "the test changes the snapshot")
			p := f.p.Clone()
			before := p.Clone()
			err := p.UnmarshalJSON([]byte(tt.data))
			assert.ErrorIs(t, err, tt.want)
			assert.Equal(t, before, p, "a refused snapshot changes nothing")
		})
	}
	var zero consent.Process
	_, err = json.Marshal(&zero)
	assert.ErrorIs(t, err, consent.ErrNotStarted)
}

// FuzzProcessSnapshot decodes arbitrary snapshots: never a panic; what
// decodes is consistent and re-encodes to an equal process.
func FuzzProcessSnapshot(f *testing.F) {
	for _, setup := range []func(require.TestingT) *fixture{inPresented, inConsent, inIntegration, inAdopted, inReferred} {
		data, err := json.Marshal(setup(f).p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p consent.Process
		if err := p.UnmarshalJSON(data); err != nil {
			return
		}
		if err := p.Check(); err != nil {
			t.Fatalf("a decoded snapshot is inconsistent: %v", err)
		}
		again, err := json.Marshal(&p)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		var q consent.Process
		if err := q.UnmarshalJSON(again); err != nil {
			t.Fatalf("re-decoding %s: %v", again, err)
		}
		if !reflect.DeepEqual(&p, &q) {
			t.Fatalf("round trip changed the process")
		}
		for _, a := range consent.Acts() {
			_, _ = do(p.Clone(), a, canonicalActor(a), p.LastAt())
		}
	})
}

// Regression: an adopted snapshot without rounds is refused (a late
// objection would otherwise find no round to object in).
func TestSnapshotAdoptedWithoutRoundsIsRefused(t *testing.T) {
	f, _ := lazyAdopted(t)
	data, err := json.Marshal(f.p)
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	delete(m, "rounds")
	data, err = json.Marshal(m)
	require.NoError(t, err)
	var p consent.Process
	assert.ErrorIs(t, p.UnmarshalJSON(data), consent.ErrInvariant)
}
