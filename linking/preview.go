package linking

import (
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Preview shows what a change would do to the organisation's links before
// anyone makes it: it validates org, applies change to a copy (made with
// [circle.Organisation.Export] and [circle.Import]; org itself is never
// touched) and validates the copy, both at instant now.
//
//	ch, err := linking.Preview(org, policy, now, func(o *circle.Organisation) error {
//		_, err := o.RemoveMember(actor, now, team, person)
//		return err
//	})
//
// It returns the changes and the report of the changed copy. An error from
// change (an act refused, say) is returned unchanged. The copy costs as much as an export and
// an import of the whole organisation.
func Preview(org *circle.Organisation, p *Policy, now time.Time, change func(*circle.Organisation) error) (Changes, *Report, error) {
	before, err := Check(org, p, now)
	if err != nil {
		return Changes{}, nil, err
	}
	doc, err := org.Export()
	if err != nil {
		return Changes{}, nil, err
	}
	cp, err := circle.Import(doc)
	if err != nil {
		return Changes{}, nil, err
	}
	if err := change(cp); err != nil {
		return Changes{}, nil, err
	}
	after, err := Check(cp, p, now)
	if err != nil {
		return Changes{}, nil, err
	}
	return Diff(before, after), after, nil
}
