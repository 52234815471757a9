package circletest_test

import (
	"fmt"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/linking"
)

// A double-linked organisation of seven circles for a test, built through
// the acts, with the events that built it.
func ExampleGenerate() {
	o, events := circletest.Generate(7, 3, 3)
	report, err := linking.Check(o, nil, circletest.T0)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.CircleCount(), "circles,", len(events), "events,", len(report.Violations), "link problems")
	// Output: 7 circles, 62 events, 0 link problems
}
