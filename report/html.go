package report

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/kernel"
)

// JSON returns the report's JSON form (indented, ending in a newline):
// the same report always gives the same bytes.
func (r *Report) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: encode json: %w", err)
	}
	return append(b, '\n'), nil
}

//go:embed report.html.tmpl
var pageText string

var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"class":      ClassWords,
	"how":        howWords,
	"answer":     answerWords,
	"resolution": resolutionWords,
	"validity":   validityWords,
	"absence":    absenceWords,
	"reviewed":   reviewWords,
	"item":       itemWords,
	"escalation": escalationWords,
	"phase":      func(p fmt.Stringer) string { return phaseWords[p.String()] },
	"short":      func(r Ref) string { return r.Hash.String()[:12] },
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmt.Sprint(n, " ", many)
	},
}).Parse(pageText))

// HTML writes the report as a printable web page in plain language, for a
// member or an inspector: every date in the organisation's time zone, every
// record with its logbook entry, and the entries' full hashes at the end.
func (r *Report) HTML(w io.Writer) error {
	zone, err := loadZone(r.Organisation.Zone)
	if err != nil {
		return err
	}
	v := view{Report: r, zone: zone}
	var buf bytes.Buffer
	if err := page.Execute(&buf, v); err != nil {
		return fmt.Errorf("report: write html: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func loadZone(name string) (*time.Location, error) {
	z, msg := kernel.LoadZone(name)
	if msg != "" {
		return nil, fmt.Errorf("%w: the organisation's time zone: %s", ErrInvalid, msg)
	}
	return z, nil
}

// view is what the page template reads.
type view struct {
	*Report
	zone *time.Location
}

// Date is t's local date.
func (v view) Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.zone).Format("2 January 2006")
}

// When is t's local date and time.
func (v view) When(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.zone).Format("2 January 2006, 15:04")
}

// Brief is t's local date and time, short, for a table.
func (v view) Brief(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.zone).Format("2 Jan 2006, 15:04")
}

// LastDay is the last day of the period, for the page's title.
func (v view) LastDay() time.Time { return v.Period.Until.Add(-time.Microsecond) }

// Entries lists every entry the report cites, in order, once.
func (v view) Entries() []Ref {
	seen := map[uint64]Ref{}
	add := func(r Ref) {
		if r.Seq > 0 {
			seen[r.Seq] = r
		}
	}
	addp := func(r *Ref) {
		if r != nil {
			add(*r)
		}
	}
	for _, d := range v.Decisions {
		add(d.Entry)
		for _, x := range d.Rounds {
			add(x.Entry)
		}
		for _, x := range d.Answers {
			add(x.Entry)
		}
		for _, x := range d.Objections {
			add(x.Entry)
			addp(x.Resolved)
		}
		addp(d.Review.Entry)
	}
	for _, d := range v.Decisions {
		for _, x := range d.Withdrawals {
			add(x.Entry)
		}
	}
	for _, x := range v.Roles {
		add(x.Entry)
		addp(x.EndedEntry)
	}
	for _, x := range v.Elections {
		add(x.Entry)
	}
	for _, x := range v.Membership {
		add(x.Entry)
	}
	for _, x := range v.Overdue {
		add(x.Entry)
	}
	out := make([]Ref, 0, len(seen))
	for _, r := range seen {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Ref) int { return int(a.Seq) - int(b.Seq) })
	return out
}

// ClassWords says a stakeholder class in plain words, as the report's page
// does: "receives support", "advocate (family or friend)", and a host's own
// class with its hyphens as spaces.
func ClassWords(c circle.StakeholderClass) string {
	switch c {
	case circle.SupportedPerson:
		return "receives support"
	case circle.Advocate:
		return "advocate (family or friend)"
	case circle.Worker:
		return "worker"
	case circle.Investor:
		return "investor"
	case "":
		return "not recorded"
	}
	return strings.ReplaceAll(string(c), "-", " ") // a class of the host's, "outside-expert"
}

// howWords says how an answer was given, and by whom when someone helped.
func howWords(a Answer) string {
	by := ""
	if a.By != nil {
		by = a.By.Label
	}
	switch a.How {
	case HowAdvocate:
		return "through their advocate, " + by
	case HowProxy:
		return "by proxy, " + by
	case HowAssisted:
		mode := map[string]string{"in-person": "said in the meeting", "phone": "by phone", "paper": "on paper"}[a.Mode]
		if mode == "" {
			mode = "given"
		}
		return mode + ", entered by " + by
	}
	return "in person"
}

func answerWords(a fmt.Stringer) string {
	return map[string]string{
		"consent": "consents", "concern": "consents, with a concern", "stand-aside": "stands aside", "object": "objects",
	}[a.String()]
}

func resolutionWords(r fmt.Stringer) string {
	return map[string]string{
		"amendment":    "the proposal was changed",
		"shorter-term": "the review was brought forward",
		"measure":      "a measure now watches the harm feared",
		"deferral":     "deferred to a named person and date",
		"withdrawal":   "withdrawn by the person who raised it",
		"not-valid":    "found not to be a valid objection",
	}[r.String()]
}

func validityWords(r fmt.Stringer) string {
	return map[string]string{
		"all-stated":       "every objection stated counts",
		"group-test":       "the circle tests whether an objection counts",
		"facilitator-test": "the facilitator tests whether an objection counts",
	}[r.String()]
}

func absenceWords(r fmt.Stringer) string {
	return map[string]string{
		"hold":               "the decision waits for members who have not answered",
		"lazy-consent":       "members who have not answered may still object for a set time",
		"silence-is-consent": "silence counts as consent",
	}[r.String()]
}

func reviewWords(status string) string {
	return map[string]string{
		ReviewNotDue:  "not due yet",
		ReviewOnTime:  "held on time",
		ReviewLate:    "held late",
		ReviewOverdue: "overdue: not held by its date",
		ReviewRetired: "taken off the calendar without a review",
		ReviewUnknown: "not on the calendar",
	}[status]
}

func itemWords(k fmt.Stringer) string {
	return map[string]string{
		"policy-review": "policy review", "term-end": "end of a role's term", "helping-circle-end": "end of a helping circle",
		"measure-checkpoint": "measure checkpoint", "early-review": "early review", "circle-review": "regular circle review",
		"deferred-objection": "deferred objection",
	}[k.String()]
}

func escalationWords(e fmt.Stringer) string {
	return map[string]string{
		"secretary": "the circle's secretary", "leader": "the circle's leader", "parent": "the parent circle",
	}[e.String()]
}

var phaseWords = map[string]string{
	"description": "agreeing the role", "nominating": "taking nominations", "changing": "changing nominations",
	"consenting": "consenting to a nominee", "elected": "elected", "cancelled": "cancelled",
}
