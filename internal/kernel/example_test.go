package kernel_test

import (
	"errors"
	"fmt"

	"github.com/coproduce/sociocracy/internal/kernel"
)

func ExampleCheckText() {
	reason := kernel.Text{What: "reason", Min: 1, Max: 20, Multiline: true}
	for _, s := range []string{"Too late for nights", "   ", "a\x00b", "far longer than twenty bytes"} {
		p, msg := kernel.CheckText(reason, s)
		fmt.Printf("%v %q\n", p == kernel.TextOK, msg)
	}
	// Output:
	// true ""
	// false "reason is required"
	// false "reason contains the control character U+0000"
	// false "reason is 28 bytes long; at most 20"
}

func ExampleMessage() {
	errPhase := errors.New("consent: not allowed in this phase")
	fmt.Println(kernel.Message("consent", "object", errPhase, ""))
	fmt.Println(kernel.Message("consent", "object", errPhase, "the process is in draft; an objection needs an open consent round"))
	// Output:
	// consent: object: not allowed in this phase
	// consent: object: the process is in draft; an objection needs an open consent round
}

func ExampleAddMonths() {
	london, _ := kernel.Zone("Europe/London")
	adopted := kernel.LocalTime(london, 2026, 1, 31, 10, 0, 0, 0)
	fmt.Println(kernel.AddMonths(adopted, 1, london).Format("2 January 2006 15:04 MST"))
	fmt.Println(kernel.AddMonths(adopted, 3, london).Format("2 January 2006 15:04 MST"))
	// Output:
	// 28 February 2026 10:00 GMT
	// 30 April 2026 10:00 BST
}
