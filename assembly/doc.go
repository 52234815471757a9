// Package assembly keeps the general meetings of a co-operative's members
// (docs/method.md, "Members' meetings"): the annual general meeting and
// extraordinary ones, with their notice, quorum and the members present in
// person or by proxy; resolutions taken by consent first and, where the
// organisation's rules say so, then by vote; ordinary and special
// majorities of the votes cast or of the members present; stakeholder
// classes weighted by a cap or a fixed share; and each result recorded
// with the count per class and the rule applied.
//
// # The rules
//
// [Rules] are the organisation's policy for its general meetings: clear
// days of notice, the [Quorum], the most proxies one member may hold,
// whether a resolution that finds no consent goes to a vote ([Voting]),
// the [Threshold] of an ordinary and of a special resolution ("more than"
// or "at least" a share), the [Base] a majority is a share of, and the
// [Weighting] of classes with their shares ([ClassShare]). Shares are
// exact [Ratio]s ("3/4", or "75%" read as 3/4): no float decides a
// threshold. [ParseRules] reads rules strictly and [Rules.Validate]
// reports every problem at once. [EqualCare] is Equal Care Co-op's rules
// as a documented example ([EqualCareFixed] reads its investors' 10% as a
// fixed share rather than a cap).
//
// # The meeting
//
// [Call] gives notice of a [Meeting] under the rules: it must be held at
// least the rules' clear days later in the organisation's zone, and the
// organisation's people then are its members, each with their stakeholder
// class. Before it opens: the chair puts resolutions on the notice
// ([Meeting.Propose], with the same notice); members appoint and revoke
// proxies ([Meeting.AppointProxy], [Meeting.RevokeProxy]: a holder holds
// no more than the rules allow, and no proxy is passed on); members are
// registered present ([Meeting.Register]; a member who comes in person
// ends their proxy: their own vote wins). [Meeting.Open] needs the quorum
// of members present in person or by a proxy who is present;
// [Meeting.Abandon] calls the meeting off.
//
// In session the chair takes one resolution at a time:
// [Meeting.SeekConsent]; members present object with a reason
// ([Meeting.Object]) and withdraw their own objection
// ([Meeting.WithdrawObjection]); with no objection open the chair declares
// it carried by consent ([Meeting.DeclareConsent]); with one standing, and
// where the rules vote after consent, the chair calls a vote
// ([Meeting.CallVote]), members vote in person or by proxy
// ([Meeting.Vote]) and the chair counts ([Meeting.Count]). A resolution may
// be withdrawn ([Meeting.Withdraw]); [Meeting.Close] ends the meeting once
// every resolution is decided.
//
// # The count
//
// [Tally] counts a vote from the [Count] of each class with exact
// rationals (math/big). Under a cap, a class carries at most its share of
// the weighted total: its votes are scaled down only when it would carry
// more. Under a fixed share, a class carries exactly its share and the
// classes not listed share the rest, one vote each among them. The
// [Result] records the count per class, the weight of each class's vote,
// the weighted totals, the rule applied in words and whether the
// resolution carried; a property test checks it against a naive
// computation from the definitions.
//
// # Authority and records
//
// Only the chair proposes, opens, takes, counts, withdraws and closes;
// only members present object and vote; only a proxy's holder votes for
// its principal; only the objector withdraws an objection, and nobody
// overrides one by declaring consent. A refused act returns an [*Error]
// matching one of the package's sentinels and changes nothing; an act
// dated before the meeting's latest event is refused with [ErrTimeOrder].
// [Meeting.Allowed] lists what a person may do now. [Replay] rebuilds a
// meeting from its events; [MarshalEvent] and [UnmarshalEvent] give their
// stored form, decoded strictly (rules and results included).
//
// The package is pure: times and IDs are arguments. A Meeting is not safe
// for concurrent use.
package assembly
