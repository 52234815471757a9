// Package meeting keeps the meetings of a circle (docs/method.md,
// "Meetings"): the agenda, built from what is due on the review calendar,
// the circle's open consent processes and elections and the items members
// ask for; who attended and how; the acts done in the meeting, linked to
// the records they wrote; and the minutes, which record what happened to
// each item and are published to every member of the organisation, with
// confidential items withheld from those who may not see them.
//
// # The meeting
//
// [Convene] opens a [Meeting] of one circle, by its facilitator, naming a
// secretary who keeps the minutes; the circle's members at that moment are
// the meeting's members. Then, in phase [PhasePlanned]:
//
//   - [Meeting.AddItems]: the facilitator or the secretary puts items on
//     the agenda; [AgendaFrom] turns what is due
//     ([review.Calendar.Agenda]) and the circle's open processes and
//     elections into items. An item names its source once: the same
//     review, process or election is never on the agenda twice.
//   - [Meeting.RequestItem]: any member asks for an item, confidential or
//     not.
//   - [Meeting.SendApologies]: a member sends apologies.
//   - [Meeting.Open] (the facilitator) or [Meeting.Cancel].
//
// In session ([PhaseInSession]) the secretary or the facilitator records
// attendance with [Meeting.Attend] (members are present, absent or sent
// apologies; anyone else is a guest), items may still be added, and
// [Meeting.RecordActs] links the acts done in the meeting. The secretary
// writes a minute of each item with [Meeting.Minute] (an [Outcome] and a
// note) while in session and after [Meeting.Close], which records the
// members whose attendance was not recorded as absent. [Meeting.Publish]
// publishes the minutes once every item has a minute.
//
// # Acts done in a meeting
//
// A consent round answered, a decision adopted or a role filled during a
// meeting is an act on its own aggregate. The meeting records it with an
// [ActsRecorded] event whose [Link]s name every stream the act wrote and
// the versions it added; a store appends that event in the same atomic
// append as the act, when the act's write options name the meeting, so
// the minutes link to exactly what was decided. [Link.Describe] says in
// words what a link records.
//
// # Minutes and confidentiality
//
// [Meeting.Minutes] returns the minutes as one reader may see them: the
// circle's members read the draft from the opening on; once published,
// every member of the organisation reads them. A confidential item, with
// its minute and its acts, is withheld from everyone who is not a member of
// the circle, guests included; [Meeting.Agenda] withholds it likewise.
// [Minutes.Text] and [Minutes.HTML] render the minutes for people.
//
// # Authority and records
//
// Only the facilitator opens, closes and cancels; only the facilitator and
// the secretary build the agenda and record attendance; only the secretary
// writes and publishes the minutes; only members ask for items and send
// their own apologies. A refused act returns an [*Error] matching one of
// the package's sentinels and changes nothing; an act dated before the
// meeting's latest event is refused with [ErrTimeOrder].
// [Meeting.Allowed] lists what a person may do now. [Replay] rebuilds a
// meeting from its events; [MarshalEvent] and [UnmarshalEvent] give their
// stored form, decoded strictly.
//
// The package is pure: times and IDs are arguments. A Meeting is not safe
// for concurrent use.
package meeting
