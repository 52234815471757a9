package meeting

import (
	"fmt"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
)

// Minutes are the record of a meeting as one reader may see it.
type Minutes struct {
	Meeting     MeetingID
	Circle      circle.CircleID
	Title       string
	Phase       Phase // in-session or closed: a draft; published: final
	Scheduled   time.Time
	Opened      time.Time
	Closed      time.Time // zero while in session
	Published   time.Time // zero until published
	Facilitator circle.PersonID
	Secretary   circle.PersonID
	Attendance  []Attendee // members in ID order, then guests in the order recorded
	Items       []Minute
	Other       []ActsRecorded // acts recorded on no agenda item
}

// Attendee is one person's attendance.
type Attendee struct {
	Person     circle.PersonID
	Attendance Attendance
}

// Minute is what happened to one agenda item: the item, its minute (a zero
// Outcome while none is written) and the acts recorded on it. A withheld
// (confidential) item shows its number only.
type Minute struct {
	Item
	Withheld bool
	Outcome  Outcome
	Note     string
	Acts     []ActsRecorded
}

// Links returns the links of the acts recorded on the item, one per stream:
// the acts on one stream merged into the range of versions they wrote,
// with every event type, in the order the streams were first written.
func (mi Minute) Links() []Link { return mergeLinks(mi.Acts) }

func mergeLinks(rs []ActsRecorded) []Link {
	var out []Link
	at := map[string]int{}
	for _, r := range rs {
		for _, l := range r.Links {
			k := l.Stream + "/" + l.ID.String()
			i, ok := at[k]
			if !ok {
				at[k] = len(out)
				out = append(out, Link{Stream: l.Stream, ID: l.ID, From: l.From, To: l.To, Types: slices.Clone(l.Types)})
				continue
			}
			m := &out[i]
			m.From, m.To = min(m.From, l.From), max(m.To, l.To)
			for _, t := range l.Types {
				if !slices.Contains(m.Types, t) {
					m.Types = append(m.Types, t)
				}
			}
		}
	}
	return out
}

// Draft reports whether the minutes are not yet published.
func (mn Minutes) Draft() bool { return mn.Phase != PhasePublished }

// Minutes returns the minutes as viewer may read them. The circle's
// members (as convened) read the draft from the opening on; once published
// the minutes are open to every member of the organisation (a store checks
// that the viewer is one), and before that anyone else is refused with
// [ErrNotPublished]. Confidential items, with their notes and acts, are
// withheld from everyone who is not a member of the circle, guests
// included. A planned or cancelled meeting has no minutes ([ErrPhase]).
func (m *Meeting) Minutes(viewer circle.PersonID) (Minutes, error) {
	const act = "read minutes"
	switch {
	case m.phase == PhasePlanned || m.phase == PhaseCancelled:
		return Minutes{}, refuse(act, ErrPhase, "the meeting is %s: it has no minutes", m.phase)
	case m.phase != PhasePublished && !m.isMember[viewer]:
		return Minutes{}, refuse(act, ErrNotPublished, "until they are published the minutes are open to the circle's members only")
	}
	mn := Minutes{Meeting: m.id, Circle: m.circle, Title: m.title, Phase: m.phase, Scheduled: m.scheduled,
		Opened: m.opened, Closed: m.closed, Published: m.published, Facilitator: m.facilitator, Secretary: m.secretary}
	for _, p := range m.members {
		if a, ok := m.attendance[p]; ok {
			mn.Attendance = append(mn.Attendance, Attendee{p, a})
		}
	}
	for _, p := range m.attendees {
		if a := m.attendance[p]; a == Guest {
			mn.Attendance = append(mn.Attendance, Attendee{p, a})
		}
	}
	sees := m.isMember[viewer]
	for _, it := range m.items {
		if it.Confidential && !sees {
			mn.Items = append(mn.Items, Minute{Item: withheldItem(it), Withheld: true})
			continue
		}
		mi := Minute{Item: it}
		if min, ok := m.minutes[it.Number]; ok {
			mi.Outcome, mi.Note = min.outcome, min.note
		}
		mn.Items = append(mn.Items, mi)
	}
	for _, r := range m.links {
		r.Links = cloneLinks(r.Links)
		if r.Item == 0 {
			mn.Other = append(mn.Other, r)
			continue
		}
		if mi := &mn.Items[r.Item-1]; !mi.Withheld {
			mi.Acts = append(mi.Acts, r)
		}
	}
	return mn, nil
}

// Describe says in words what a link records: "consent process 1a2b3c4d:
// decision adopted (events 5 to 9)".
func (l Link) Describe() string { return l.describe(true) }

// describe says what l records, naming its stream's ID when id is set (an
// item's own process or election needs none).
func (l Link) describe(id bool) string {
	what := map[string]string{"consent": "consent process", "election": "election", "organisation": "organisation",
		"review": "review calendar", "meeting": "meeting", "assembly": "members' meeting",
		"policy_register": "policy register", "member_register": "register of members"}[l.Stream]
	if what == "" {
		what = strings.ReplaceAll(l.Stream, "_", " ")
	}
	var did []string
	for _, t := range l.Types {
		if d, ok := notable[t]; ok {
			did = append(did, d)
		}
	}
	events := fmt.Sprintf("event %d", l.From)
	if l.To > l.From {
		events = fmt.Sprintf("events %d to %d", l.From, l.To)
	}
	s := what
	if id && !oneOfItsKind[l.Stream] {
		s += " " + shortID(l.ID)
	}
	if len(did) > 0 {
		s += ": " + strings.Join(did, ", ")
	}
	return s + " (" + events + ")"
}

// oneOfItsKind are the streams an organisation has one of: naming one
// needs no ID.
var oneOfItsKind = map[string]bool{"organisation": true, "review": true, "policy_register": true, "member_register": true}

// notable names the event types a reader of minutes looks for.
var notable = map[string]string{
	"consent.started":             "process started",
	"consent.round_opened":        "consent round opened",
	"consent.objection_withdrawn": "objection withdrawn",
	"consent.objection_deferred":  "objection deferred",
	"consent.measure_added":       "measure added",
	"consent.term_shortened":      "term shortened",
	"consent.decision_adopted":    "decision adopted",
	"consent.proposal_withdrawn":  "proposal withdrawn",
	"consent.referred":            "referred to another circle",
	"election.called":             "election called",
	"election.proposed":           "nominee proposed",
	"election.elected":            "role filled",
	"election.cancelled":          "election cancelled",
	"circle.member_added":         "member added",
	"circle.member_removed":       "member removed",
	"circle.role_assigned":        "role assigned",
	"review.review_completed":     "review completed",
	"review.item_scheduled":       "review scheduled",
	"review.item_rescheduled":     "review rescheduled",
	"agreement.adopted":           "policy adopted",
	"agreement.amended":           "policy amended",
	"agreement.kept":              "policy kept",
	"agreement.retired":           "policy retired",
	"agreement.reopened":          "decision reopened, the earlier version back in force",
	"members.admitted":            "member admitted",
	"members.ceased":              "membership ceased",
}

func shortID(id uuid.UUID) string { return id.String()[:8] }

// Text renders the minutes as plain text for people: name gives a person's
// name (nil: their ID), times are shown in zone loc (nil: UTC).
func (mn Minutes) Text(name func(circle.PersonID) string, loc *time.Location) string {
	r := renderer{mn: mn, name: name, loc: loc}
	var b strings.Builder
	head := "Minutes"
	if mn.Draft() {
		head = "Draft minutes"
	}
	fmt.Fprintf(&b, "%s: %s\n", head, mn.Title)
	b.WriteString(strings.Repeat("=", len([]rune(head+": "+mn.Title))) + "\n")
	b.WriteString(r.when() + "\n")
	fmt.Fprintf(&b, "Facilitator: %s. Secretary: %s.\n\n", r.who(mn.Facilitator), r.who(mn.Secretary))
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "%-10s %s\n", g.label+":", g.names)
	}
	b.WriteString("\nAgenda and what happened\n")
	for _, it := range mn.Items {
		fmt.Fprintf(&b, "\n%d. %s\n", it.Number, r.title(it))
		if it.Withheld {
			b.WriteString("   Withheld: confidential to the circle's members.\n")
			continue
		}
		fmt.Fprintf(&b, "   %s\n", r.outcome(it))
		if it.Note != "" {
			for _, line := range strings.Split(it.Note, "\n") {
				fmt.Fprintf(&b, "   %s\n", line)
			}
		}
		for _, l := range it.Links() {
			fmt.Fprintf(&b, "   - %s\n", r.link(it, l))
		}
	}
	if len(mn.Other) > 0 {
		b.WriteString("\nOther acts recorded in the meeting\n")
		for _, l := range mergeLinks(mn.Other) {
			fmt.Fprintf(&b, "   - %s\n", l.Describe())
		}
	}
	return b.String()
}

// HTML renders the minutes as a self-contained HTML page, every text
// escaped; name and loc as for [Minutes.Text].
func (mn Minutes) HTML(name func(circle.PersonID) string, loc *time.Location) string {
	r := renderer{mn: mn, name: name, loc: loc}
	e := html.EscapeString
	var b strings.Builder
	head := "Minutes"
	if mn.Draft() {
		head = "Draft minutes"
	}
	fmt.Fprintf(&b, `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>%s: %s</title>
<style>
body{font-family:system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1d1d1f}
h1{font-size:1.5rem;margin-bottom:.2rem} .when{color:#555;margin-top:0}
dl.att{display:grid;grid-template-columns:7rem 1fr;gap:.2rem .8rem} dl.att dt{font-weight:600}
ol.items>li{margin:1rem 0;padding:.6rem .8rem;border-left:4px solid #3b7;background:#f6faf7}
ol.items>li.withheld{border-color:#999;background:#f2f2f2;color:#555}
.outcome{color:#25603a} .note{white-space:pre-wrap;margin:.3rem 0} ul.acts{margin:.3rem 0;padding-left:1.2rem;color:#333;font-size:.92rem}
.draft{display:inline-block;background:#fe8;padding:0 .4rem;border-radius:3px;font-size:.8rem;vertical-align:middle}
</style></head><body>
`, e(head), e(mn.Title))
	draft := ""
	if mn.Draft() {
		draft = ` <span class="draft">draft</span>`
	}
	fmt.Fprintf(&b, "<h1>%s%s</h1>\n<p class=\"when\">%s<br>Facilitator: %s. Secretary: %s.</p>\n",
		e(mn.Title), draft, e(r.when()), e(r.who(mn.Facilitator)), e(r.who(mn.Secretary)))
	b.WriteString("<h2>Attendance</h2>\n<dl class=\"att\">\n")
	for _, g := range r.groups() {
		fmt.Fprintf(&b, "<dt>%s</dt><dd>%s</dd>\n", e(g.label), e(g.names))
	}
	b.WriteString("</dl>\n<h2>Agenda and what happened</h2>\n<ol class=\"items\">\n")
	acts := func(it Minute, links []Link) {
		var ls []string
		for _, l := range links {
			ls = append(ls, "<li>"+e(r.link(it, l))+"</li>")
		}
		if len(ls) > 0 {
			b.WriteString("<ul class=\"acts\">" + strings.Join(ls, "") + "</ul>")
		}
	}
	for _, it := range mn.Items {
		if it.Withheld {
			fmt.Fprintf(&b, "<li class=\"withheld\" value=\"%d\">%s<br>Withheld: confidential to the circle's members.</li>\n", it.Number, e(r.title(it)))
			continue
		}
		fmt.Fprintf(&b, "<li value=\"%d\"><strong>%s</strong><br><span class=\"outcome\">%s</span>", it.Number, e(r.title(it)), e(r.outcome(it)))
		if it.Note != "" {
			fmt.Fprintf(&b, "<p class=\"note\">%s</p>", e(it.Note))
		}
		acts(it, it.Links())
		b.WriteString("</li>\n")
	}
	b.WriteString("</ol>\n")
	if len(mn.Other) > 0 {
		b.WriteString("<h2>Other acts recorded in the meeting</h2>\n")
		acts(Minute{}, mergeLinks(mn.Other))
	}
	b.WriteString("</body></html>\n")
	return b.String()
}

type renderer struct {
	mn   Minutes
	name func(circle.PersonID) string
	loc  *time.Location
}

func (r renderer) who(p circle.PersonID) string {
	if r.name != nil {
		if n := r.name(p); n != "" {
			return n
		}
	}
	return p.String()
}

func (r renderer) at(t time.Time) string {
	loc := r.loc
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("Mon 2 Jan 2006 15:04")
}

func (r renderer) when() string {
	mn := r.mn
	s := "Opened " + r.at(mn.Opened)
	if !mn.Closed.IsZero() {
		c := r.at(mn.Closed)
		if o := r.at(mn.Opened); o[:len(o)-5] == c[:len(c)-5] {
			c = c[len(c)-5:]
		}
		s += ", closed " + c
	}
	if !mn.Published.IsZero() {
		s += "; published " + r.at(mn.Published)
	}
	if r.loc != nil {
		s += " (" + r.loc.String() + ")"
	}
	return s + "."
}

type group struct{ label, names string }

func (r renderer) groups() []group {
	var out []group
	for _, a := range []struct {
		a     Attendance
		label string
	}{{Present, "Present"}, {Apologies, "Apologies"}, {Absent, "Absent"}, {Guest, "Guests"}} {
		var names []string
		for _, at := range r.mn.Attendance {
			if at.Attendance == a.a {
				names = append(names, r.who(at.Person))
			}
		}
		if len(names) > 0 {
			if a.a != Guest {
				slices.Sort(names)
			}
			out = append(out, group{a.label, strings.Join(names, ", ")})
		}
	}
	return out
}

// link describes l, a link of item it: the item's own process or election
// without its ID.
func (r renderer) link(it Minute, l Link) string {
	own := (l.Stream == "consent" && l.ID == it.Process.UUID() && !it.Process.IsZero()) ||
		(l.Stream == "election" && l.ID == it.Election.UUID() && !it.Election.IsZero())
	return l.describe(!own)
}

func (r renderer) title(it Minute) string {
	t := it.Title
	if it.Confidential && !it.Withheld {
		t += " (confidential)"
	}
	if it.Source == SourceRequest && !it.AskedBy.IsZero() {
		t += ", asked for by " + r.who(it.AskedBy)
	}
	return t
}

func (r renderer) outcome(it Minute) string {
	if it.Outcome == 0 {
		return "Not yet minuted."
	}
	return "Outcome: " + it.Outcome.String() + "."
}
