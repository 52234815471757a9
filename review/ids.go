package review

import (
	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

type itemKind struct{}

func (itemKind) IDKind() string { return "review item" }

// ItemID identifies a review item. See [ItemIDFor] for the IDs the
// calendar derives itself.
type ItemID = circle.ID[itemKind]

// ParseItemID parses an [ItemID]; see [circle.ParseID].
func ParseItemID(s string) (ItemID, error) { return circle.ParseID[itemKind](s) }

// Namespace is the UUID namespace of derived item IDs: the name-based
// (version 5) UUID of the URL "https://github.com/coproduce/sociocracy/review".
var Namespace = uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://github.com/coproduce/sociocracy/review"))

// ItemIDFor returns the ID of the item of kind k that source s gives
// organisation org: a name-based (version 5) UUID in [Namespace] of the
// organisation, the item kind, the source kind and the source reference.
// It is pure and stable, so an item scheduled again from the same source
// (an event observed twice, a retried command, a rebuilt calendar) has the
// same ID, and its reminders and iCalendar UID do not change.
func ItemIDFor(org circle.OrgID, k Kind, s Source) ItemID {
	name := make([]byte, 0, 16+len(s.Ref)+40)
	name = append(name, org[:]...)
	name = append(name, k.String()...)
	name = append(name, 0)
	name = append(name, s.Kind.String()...)
	name = append(name, 0)
	name = append(name, s.Ref...)
	return ItemID(uuid.NewSHA1(Namespace, name))
}

// Source names the record an item comes from: an adopted decision, a role
// assignment, a circle, a measure, or something the host keeps. Ref is the
// source's identity as text (1 to 300 bytes, printable UTF-8), spelled by
// the constructors below so that every path to the same source agrees.
//
// The zero Source is invalid.
type Source struct {
	Kind SourceKind `json:"kind"`
	Ref  string     `json:"ref"`
}

// IDSource returns the source of kind k identified by a typed ID, for
// decisions and measures of package consent: IDSource(SourceDecision, d.ID).
func IDSource[K circle.IDKind](k SourceKind, id circle.ID[K]) Source {
	return Source{Kind: k, Ref: id.String()}
}

// CircleSource returns the source for items about a circle: a helping
// circle's end, its regular reviews.
func CircleSource(c circle.CircleID) Source { return Source{Kind: SourceCircle, Ref: c.String()} }

// AssignmentSource returns the source for the term end of an assignment: its
// circle, role, holder and term start, so each term of each holder is one
// item.
func AssignmentSource(a circle.Assignment) Source {
	return Source{Kind: SourceAssignment, Ref: a.Circle.String() + "/" + a.Role.String() + "/" + a.Holder.String() + "/" +
		circle.Normalize(a.Term.Start).Format("2006-01-02T15:04:05.000000Z")}
}

// HostSource returns a source the host names itself (1 to 300 bytes).
func HostSource(ref string) Source { return Source{Kind: SourceHost, Ref: ref} }

// Validate reports what is wrong with s, with [ErrInvalidSource].
func (s Source) Validate() error {
	const act = "check source"
	if !s.Kind.Valid() {
		return refuse(act, ErrInvalidSource, "source kind %d is not valid", uint8(s.Kind))
	}
	if err := checkText(act, "source reference", s.Ref, 1, 300, false); err != nil {
		return refuse(act, ErrInvalidSource, "%s", err.(*Error).Detail)
	}
	return nil
}

// String returns "kind:ref".
func (s Source) String() string { return s.Kind.String() + ":" + s.Ref }

// checkText applies the library's one text rule (kernel.CheckText): not
// blank when required, a length in bytes within [minLen, maxLen], valid
// UTF-8, no control characters (newline and tab only when multiline).
func checkText(act, what, s string, minLen, maxLen int, multiline bool) error {
	if p, msg := kernel.CheckText(kernel.Text{What: what, Min: minLen, Max: maxLen, Multiline: multiline}, s); p != kernel.TextOK {
		return refuse(act, ErrInvalidText, "%s", msg)
	}
	return nil
}
