// Package report writes governance reports: the evidence a regulator or a
// member asks for of how an organisation governed itself in a period
// (docs/method.md, "Governance report"). In England the Care Quality
// Commission asks a care provider for such evidence of good governance;
// a co-operative's members are entitled to it too.
//
// [Build] reads everything through a [store.Store]: the logbook up to the
// end of the period, and the organisation and its review calendar as they
// stood then ([store.Store.OrganisationAt], [store.Store.CalendarAt]). For
// an organisation or one circle it lists every decision adopted in the
// period with its driver, who was asked in each round (with their
// stakeholder class), who answered, how and when, every objection and how
// it was integrated, the rules of validity and absence applied, and its
// review date and whether the review was held on time; the roles held
// with their terms; the elections; the changes of membership;
// co-production in the care teams (whether people who receive support, or
// their advocates, were heard in each decision); and the reviews overdue
// at the end of the period with how far their reminders had escalated.
//
// Every record carries the sequence number and hash of the logbook entry
// it comes from ([Ref]), and the report says whether the whole log
// verified when it was made, so it can be checked against the log. Text
// erased from the log ([store.Store.EraseText]) is erased in the report.
//
// # Forms
//
// [Report.JSON] is the machine-readable form, versioned by [Schema] and
// documented field by field in docs/report.md. [Report.HTML] is a printable
// page in plain language, checked against WCAG 2.2 AA in a real browser by
// the tests, that prints to PDF through any browser.
//
// # Not yet recorded
//
// The library records every answer as given in person today: [Answer.How]
// is always [HowInPerson], the slot for answers through an advocate, by
// proxy or entered by someone else once those are recorded. Policies in
// force and the member register are not in the report yet.
package report
