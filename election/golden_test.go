package election_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/internal/golden"
)

// goldenLogs returns election logs that hold every election event type at
// least once, built through the acts.
func goldenLogs(t *testing.T) [][]election.Event {
	t.Helper()
	var logs [][]election.Event
	run := func(validity consent.ValidityRule, script func(e *election.Election, do func([]election.Event, error))) {
		spec := delegateSpec()
		spec.Policy.Consent.Validity = validity
		e, log, err := election.Call(teamOrg(4), spec, at(0))
		require.NoError(t, err)
		do := func(evs []election.Event, err error) {
			t.Helper()
			require.NoError(t, err)
			log = append(log, evs...)
		}
		script(e, do)
		logs = append(logs, log)
	}
	// An objection to the description, amended; a tie re-run; a change; an
	// objection to the nominee met by a shorter term: elected.
	run(consent.ValidityGroupTest, func(e *election.Election, do func([]election.Event, error)) {
		do(e.Object(pid(3), at(1), "a year is too long for a first delegate"))
		do(e.UnderstandObjection(pid(1), at(2), pid(3), "a year is long for someone new"))
		do(e.TestObjection(pid(1), at(2), pid(3), true, "it names a harm to the circle"))
		do(e.AmendDescription(pid(1), at(3), "Carries the team's concerns to the general circle", "Knows the rota", circletest.Term(9), []circle.PersonID{pid(3)}))
		for i := 1; i <= 4; i++ {
			do(e.Consent(pid(i), at(4)))
		}
		do(e.OpenNominations(pid(1), at(5)))
		do(e.Nominate(pid(1), at(6), pid(2), "listens"))
		do(e.Nominate(pid(2), at(6), pid(2), "willing"))
		do(e.Nominate(pid(3), at(6), pid(3), "speaks up"))
		do(e.Nominate(pid(4), at(6), pid(3), "steady"))
		do(e.RerunChanges(pid(1), at(7)))
		do(e.ChangeNomination(pid(4), at(8), pid(2), "Bea asked first"))
		do(e.Propose(pid(1), at(9), election.ProposalSpec{Nominee: pid(2), Reasons: "most reasons"}))
		do(e.Object(pid(3), at(10), "nine months is long to try someone"))
		do(e.UnderstandObjection(pid(1), at(11), pid(3), "six months first"))
		do(e.ShortenTerm(pid(1), at(11), pid(3), circletest.T0.AddDate(0, 6, 0)))
		for _, p := range []int{1, 3, 4, 2} {
			do(e.Consent(pid(p), at(12)))
		}
		do(e.Elect(pid(1), at(13)))
	})
	// The proposed nominee declines; the election is cancelled.
	run(consent.ValidityAllStated, func(e *election.Election, do func([]election.Event, error)) {
		for i := 1; i <= 4; i++ {
			do(e.Consent(pid(i), at(1)))
		}
		do(e.OpenNominations(pid(1), at(2)))
		for i := 1; i <= 4; i++ {
			do(e.Nominate(pid(i), at(3), pid(2), "steady"))
		}
		do(e.Propose(pid(1), at(4), election.ProposalSpec{Nominee: pid(2), Reasons: "everyone named her"}))
		do(e.Decline(pid(2), at(5), "not this year"))
		do(e.Cancel(pid(1), at(6), "nobody else was named"))
	})
	return logs
}

// TestStorageFormatIsStable: the stored form of every event type (type name
// and JSON body) is part of the storage format and never changes
// (docs/storage.md). A change to testdata/events.golden is a change of
// format: rewrite it with -update only together with a migration.
func TestStorageFormatIsStable(t *testing.T) {
	golden.CheckEvents(t, "events.golden", goldenLogs(t), election.MarshalEvent, election.EventTypes())
}
