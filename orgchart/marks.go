package orgchart

import (
	"strings"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
)

// MarksFromReport turns a linking report into marks: a violation about the
// leader or delegate marks that link, any other marks the circle. The
// result is never nil, so a clean report draws allowed vacancies in grey.
func MarksFromReport(r *linking.Report) []Mark {
	marks := []Mark{}
	if r == nil {
		return marks
	}
	for _, v := range r.Violations {
		kind := MarkCircle
		switch v.Role {
		case circle.Leader:
			kind = MarkLeader
		case circle.Delegate:
			kind = MarkDelegate
		}
		marks = append(marks, Mark{Circle: v.Circle, Kind: kind, Note: strings.ReplaceAll(v.Code.String(), "-", " ")})
	}
	return marks
}
