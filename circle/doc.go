// Package circle models an organisation that governs itself in circles:
// its people (by opaque ID, with a stakeholder class), its circles (kind,
// aim, domain, parent, members) and the roles its members hold for a term.
// The vocabulary is the one docs/method.md defines.
//
// # Acts and events
//
// Every change is an act named for what happens ([Organisation.AddMember],
// [Organisation.AssignRole], [Organisation.DelegateDomain], ...). An act takes
// the acting person and the time as arguments, and either returns an
// [*Error] matching one of the package's sentinels and changes nothing, or
// applies and returns the events that record it. Replaying those events
// ([Replay]) rebuilds an equal organisation, which is how stores persist it.
// Acts are in time order: one dated before the organisation's latest event
// is refused with [ErrTimeOrder], and a replayed stream out of time order is
// refused. Refusals name people by their label.
//
// # Invariants
//
// There is exactly one top circle and the parent relation is a tree. A
// circle holds only domain keys inside what its parent holds, and sibling
// circles never hold the same or nested keys. A role holder is a member of
// the circle, and a circle's leader is never its delegate. [Organisation.Check]
// reports every broken invariant at once; it exists for documents and stored
// state, since acts never break them.
//
// Double-linking (leader and delegate in both circles) and co-production
// coverage are not invariants of this package: an organisation is allowed to
// be incomplete while it is being built. Package linking reports where it
// falls short.
//
// # Mandates and leaving
//
// A person may name an advocate ([Organisation.NameAdvocate]) or appoint a
// proxy ([Organisation.AppointProxy]) who answers consent rounds for them:
// a [Mandate], limited to some circles, some kinds of decision
// ([DecisionKind]), one process and a period, which the person (or the
// holder) ends with [Organisation.RevokeMandate]. Only the person answered
// for gives a mandate ([ErrNotPrincipal]). Package consent checks the
// mandate when an answer is given under it. Leaving a circle is the
// member's own act ([Organisation.Leave]); joining and removal are consent
// decisions of the circle (package consent), whose outcome is
// [Organisation.AddMember] or [Organisation.RemoveMember].
//
// Each member has a participation class in each of their circles
// ([Participation]: full, learning or guest), recorded with
// [Organisation.SetParticipation] and read with [Circle.Participation];
// only full members have a consent right. The organisation [Document]
// carries both: the mandates, and each member's class.
//
// # Purity
//
// The package reads no clock, makes no random IDs and does no I/O: times and
// IDs are arguments. Time zones come from the host's zone database, each
// parsed once per process; a program that runs where there is none (a
// scratch container) embeds one by importing time/tzdata (README.md, "Time
// zones"). The library never imports it, so hosts that do not need it do not
// carry it.
package circle
