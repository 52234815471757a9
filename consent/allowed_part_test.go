package consent_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
)

// doPart performs act a by actor for target with valid arguments.
func doPart(p *consent.Process, org *circle.Organisation, a consent.PartAct, actor, target consent.PersonID, at time.Time) ([]consent.Event, error) {
	switch a {
	case consent.PartAnswerFor:
		return p.AnswerFor(actor, at, org, target, consent.AnswerConsent, "")
	case consent.PartEnterAnswer:
		return p.EnterAnswer(actor, at, target, consent.EntryPaper, consent.AnswerConsent, "")
	case consent.PartHearSubject:
		return p.HearSubject(actor, at, "I have something to say.", true)
	case consent.PartAdvise:
		return p.Advise(actor, at, consent.AnswerObject, "I would wait a month.")
	case consent.PartDeclareInterest:
		return p.DeclareInterest(actor, at, actor, "A relative would gain.")
	case consent.PartRaiseInterest:
		return p.DeclareInterest(actor, at, target, "Their relative would gain.")
	case consent.PartRuleOnInterest:
		return p.RuleOnInterest(actor, at, target, true, "It is so.")
	case consent.PartReferToParent:
		return p.ReferToParent(actor, at, org, "Stuck for two rounds.")
	}
	panic("unknown act " + a.String())
}

// takesSomeone reports whether a is done for someone else.
func takesSomeone(a consent.PartAct) bool {
	return a == consent.PartAnswerFor || a == consent.PartEnterAnswer || a == consent.PartRaiseInterest || a == consent.PartRuleOnInterest
}

// AllowedParts is exact: in every situation below, every act of taking
// part it lists succeeds for every person it lists, and every other act
// (or person) is refused and changes nothing.
func TestAllowedPartsIsExact(t *testing.T) {
	raised := func(t require.TestingT) (*fixture, *circle.Organisation) {
		f := inReactions(t)
		f.must(f.p.DeclareInterest(proposer, f.tick(), member5, "P5 works for the agency."))
		return f, supportOrg(t)
	}
	situations := map[string]func(t require.TestingT) (*fixture, *circle.Organisation){
		"a round with mandates": func(t require.TestingT) (*fixture, *circle.Organisation) { return supportRound(t, proxyPolicy(1)) },
		"a removal": func(t require.TestingT) (*fixture, *circle.Organisation) {
			org := supportOrg(t)
			return membershipRound(t, org, consent.DefaultPolicy(), consent.MembershipChange{Change: consent.MembershipRemove, Person: member4}), org
		},
		"learning members and guests": func(t require.TestingT) (*fixture, *circle.Organisation) {
			org := classOrg(t)
			return classRound(t, org, false), org
		},
		"an interest raised":   raised,
		"a stuck process":      func(t require.TestingT) (*fixture, *circle.Organisation) { return stuckRound(t, 2), childOrg(t) },
		"an adopted decision":  func(t require.TestingT) (*fixture, *circle.Organisation) { return inAdopted(t), supportOrg(t) },
		"a process not stuck":  func(t require.TestingT) (*fixture, *circle.Organisation) { return stuckRound(t, 1), childOrg(t) },
		"before presentation":  func(t require.TestingT) (*fixture, *circle.Organisation) { return inDraft(t), supportOrg(t) },
		"in integration":       func(t require.TestingT) (*fixture, *circle.Organisation) { return inIntegration(t), supportOrg(t) },
		"an open item, raised": func(t require.TestingT) (*fixture, *circle.Organisation) { return inPresented(t), supportOrg(t) },
	}
	pool := append(people(1, 2, 3, 4, 5), advocate, joiner, guest, outsider)
	listed := map[consent.PartAct]bool{}
	defer func() {
		for _, a := range consent.PartActs() {
			assert.True(t, listed[a], "some situation allows %s", a)
		}
	}()
	for name, setup := range situations {
		t.Run(name, func(t *testing.T) {
			f, org := setup(t)
			at := f.now.Add(time.Minute)
			for _, actor := range pool {
				allowed := f.p.AllowedParts(org, actor, at)
				for _, x := range allowed {
					listed[x.Act] = true
				}
				for _, a := range consent.PartActs() {
					i := slices.IndexFunc(allowed, func(x consent.Part) bool { return x.Act == a })
					targets := []consent.PersonID{actor}
					if takesSomeone(a) {
						targets = pool
					}
					for _, target := range targets {
						if a == consent.PartRaiseInterest && target == actor {
							continue // one's own interest is declared, PartDeclareInterest
						}
						want := i >= 0 && (!takesSomeone(a) || slices.Contains(allowed[i].For, target))
						c := f.p.Clone()
						_, err := doPart(c, org.Clone(), a, actor, target, at)
						if want {
							assert.NoError(t, err, "%s by %v for %v is listed", a, actor, target)
						} else {
							assert.Error(t, err, "%s by %v for %v is not listed", a, actor, target)
							assert.True(t, reflect.DeepEqual(f.p.Clone(), c), "a refused act changes nothing: %s by %v for %v: %v", a, actor, target, err)
						}
					}
				}
			}
		})
	}
}
