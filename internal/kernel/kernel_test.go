package kernel_test

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
)

// codecOf is what every core package's event codec offers, seen without its
// event type.
type codecOf struct {
	pkg              string
	types            func() []string
	marshalNil       func() error
	strict, stored   func(typ string, data []byte) (string, []byte, error) // decode, then marshal again
	invalid, unknown error
	decodeStrict     func(typ string, data []byte) error // decode only, for the benchmark
	decodeStored     func(typ string, data []byte) error
}

func only[E any](decode func(string, []byte) (E, error)) func(string, []byte) error {
	return func(typ string, data []byte) error { _, err := decode(typ, data); return err }
}

func wrap[E any](marshal func(E) (string, []byte, error), decode func(string, []byte) (E, error)) func(string, []byte) (string, []byte, error) {
	return func(typ string, data []byte) (string, []byte, error) {
		e, err := decode(typ, data)
		if err != nil {
			return "", nil, err
		}
		return marshal(e)
	}
}

var codecs = []codecOf{
	{"circle", circle.EventTypes, func() error { _, _, err := circle.MarshalEvent(nil); return err },
		wrap(circle.MarshalEvent, circle.UnmarshalEvent), wrap(circle.MarshalEvent, circle.UnmarshalStoredEvent),
		circle.ErrInvalidEvent, circle.ErrUnknownEventType, only(circle.UnmarshalEvent), only(circle.UnmarshalStoredEvent)},
	{"consent", consent.EventTypes, func() error { _, _, err := consent.MarshalEvent(nil); return err },
		wrap(consent.MarshalEvent, consent.UnmarshalEvent), wrap(consent.MarshalEvent, consent.UnmarshalStoredEvent),
		consent.ErrInvalidEvent, consent.ErrUnknownEventType, only(consent.UnmarshalEvent), only(consent.UnmarshalStoredEvent)},
	{"election", election.EventTypes, func() error { _, _, err := election.MarshalEvent(nil); return err },
		wrap(election.MarshalEvent, election.UnmarshalEvent), wrap(election.MarshalEvent, election.UnmarshalStoredEvent),
		election.ErrInvalidEvent, election.ErrUnknownEventType, only(election.UnmarshalEvent), only(election.UnmarshalStoredEvent)},
	{"review", review.EventTypes, func() error { _, _, err := review.MarshalEvent(nil); return err },
		wrap(review.MarshalEvent, review.UnmarshalEvent), wrap(review.MarshalEvent, review.UnmarshalStoredEvent),
		review.ErrInvalidEvent, review.ErrUnknownEventType, only(review.UnmarshalEvent), only(review.UnmarshalStoredEvent)},
	{"agreement", agreement.EventTypes, func() error { _, _, err := agreement.MarshalEvent(nil); return err },
		wrap(agreement.MarshalEvent, agreement.UnmarshalEvent), wrap(agreement.MarshalEvent, agreement.UnmarshalStoredEvent),
		agreement.ErrInvalidEvent, agreement.ErrUnknownEventType, only(agreement.UnmarshalEvent), only(agreement.UnmarshalStoredEvent)},
	{"members", members.EventTypes, func() error { _, _, err := members.MarshalEvent(nil); return err },
		wrap(members.MarshalEvent, members.UnmarshalEvent), wrap(members.MarshalEvent, members.UnmarshalStoredEvent),
		members.ErrInvalidEvent, members.ErrUnknownEventType, only(members.UnmarshalEvent), only(members.UnmarshalStoredEvent)},
	{"meeting", meeting.EventTypes, func() error { _, _, err := meeting.MarshalEvent(nil); return err },
		wrap(meeting.MarshalEvent, meeting.UnmarshalEvent), wrap(meeting.MarshalEvent, meeting.UnmarshalStoredEvent),
		meeting.ErrInvalidEvent, meeting.ErrUnknownEventType, only(meeting.UnmarshalEvent), only(meeting.UnmarshalStoredEvent)},
	{"assembly", assembly.EventTypes, func() error { _, _, err := assembly.MarshalEvent(nil); return err },
		wrap(assembly.MarshalEvent, assembly.UnmarshalEvent), wrap(assembly.MarshalEvent, assembly.UnmarshalStoredEvent),
		assembly.ErrInvalidEvent, assembly.ErrUnknownEventType, only(assembly.UnmarshalEvent), only(assembly.UnmarshalStoredEvent)},
}

// goldenEvents reads the stored events pinned by a package's golden file.
func goldenEvents(t *testing.T, pkg string) [][2]string {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", pkg, "testdata", "events.golden"))
	require.NoError(t, err)
	defer f.Close()
	var out [][2]string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		typ, data, ok := strings.Cut(line, " ")
		require.True(t, ok, "%s: %q", pkg, line)
		out = append(out, [2]string{typ, data})
	}
	require.NoError(t, sc.Err())
	return out
}

// Every package's codec behaves alike: a nil event is refused, not a panic;
// an unknown type is ErrUnknownEventType and a body that is not JSON
// ErrInvalidEvent, through both decoders; every pinned event decodes
// through both decoders and encodes back to the same bytes; every type has
// a pinned event.
func TestEveryCodecBehavesAlike(t *testing.T) {
	for _, c := range codecs {
		t.Run(c.pkg, func(t *testing.T) {
			err := c.marshalNil()
			require.ErrorIs(t, err, c.invalid)
			assert.True(t, strings.HasPrefix(err.Error(), c.pkg+": marshal event: "), err.Error())
			for name, dec := range map[string]func(string, []byte) (string, []byte, error){"strict": c.strict, "stored": c.stored} {
				_, _, err := dec(c.pkg+".no_such_event", []byte(`{}`))
				require.ErrorIs(t, err, c.unknown, name)
				assert.NotContains(t, err.Error(), c.pkg+": "+c.pkg+": ", "no stutter")
				for _, typ := range c.types() {
					for _, bad := range []string{``, `nul`, `[1]`, `{"at":`, `"x"`} {
						_, _, err := dec(typ, []byte(bad))
						require.ErrorIs(t, err, c.invalid, "%s %s %q", name, typ, bad)
					}
				}
			}
			seen := map[string]bool{}
			for _, ev := range goldenEvents(t, c.pkg) {
				typ, data := ev[0], []byte(ev[1])
				seen[typ] = true
				for name, dec := range map[string]func(string, []byte) (string, []byte, error){"strict": c.strict, "stored": c.stored} {
					typ2, data2, err := dec(typ, data)
					require.NoError(t, err, "%s %s", name, typ)
					assert.Equal(t, typ, typ2)
					assert.Equal(t, string(data), string(data2), "%s round trip of %s", name, typ)
				}
				_, _, err := c.strict(typ, append(data[:len(data)-1:len(data)-1], []byte(`,"extra":1}`)...))
				require.ErrorIs(t, err, c.invalid, "strict decoding refuses an unknown field of %s", typ)
			}
			for _, typ := range c.types() {
				assert.True(t, seen[typ], "%s has no pinned event", typ)
				assert.True(t, strings.HasPrefix(typ, c.pkg+"."), typ)
				_, name, _ := strings.Cut(typ, ".")
				assert.Equal(t, strings.ToLower(name), name, "event type names are lower snake case: %s", typ)
				assert.NotContains(t, name, "-", "event type names are lower snake case: %s", typ)
			}
		})
	}
}

type enumValue interface {
	~uint8
	String() string
	Valid() bool
	MarshalText() ([]byte, error)
}

type enumCase struct {
	name string
	run  func(t *testing.T)
}

// enumOf checks one enumeration: the zero value and the value past the last
// are invalid, refused by MarshalText with the sentinel; every value is
// valid, its text is its String, spelled as lowercase words joined by
// hyphens, and decodes back to it; bad text is refused with the sentinel.
func enumOf[E enumValue, P interface {
	*E
	UnmarshalText([]byte) error
}](name string, values []E, sentinel error) enumCase {
	return enumCase{name, func(t *testing.T) {
		require.NotEmpty(t, values)
		for i, v := range values {
			require.Equal(t, E(i+1), v, "values are listed in order from 1")
			require.True(t, v.Valid())
			b, err := v.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, v.String(), string(b))
			assert.True(t, enum.IsSlug(string(b)), "%q is lowercase words joined by hyphens", b)
			var back E
			require.NoError(t, P(&back).UnmarshalText(b))
			assert.Equal(t, v, back)
		}
		for _, bad := range []E{0, E(len(values) + 1)} {
			assert.False(t, bad.Valid())
			_, err := bad.MarshalText()
			require.ErrorIs(t, err, sentinel)
			assert.Contains(t, bad.String(), "(")
		}
		for _, bad := range []string{"", "Nope", values[0].String() + " ", strings.ToUpper(values[0].String()), strings.Repeat("é", 100)} {
			var v E
			err := P(&v).UnmarshalText([]byte(bad))
			require.ErrorIs(t, err, sentinel, "%q", bad)
			assert.Less(t, len(err.Error()), 600, "a hostile value does not make a large message")
			assert.Equal(t, E(0), v, "a refused text changes nothing")
		}
	}}
}

// Every enumeration of every core package behaves alike (internal/enum).
func TestEveryEnumBehavesAlike(t *testing.T) {
	cases := []enumCase{
		enumOf("circle.Kind", circle.Kinds(), circle.ErrInvalidKind),
		enumOf("circle.RoleKind", circle.RoleKinds(), circle.ErrInvalidRole),
		enumOf("linking.Code", linking.Codes(), linking.ErrInvalidCode),
		enumOf("linking.LinkState", linking.LinkStates(), linking.ErrInvalidCode),
		enumOf("linking.Direction", linking.Directions(), linking.ErrInvalidCode),
		enumOf("consent.AnswerKind", consent.Answers(), consent.ErrInvalidEvent),
		enumOf("consent.ValidityRule", consent.ValidityRules(), consent.ErrInvalidEvent),
		enumOf("consent.AbsenceRule", consent.AbsenceRules(), consent.ErrInvalidEvent),
		enumOf("consent.ResolutionKind", consent.ResolutionKinds(), consent.ErrInvalidEvent),
		enumOf("consent.ObjectionStatus", consent.ObjectionStatuses(), consent.ErrInvalidEvent),
		enumOf("consent.Result", consent.Results(), consent.ErrInvalidEvent),
		enumOf("consent.Phase", consent.Phases(), consent.ErrInvalidEvent),
		enumOf("consent.Act", consent.Acts(), consent.ErrInvalidEvent),
		enumOf("consent.SupportKind", consent.SupportKinds(), consent.ErrInvalidEvent),
		enumOf("consent.EntryMode", consent.EntryModes(), consent.ErrInvalidEvent),
		enumOf("consent.MembershipChangeKind", consent.MembershipChangeKinds(), consent.ErrInvalidEvent),
		enumOf("consent.PartAct", consent.PartActs(), consent.ErrInvalidEvent),
		enumOf("circle.MandateKind", circle.MandateKinds(), circle.ErrInvalidMandate),
		enumOf("circle.Participation", circle.Participations(), circle.ErrInvalidParticipation),
		enumOf("election.Phase", election.Phases(), election.ErrInvalidEvent),
		enumOf("election.TieRule", election.TieRules(), election.ErrInvalidEvent),
		enumOf("election.Purpose", election.Purposes(), election.ErrInvalidEvent),
		enumOf("election.Act", election.Acts(), election.ErrInvalidEvent),
		enumOf("review.Kind", review.Kinds(), review.ErrInvalidKind),
		enumOf("review.Status", review.Statuses(), review.ErrInvalidEvent),
		enumOf("review.Outcome", review.Outcomes(), review.ErrInvalidOutcome),
		enumOf("review.SourceKind", review.SourceKinds(), review.ErrInvalidSource),
		enumOf("review.Stage", review.Stages(), review.ErrInvalidEvent),
		enumOf("review.Freq", review.Freqs(), review.ErrInvalidRule),
		enumOf("review.Escalation", review.Escalations(), review.ErrInvalidEvent),
		enumOf("agreement.Change", agreement.Changes(), agreement.ErrInvalidChange),
		enumOf("agreement.State", agreement.States(), agreement.ErrInvalidEvent),
		enumOf("members.ConditionKind", members.ConditionKinds(), members.ErrInvalidCondition),
		enumOf("members.Act", members.Acts(), members.ErrInvalidEvent),
		enumOf("meeting.Phase", meeting.Phases(), meeting.ErrInvalidEvent),
		enumOf("meeting.Source", meeting.ItemSources(), meeting.ErrInvalidEvent),
		enumOf("meeting.Attendance", meeting.Attendances(), meeting.ErrInvalidEvent),
		enumOf("meeting.Outcome", meeting.Outcomes(), meeting.ErrInvalidEvent),
		enumOf("meeting.Act", meeting.Acts(), meeting.ErrInvalidEvent),
		enumOf("assembly.Kind", assembly.Kinds(), assembly.ErrInvalidEvent),
		enumOf("assembly.Phase", assembly.Phases(), assembly.ErrInvalidEvent),
		enumOf("assembly.Majority", assembly.Majorities(), assembly.ErrInvalidEvent),
		enumOf("assembly.Comparison", assembly.Comparisons(), assembly.ErrInvalidEvent),
		enumOf("assembly.Base", assembly.Bases(), assembly.ErrInvalidEvent),
		enumOf("assembly.Weighting", assembly.Weightings(), assembly.ErrInvalidEvent),
		enumOf("assembly.Voting", assembly.Votings(), assembly.ErrInvalidEvent),
		enumOf("assembly.Choice", assembly.Choices(), assembly.ErrInvalidEvent),
		enumOf("assembly.Stage", assembly.Stages(), assembly.ErrInvalidEvent),
		enumOf("assembly.Act", assembly.Acts(), assembly.ErrInvalidEvent),
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// Every package's Error prints "pkg: act: detail" once, with or without a
// detail, and never panics on a missing sentinel.
func TestEveryErrorPrintsWithoutStutter(t *testing.T) {
	cases := []struct {
		pkg string
		err func(act string, sentinel error, detail string) error
		s   error
	}{
		{"circle", func(a string, s error, d string) error { return &circle.Error{Act: a, Err: s, Detail: d} }, circle.ErrUnknownPerson},
		{"linking", func(a string, s error, d string) error { return &linking.Error{Op: a, Err: s, Detail: d} }, linking.ErrUnknownCircle},
		{"consent", func(a string, s error, d string) error { return &consent.Error{Act: a, Err: s, Detail: d} }, consent.ErrObjectionOpen},
		{"election", func(a string, s error, d string) error { return &election.Error{Act: a, Err: s, Detail: d} }, election.ErrPhase},
		{"review", func(a string, s error, d string) error { return &review.Error{Act: a, Err: s, Detail: d} }, review.ErrUnknownItem},
		{"agreement", func(a string, s error, d string) error { return &agreement.Error{Act: a, Err: s, Detail: d} }, agreement.ErrUnknownAgreement},
		{"members", func(a string, s error, d string) error { return &members.Error{Act: a, Err: s, Detail: d} }, members.ErrNotMember},
		{"meeting", func(a string, s error, d string) error { return &meeting.Error{Act: a, Err: s, Detail: d} }, meeting.ErrPhase},
		{"assembly", func(a string, s error, d string) error { return &assembly.Error{Act: a, Err: s, Detail: d} }, assembly.ErrNoQuorum},
	}
	for _, c := range cases {
		t.Run(c.pkg, func(t *testing.T) {
			short := strings.TrimPrefix(c.s.Error(), c.pkg+": ")
			assert.Equal(t, c.pkg+": act: "+short, c.err("act", c.s, "").Error())
			assert.Equal(t, c.pkg+": act: what went wrong", c.err("act", c.s, "what went wrong").Error())
			assert.Equal(t, c.pkg+": act: what went wrong", c.err("act", c.s, c.pkg+": what went wrong").Error())
			assert.NotPanics(t, func() { _ = c.err("act", nil, "").Error() })
			assert.True(t, errors.Is(c.err("act", c.s, "x"), c.s))
		})
	}
}

// FuzzUnmarshalStored: the decoder of stored events never panics, on any
// type name and body, in any package, and where the strict decoder accepts
// a body the stored decoder reads the same event (seeds: every pinned event
// of every package).
func FuzzUnmarshalStored(f *testing.F) {
	for _, c := range codecs {
		for _, ev := range goldenEvents(&testing.T{}, c.pkg) {
			f.Add(ev[0], []byte(ev[1]))
		}
	}
	f.Add("circle.founded", []byte(`{"org":null,"zone":7}`))
	f.Add("consent.answered", []byte(`{"answer":"stand_aside"}`))
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		for _, c := range codecs {
			typ2, data2, err := c.stored(typ, data)
			if err != nil {
				continue
			}
			if typ2 != typ {
				t.Fatalf("%s became %s", typ, typ2)
			}
			if _, strictData, err := c.strict(typ, data); err == nil && string(strictData) != string(data2) {
				t.Fatalf("the two decoders disagree on %s:\n%s\n%s", typ, strictData, data2)
			}
		}
	})
}
