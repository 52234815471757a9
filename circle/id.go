package circle

import (
	"bytes"
	"fmt"

	"github.com/google/uuid"
)

// IDKind names what an [ID] identifies. Packages that need their own
// identifiers (a consent process, an election, a review item) declare an
// unexported struct type implementing it and an alias such as
//
//	type ProcessID = circle.ID[processKind]
//
// so every identifier in the library shares one implementation and two
// kinds of ID never mix.
type IDKind interface {
	// IDKind returns the lowercase noun used in error messages ("person").
	IDKind() string
}

// ID is a typed identifier: a UUID that also knows what it identifies. The
// zero ID is the nil UUID and means "none"; acts refuse it where an ID is
// required. IDs are comparable and can be used as map keys. They marshal to
// the canonical 36-character UUID text and parse strictly.
type ID[K IDKind] uuid.UUID

// NewID wraps an existing UUID (from uuid.New in the host, or from storage).
// Its kind parameter is unexported outside the package that declares the ID,
// so code in another module names the ID type instead: [FromUUID], [ParseAs],
// [MustParseAs], or a conversion such as circle.PersonID(u).
func NewID[K IDKind](u uuid.UUID) ID[K] { return ID[K](u) }

// FromUUID returns u as an identifier of type I, which is any ID type of the
// library, such as a UUID the host made: circle.FromUUID[consent.ProcessID](u).
func FromUUID[I ~[16]byte](u uuid.UUID) I { return I(u) }

// ParseAs parses the canonical text of an identifier of type I, by
// [ParseID]'s rules, from any module: circle.ParseAs[election.ElectionID](s).
func ParseAs[I ~[16]byte, P interface {
	*I
	UnmarshalText([]byte) error
}](s string) (I, error) {
	var id I
	if err := P(&id).UnmarshalText([]byte(s)); err != nil {
		return I{}, err
	}
	return id, nil
}

// MustParseAs is [ParseAs] for constants and tests; it panics on bad input.
func MustParseAs[I ~[16]byte, P interface {
	*I
	UnmarshalText([]byte) error
}](s string) I {
	id, err := ParseAs[I, P](s)
	if err != nil {
		panic(err)
	}
	return id
}

// ParseID parses the canonical 36-character form
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx). Other forms uuid.Parse accepts
// (braces, "urn:uuid:", no hyphens) are refused so that every stored ID has
// one spelling.
func ParseID[K IDKind](s string) (ID[K], error) {
	var k K
	if len(s) != 36 {
		return ID[K]{}, &IDError{Kind: k.IDKind(), Input: s, Reason: "want 36 characters in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"}
	}
	u, err := uuid.Parse(s)
	if err != nil {
		return ID[K]{}, &IDError{Kind: k.IDKind(), Input: s, Reason: "not a UUID"}
	}
	return ID[K](u), nil
}

// MustParseID is ParseID for constants and tests; it panics on bad input.
// From another module, use [MustParseAs].
func MustParseID[K IDKind](s string) ID[K] {
	id, err := ParseID[K](s)
	if err != nil {
		panic(err)
	}
	return id
}

// UUID returns the underlying UUID.
func (id ID[K]) UUID() uuid.UUID { return uuid.UUID(id) }

// IsZero reports whether id is the nil UUID.
func (id ID[K]) IsZero() bool { return id == ID[K]{} }

// String returns the canonical lowercase text form.
func (id ID[K]) String() string { return uuid.UUID(id).String() }

// Compare orders IDs by their bytes; it gives every listing in the library
// its deterministic order.
func (id ID[K]) Compare(other ID[K]) int { return bytes.Compare(id[:], other[:]) }

// MarshalText implements encoding.TextMarshaler.
func (id ID[K]) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with [ParseID]'s rules.
func (id *ID[K]) UnmarshalText(b []byte) error {
	p, err := ParseID[K](string(b))
	if err != nil {
		return err
	}
	*id = p
	return nil
}

// IDError reports malformed ID text. It matches [ErrInvalidID].
type IDError struct {
	Kind   string // what the ID identifies
	Input  string // the text that failed, cut to 64 bytes
	Reason string
}

func (e *IDError) Error() string {
	in := e.Input
	if len(in) > 64 {
		in = in[:64] + "..."
	}
	return fmt.Sprintf("circle: invalid %s id %q: %s", e.Kind, in, e.Reason)
}

// Is reports whether target is [ErrInvalidID].
func (e *IDError) Is(target error) bool { return target == ErrInvalidID }

type (
	orgKind    struct{}
	personKind struct{}
	circleKind struct{}
)

func (orgKind) IDKind() string    { return "organisation" }
func (personKind) IDKind() string { return "person" }
func (circleKind) IDKind() string { return "circle" }

// The identifiers of this package.
type (
	OrgID    = ID[orgKind]
	PersonID = ID[personKind]
	CircleID = ID[circleKind]
)

// ParseOrgID parses an [OrgID]; see [ParseID].
func ParseOrgID(s string) (OrgID, error) { return ParseID[orgKind](s) }

// ParsePersonID parses a [PersonID]; see [ParseID].
func ParsePersonID(s string) (PersonID, error) { return ParseID[personKind](s) }

// ParseCircleID parses a [CircleID]; see [ParseID].
func ParseCircleID(s string) (CircleID, error) { return ParseID[circleKind](s) }
