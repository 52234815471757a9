// Package review keeps one calendar for every feedback loop of an
// organisation that governs itself in circles: policy reviews, role term
// ends, helping-circle ends, measure checkpoints, early reviews and the
// regular reviews of circles (docs/method.md, "Reviews and feedback loops").
// It tells a host what is due, for whom, and what to remind, never twice.
//
// # The calendar
//
// A [Calendar] belongs to one organisation and reckons local dates in the
// organisation's IANA zone ([Open], [OpenFor]). Each [Item] has a [Kind], the
// circle on whose agenda it belongs, a [Source] (the decision, role
// assignment, circle or measure it comes from), a due instant and, for
// regular reviews, a [Recurrence]. Items are changed only by acts, which take
// the acting person and the time as arguments and either return an [*Error]
// matching one of the package's sentinels and change nothing, or apply and
// return the events that record them. An act dated before the calendar's
// latest event is refused ([ErrTimeOrder]); events the calendar observes
// from other aggregates ([Calendar.Observe]) keep the time their own
// aggregate checked. The acts:
//
//   - [Calendar.Schedule] puts an item on the calendar (or back on it);
//   - [Calendar.Reschedule] moves a due date, recording who, when and why;
//   - [Calendar.Complete] records a review and its [Outcome]: kept (with the
//     next date), amended (naming the consent process that carries it) or
//     retired;
//   - [Calendar.Retire] takes an item off without a review;
//   - [Calendar.Observe] keeps the calendar in step with the events of
//     packages circle and consent, so a host never forgets to add or
//     retire an item; [Calendar.ObserveAgreement] and
//     [Calendar.ObserveMembers] do the same for the policy register
//     (a review's decision retires the reviewed version's review) and the
//     member register (membership conditions that end or lapse, on the top
//     circle's agenda until an act applies them).
//
// [Replay] rebuilds a calendar from its events; [MarshalEvent] and
// [UnmarshalEvent] give their stored form, decoded strictly.
//
// # Item IDs
//
// An item's ID is usually derived from its source by [ItemIDFor]: a
// name-based (version 5) UUID of the organisation, the item kind and the
// source. It is pure and stable, so the same source always gives the same
// item, observing an event twice schedules nothing new, and reminder keys and
// iCalendar UIDs survive a rebuilt calendar. A host that keeps its own IDs
// passes one in [ItemSpec.ID].
//
// # Where items come from
//
// Observing the events of package circle gives term ends and helping-circle
// ends; those of package consent give policy reviews (an adopted decision's
// review date), measure checkpoints, deferred objections and early reviews
// (consent withdrawn after adoption), stuck processes ([KindStuckDecision]:
// on the circle's agenda once stuck, on the parent's once referred up,
// until taken up) and emergency decisions ([KindEmergencyReview]: due when
// their consent round must have opened, so that a late one escalates). An election's outcome is applied with
// [circle.Organisation.AssignRole], so its term end arrives as a
// [circle.RoleAssigned]. Regular circle reviews ([KindCircleReview], with a
// [Recurrence]) and anything else a host tracks are scheduled directly.
//
// A review that ends in "amended" names the consent process that carries
// the amendment; when that process adopts its decision, the old item is
// retired and the new decision's review takes over.
//
// # Dates and time zones
//
// "Review in 6 months" keeps the local date ([AddMonths]); a day the target
// month lacks is clamped (31 January + 1 month is 28 or 29 February), and
// recurrences count from their start, so they never drift (the month after
// returns to the 31st). Wall-clock times that a DST change skips or repeats
// are resolved by RFC 5545's rule ([LocalTime]): a skipped time moves forward
// by the gap, a repeated time is the first of the two. Instants are stored in
// UTC to the microsecond ([circle.Normalize]).
//
// # Questions
//
// [Calendar.Due], [Calendar.Overdue], [Calendar.Upcoming], [Calendar.DueBefore]
// and [Calendar.DueBetween] read an index of open items ordered by due
// instant, so they cost the logarithm of the calendar's size plus the size of
// their answer (BenchmarkDueBefore10 measures ten items among a million). [Calendar.Agenda]
// lists what a circle must review at a meeting. [Calendar.Reminders] lists the
// reminders due at a moment, each with a stable [Reminder.Key] for a host to
// send it once, escalating overdue items from the secretary to the leader to
// the parent circle. [Calendar.ICalendar] exports an RFC 5545 calendar for
// members to subscribe to.
//
// # Purity and concurrency
//
// The package reads no clock, makes no random IDs and does no I/O. A
// Calendar is not safe for concurrent use; concurrent reads without writes
// are safe.
package review
