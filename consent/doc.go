// Package consent runs consent decision-making (GLOSSARY.md, "Consent
// decision-making"): decisions are made when there are no reasoned
// objections; nobody votes, and no facilitator, leader or majority can
// override an objection.
//
// # The round
//
// [Round] is one consent round: a snapshot of participants, the half-open
// interval [opens, closes) in which they answer, their answers (consent,
// concern, stand aside, object), and every objection with its
// understanding, validity test and resolution. It is exported so that
// other processes (the election package's consent on a nominee) embed the
// same engine; its documentation says how.
//
// The package is pure: no clock, no randomness, no I/O. Times and IDs are
// arguments; every recorded instant is UTC at microsecond precision
// ([circle.Normalize]).
package consent
