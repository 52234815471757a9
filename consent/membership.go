package consent

import (
	"slices"
	"strconv"
	"strings"

	"github.com/coproduce/sociocracy/circle"
)

// Exclusion records a member of the circle who is left out of a snapshot of
// participants, and why. It is the only way to leave a member out: a round's
// participants are exactly the circle's members at the time, less the
// exclusions the snapshot event records ([CheckMembers]). The case the
// method knows is the subject of a removal, who does not decide on their
// own removal.
type Exclusion struct {
	Person PersonID `json:"person"`
	Reason string   `json:"reason"` // required, at most the policy's MaxReason bytes
	// Class, when set, says the member is left out by their participation
	// class in the circle (learning or guest), which a store checks
	// against the organisation.
	Class circle.Participation `json:"class,omitzero"`
	// Recused says the member is left out by a conflict of interest they
	// declared (or that was upheld), see [Process.DeclareInterest].
	Recused bool `json:"recused,omitempty"`
}

// Participants returns the participants a snapshot of circle c of org must
// have now: its members, sorted, less the excluded people. It refuses an
// unknown circle ([ErrUnknownCircle]) and an exclusion of someone who is not
// a member, twice, or without a reason ([ErrInvalidParticipant],
// [ErrMissingReason]).
func Participants(org *circle.Organisation, c circle.CircleID, excluded ...Exclusion) ([]PersonID, error) {
	const act = "participants"
	ci, ok := org.Circle(c)
	if !ok {
		return nil, refuse(act, ErrUnknownCircle, "no circle %s in the organisation", c)
	}
	out := ci.Members()
	for i, x := range excluded {
		if !ci.IsMember(x.Person) {
			return nil, refuse(act, ErrInvalidParticipant, "%s, excluded, is not a member of %s", label(org, x.Person), circleLabel(org, c))
		}
		if slices.ContainsFunc(excluded[:i], func(y Exclusion) bool { return y.Person == x.Person }) {
			return nil, refuse(act, ErrInvalidParticipant, "%s is excluded twice", label(org, x.Person))
		}
		if err := checkText(act, "reason for excluding "+label(org, x.Person), x.Reason, MaxTextLimit, true); err != nil {
			return nil, err
		}
		if j, ok := slices.BinarySearchFunc(out, x.Person, PersonID.Compare); ok {
			out = slices.Delete(out, j, j+1)
		}
	}
	return out, nil
}

// TakesSnapshot reports whether e takes or re-takes the snapshot of
// participants ([Presented], [ConsentRoundOpened], [SnapshotRetaken]): after
// applying such an event a store calls [CheckMembers].
func TakesSnapshot(e Event) bool {
	switch e.(type) {
	case Presented, ConsentRoundOpened, SnapshotRetaken:
		return true
	}
	return false
}

// CheckMembers reports whether the current snapshot of p is exactly the
// members of p's circle in org: its participants and its recorded
// exclusions ([Process.Excluded]) together are the circle's members, each
// once. It refuses with [ErrInvalidParticipant], naming (by label) who is
// not a member and which members are neither participants nor excluded. A
// store calls it after every event for which [TakesSnapshot] is true, with
// the organisation as it was when the event was made; a process still in
// draft has no snapshot and passes.
func CheckMembers(org *circle.Organisation, p *Process) error {
	const act = "check members"
	if p.phase == PhaseDraft || !p.started {
		return nil
	}
	if org.ID() != p.org {
		return refuse(act, ErrUnknownCircle, "the process belongs to organisation %s, not %s", p.org, org.ID())
	}
	ci, ok := org.Circle(p.circle)
	if !ok {
		return refuse(act, ErrUnknownCircle, "no circle %s in the organisation", p.circle)
	}
	ps := p.Participants()
	var strangers, missing []string
	seen := make(map[PersonID]bool, len(ps)+len(p.excluded))
	for _, x := range ps {
		seen[x] = true
		if !ci.IsMember(x) {
			strangers = append(strangers, label(org, x))
		}
	}
	for _, x := range p.excluded {
		seen[x.Person] = true
		if !ci.IsMember(x.Person) {
			strangers = append(strangers, label(org, x.Person)+" (excluded)")
		}
	}
	for x := range ci.MembersUnordered() {
		if !seen[x] {
			missing = append(missing, label(org, x))
		}
	}
	slices.Sort(missing)
	parts := checkClasses(org, ci, p)
	if len(strangers) > 0 {
		parts = append(parts, listOf(strangers)+" "+isAre(len(strangers))+" not a member of "+circleLabel(org, p.circle))
	}
	if len(missing) > 0 {
		parts = append(parts, listOf(missing)+" "+isAre(len(missing))+" a member of "+circleLabel(org, p.circle)+
			" but neither a participant nor excluded with a reason")
	}
	if len(parts) > 0 {
		return refuse(act, ErrInvalidParticipant, "%s", strings.Join(parts, "; "))
	}
	return nil
}

// Excluded returns the exclusions recorded by the latest snapshot, in the
// order given.
func (p *Process) Excluded() []Exclusion { return slices.Clone(p.excluded) }

// checkExclusions checks the exclusions of a snapshot event against its
// participants: each names someone, once, who is not a participant, with a
// reason.
func (p *Process) checkExclusions(act string, participants []PersonID, excluded []Exclusion) error {
	for i, x := range excluded {
		switch {
		case x.Person.IsZero():
			return refuse(act, ErrMissingID, "an exclusion names nobody")
		case slices.ContainsFunc(excluded[:i], func(y Exclusion) bool { return y.Person == x.Person }):
			return refuse(act, ErrInvalidParticipant, "%s is excluded twice", x.Person)
		case slices.Contains(participants, x.Person):
			return refuse(act, ErrInvalidParticipant, "%s is both a participant and excluded", x.Person)
		case x.Class != 0 && (!x.Class.Valid() || x.Class == circle.ParticipationFull):
			return refuse(act, ErrInvalidParticipant, "%s is excluded by class %s; only learning members and guests are", x.Person, x.Class)
		}
		if err := checkText(act, "reason for excluding a member", x.Reason, p.policy.MaxReason, true); err != nil {
			return err
		}
	}
	return nil
}

func label(org *circle.Organisation, id PersonID) string {
	if p, ok := org.Person(id); ok {
		return p.Label()
	}
	return id.String()
}

func circleLabel(org *circle.Organisation, id circle.CircleID) string {
	if c, ok := org.Circle(id); ok {
		return c.Name()
	}
	return "circle " + id.String()
}

// listOf names at most five people, then how many more.
func listOf(names []string) string {
	if len(names) > 5 {
		return strings.Join(names[:5], ", ") + " and " + strconv.Itoa(len(names)-5) + " more"
	}
	return strings.Join(names, ", ")
}

func isAre(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
