package store

import (
	"context"
	"errors"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// ProfilesReader is an optional ability of a [Driver]: the profiles of many
// people read at once, in one query or a few, where [Driver.Profile] reads
// one. The Store uses it to read the names and addresses of a register of
// members ([Store.StatutoryRegister]); a Driver without it is read person
// by person.
type ProfilesReader interface {
	// Profiles returns the stored profile of each of people in org that
	// has one, keyed by person; a person without one, or whose profile was
	// erased, is absent. A zero org or a zero person is [ErrInvalid]. It
	// reads what Profile would read, person by person.
	Profiles(ctx context.Context, org circle.OrgID, people []circle.PersonID) (map[circle.PersonID][]byte, error)
}

// ProfilesOf returns the profiles of those of people in org that have one,
// read at once where the driver offers [ProfilesReader], else one by one.
// A person without a profile (never set, or erased) is absent.
func (s *Store) ProfilesOf(ctx context.Context, org circle.OrgID, people []circle.PersonID) (map[circle.PersonID]Profile, error) {
	out := make(map[circle.PersonID]Profile, len(people))
	if pr, ok := s.d.(ProfilesReader); ok {
		raw, err := pr.Profiles(ctx, org, people)
		if err != nil {
			return nil, err
		}
		for p, data := range raw {
			var pf Profile
			if err := strictjson.Unmarshal(data, &pf); err != nil {
				return nil, &ChainError{Org: org.String(), Reason: "undecodable profile of " + p.String() + ": " + err.Error()}
			}
			out[p] = pf
		}
		return out, nil
	}
	for _, p := range people {
		pf, err := s.Profile(ctx, org, p)
		switch {
		case errors.Is(err, ErrNotFound):
			continue
		case err != nil:
			return nil, err
		}
		out[p] = pf
	}
	return out, nil
}

// ValidatePeople checks the arguments of [ProfilesReader.Profiles], with
// [ErrInvalid] for a zero organisation or person: adapters call it first.
func ValidatePeople(op string, org circle.OrgID, people []circle.PersonID) error {
	if org.IsZero() {
		return invalid(op, "no organisation")
	}
	for _, p := range people {
		if p.IsZero() {
			return invalid(op, "a zero person")
		}
	}
	return nil
}
