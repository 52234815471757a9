package circle_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
)

// badDocuments are documents Import must refuse, each with the text its
// error must contain (the place it names). They also seed the fuzz target.
var badDocuments = []struct {
	name, edit, wantInError string
}{
	{"unknown field", `"zone": "Europe/London",` + "\n" + `  "colour": "red",`, `unknown field "colour"`},
	{"duplicate key", `"zone": "Europe/London",` + "\n" + `  "zone": "Europe/Paris",`, "zone: duplicate key"},
	{"case-variant key", `"zone": "Europe/London",` + "\n" + `  "Zone": "Europe/Paris",`, `key "Zone" repeats "zone"`},
	{"case-variant key alone", `"Zone": "Europe/London",`, `key "Zone" must be spelled "zone"`},
	{"unknown zone", `"zone": "Europe/Atlantis",`, `zone: "Europe/Atlantis" is not a known IANA time zone`},
	{"malformed id", `"id": "not-a-uuid",`, `import: invalid organisation id "not-a-uuid"`},
	{"dangling parent", `"parent": "c0000000-0000-4000-8000-000000000002"`, "circles[2].parent: unknown circle"},
	{"cycle", `"parent": "c0000000-0000-4000-8000-000000000003"`, "is its own ancestor"},
	{"dangling member", `"person": "50000000-0000-4000-8000-000000000004"`, "circles[2].members[1].person: unknown person"},
	{"invalid kind", `"kind": "team"`, `"tribe" is not a circle kind`},
	{"trailing data", "", "trailing data"},
}

// applyEdit makes one bad document from the fixture's export.
func applyEdit(t testing.TB, doc, name, edit string) string {
	t.Helper()
	replace := func(old, new string, n int) string {
		require.Contains(t, doc, old)
		return strings.Replace(doc, old, new, n)
	}
	switch name {
	case "unknown field", "duplicate key", "case-variant key":
		return replace(`"zone": "Europe/London",`, edit, 1)
	case "case-variant key alone", "unknown zone":
		return replace(`"zone": "Europe/London",`, edit, 1)
	case "malformed id":
		return replace(`"id": "0a000000-0000-4000-8000-000000000001",`, edit, 1)
	case "dangling parent":
		// Team North (circles[2]) points at a circle that does not exist.
		return replace(`"parent": "c0000000-0000-4000-8000-000000000002"`, `"parent": "c0000000-0000-4000-8000-000000000099"`, 2)
	case "cycle":
		// Care's parent becomes Team North, whose parent is Care.
		return replace(`"parent": "c0000000-0000-4000-8000-000000000001",
      "name": "Care"`, `"parent": "c0000000-0000-4000-8000-000000000003",
      "name": "Care"`, 1)
	case "dangling member":
		return replace(`"person": "50000000-0000-4000-8000-000000000002"`, `"person": "50000000-0000-4000-8000-000000000077"`, 1)
	case "invalid kind":
		return replace(`"kind": "team"`, `"kind": "tribe"`, 1)
	case "trailing data":
		return doc + "{}"
	}
	t.Fatalf("no edit for %s", name)
	return ""
}

func TestImportRefusesBadDocumentsNamingThePlace(t *testing.T) {
	good := export(t, fixture(t))
	for _, c := range badDocuments {
		t.Run(c.name, func(t *testing.T) {
			doc := applyEdit(t, good, c.name, c.edit)
			_, err := circle.Import([]byte(doc))
			require.Error(t, err)
			assert.ErrorIs(t, err, circle.ErrInvalidDocument)
			assert.Contains(t, err.Error(), c.wantInError)
		})
	}
}

func TestExportImportExportIsByteIdentical(t *testing.T) {
	first := export(t, fixture(t))
	o, err := circle.Import([]byte(first))
	require.NoError(t, err)
	assert.Equal(t, first, export(t, o))
	assert.Equal(t, uint64(0), o.Version(), "an imported organisation did not come from a stream")
	holder, ok := o.DomainHolder("care/north/rota")
	require.True(t, ok)
	assert.Equal(t, cid(3), holder)
}

func TestImportRunsTheInvariantChecks(t *testing.T) {
	good := export(t, fixture(t))
	// Make Ben (delegate) also the leader of Team North.
	doc := strings.Replace(good, `"role": "leader",
          "holder": "50000000-0000-4000-8000-000000000001"`, `"role": "leader",
          "holder": "50000000-0000-4000-8000-000000000002"`, 1)
	require.NotEqual(t, good, doc)
	_, err := circle.Import([]byte(doc))
	assert.ErrorIs(t, err, circle.ErrInvalidDocument)
	assert.Contains(t, err.Error(), "is both leader and delegate")
}

func FuzzImport(f *testing.F) {
	o, _ := recordedFixture(f)
	good, err := o.Export()
	require.NoError(f, err)
	f.Add(good)
	// Every bad document the import test refuses is a seed too.
	for _, c := range badDocuments {
		f.Add([]byte(applyEdit(f, string(good), c.name, c.edit)))
	}
	for _, s := range []string{`{}`, `{"format":"sociocracy/organisation/v1"}`, `{"zone":"Europe/London","zone":"UTC"}`, `[`, `{"circles":[{"parent":"x"}]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := circle.Import(data)
		if err != nil {
			assert.ErrorIs(t, err, circle.ErrInvalidDocument)
			return
		}
		// Property: whatever is accepted satisfies every invariant and
		// exports to a document that imports to the same export.
		require.NoError(t, o.Check())
		first, err := o.Export()
		require.NoError(t, err)
		again, err := circle.Import(first)
		require.NoError(t, err)
		second, err := again.Export()
		require.NoError(t, err)
		assert.Equal(t, string(first), string(second))
	})
}

func FuzzUnmarshalEvent(f *testing.F) {
	_, history := recordedFixture(f)
	for _, e := range history {
		typ, data, err := circle.MarshalEvent(e)
		require.NoError(f, err)
		f.Add(typ, data)
	}
	f.Add("circle.member_added", []byte(`{"org":"x"}`))
	f.Add("circle.nope", []byte(`{}`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		e, err := circle.UnmarshalEvent(typ, data)
		if err != nil {
			assert.True(t, errorsIsAny(err, circle.ErrInvalidEvent, circle.ErrUnknownEventType), "%v", err)
			return
		}
		// Property: an accepted event's stored form is a fixed point: it
		// decodes and encodes to the same bytes.
		typ2, data2, err := circle.MarshalEvent(e)
		require.NoError(t, err)
		assert.Equal(t, typ, typ2)
		back, err := circle.UnmarshalEvent(typ2, data2)
		require.NoError(t, err)
		_, data3, err := circle.MarshalEvent(back)
		require.NoError(t, err)
		assert.Equal(t, string(data2), string(data3))
	})
}

func TestSeedStartsAStreamThatReplaysToTheDocument(t *testing.T) {
	doc := export(t, fixture(t))
	o, events, err := circle.Seed([]byte(doc), pid(4), t0)
	require.NoError(t, err)
	require.Len(t, events, 1)
	assert.Equal(t, "circle.imported", events[0].EventType())
	assert.Equal(t, uint64(1), o.Version())

	more, err := o.AddMember(pid(4), t0, cid(4), pid(4))
	require.NoError(t, err)
	stored := append(events, more...)
	var decoded []circle.Event
	for _, e := range stored {
		typ, data, err := circle.MarshalEvent(e)
		require.NoError(t, err)
		back, err := circle.UnmarshalEvent(typ, data)
		require.NoError(t, err)
		decoded = append(decoded, back)
	}
	replayed, err := circle.Replay(decoded)
	require.NoError(t, err)
	assert.Equal(t, export(t, o), export(t, replayed))
	assert.Equal(t, uint64(2), replayed.Version())

	_, _, err = circle.Seed([]byte(doc), pid(77), t0)
	assert.ErrorIs(t, err, circle.ErrUnknownActor, "the importer is a person of the document")
}
