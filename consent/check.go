package consent

import "errors"

// Check verifies the invariants of a process and reports every broken one
// at once (joined [*Error] values matching [ErrInvariant]); nil means
// consistent. Acts and [Replay] keep these invariants; Check is for hosts
// that hold processes in memory for long and for tests:
//
//   - versions and rounds are numbered from 1 without gaps, and each round
//     is on an existing version;
//   - only the latest round can hold an open objection;
//   - in an adopted process no objection is open, and every decision has a
//     review date after its adoption;
//   - every answer belongs to a current participant, and every open
//     objection to a participant whose answer is an objection;
//   - a process in a consent, integration or adopted phase has a round.
func (p *Process) Check() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, refuse("check", ErrInvariant, format, args...))
	}
	if !p.started {
		return refuse("check", ErrNotStarted, "the process has not been started")
	}
	if !p.phase.Valid() {
		bad("phase %d is not valid", uint8(p.phase))
	}
	for i, v := range p.versions {
		if v.Version != i+1 {
			bad("version %d is numbered %d", i+1, v.Version)
		}
	}
	if (p.phase == PhaseConsent || p.phase == PhaseIntegration || p.phase == PhaseAdopted) && len(p.rounds) == 0 {
		bad("phase %s without a round", p.phase)
	}
	for i, r := range p.rounds {
		n := i + 1
		if r.Number() != n {
			bad("round %d is numbered %d", n, r.Number())
		}
		if r.Version() < 1 || r.Version() > len(p.versions) {
			bad("round %d is on version %d of %d", n, r.Version(), len(p.versions))
		}
		if open := r.OpenObjections(); open > 0 && n < len(p.rounds) {
			bad("round %d holds %d open objections but is not the latest", n, open)
		}
		for person, a := range r.answers {
			if !r.member[person] || a.Person != person {
				bad("round %d: answer of %s who is not a participant", n, person)
			}
		}
		for _, o := range r.objections {
			if o.Status != ObjectionOpen {
				continue
			}
			if a, ok := r.answers[o.Objector]; !ok || a.Kind != AnswerObject {
				bad("round %d: open objection of %s without an objecting answer", n, o.Objector)
			}
			if i, ok := r.current[o.Objector]; !ok || r.objections[i].RaisedAt != o.RaisedAt {
				bad("round %d: open objection of %s is not current", n, o.Objector)
			}
		}
	}
	if p.phase == PhaseAdopted {
		if p.OpenObjections() > 0 {
			bad("adopted with %s", count(p.OpenObjections(), "open objection"))
		}
		if len(p.decisions) == 0 {
			bad("adopted without a decision record")
		}
	}
	for i, d := range p.decisions {
		if !d.ReviewDate.After(d.AdoptedAt) {
			bad("decision %d: review date %s is not after adoption %s", i+1, stamp(d.ReviewDate), stamp(d.AdoptedAt))
		}
		for _, o := range d.Objections {
			if o.Status == ObjectionOpen {
				bad("decision %d records an open objection of %s", i+1, o.Objector)
			}
		}
	}
	return errors.Join(errs...)
}
