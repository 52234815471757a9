package meeting

import (
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/review"
)

// Sources are what a circle's agenda is built from: what is due on the
// review calendar for the meeting's date ([review.Calendar.Agenda]) and the
// circle's open consent processes and elections.
type Sources struct {
	Due       []review.Item
	Processes []*consent.Process
	Elections []*election.Election
}

// AgendaFrom returns the agenda items of src, in order: what is due first
// (earliest first, as the calendar gives it), then the open processes, then
// the open elections. Items members ask for are added with
// [Meeting.RequestItem].
func AgendaFrom(src Sources) []ItemSpec {
	out := make([]ItemSpec, 0, len(src.Due)+len(src.Processes)+len(src.Elections))
	for _, it := range src.Due {
		out = append(out, ItemSpec{Source: SourceReview, Title: clipTitle("Review: " + it.Title), Review: it.ID})
	}
	for _, p := range src.Processes {
		out = append(out, ItemSpec{Source: SourceProcess, Title: clipTitle("Consent: " + p.Proposal().Title), Process: p.ID()})
	}
	for _, e := range src.Elections {
		out = append(out, ItemSpec{Source: SourceElection, Title: "Selection of the " + e.Role().String(), Election: e.ID()})
	}
	return out
}

// clipTitle keeps a derived title within the title rule (one line, 200
// bytes), cutting at a rune boundary.
func clipTitle(s string) string {
	if len(s) <= titleRule.Max {
		return s
	}
	i := titleRule.Max - len("...")
	for i > 0 && s[i]&0xC0 == 0x80 {
		i--
	}
	return s[:i] + "..."
}
