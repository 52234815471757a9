// Command orgchart draws the care co-operative of the examples as an SVG org
// chart (and, with -mermaid, as Mermaid text for Markdown).
//
//	go run ./examples/orgchart -o carecoop.svg
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/orgchart"
)

func main() {
	out := flag.String("o", "carecoop.svg", "file to write the SVG to")
	mermaid := flag.Bool("mermaid", false, "also print the chart as Mermaid text")
	flag.Parse()
	if err := run(os.Stdout, *out, *mermaid); err != nil {
		fmt.Fprintln(os.Stderr, "orgchart:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, path string, mermaid bool) error {
	at := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	org, _, err := coop.Build(at)
	if err != nil {
		return err
	}
	report, err := linking.Check(org, coop.Policy(), at)
	if err != nil {
		return err
	}
	opts := &orgchart.Options{Marks: orgchart.MarksFromReport(report)}
	if err := os.WriteFile(path, orgchart.SVG(org, opts), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(w, "wrote the org chart of %s (%d circles) to %s\n", org.Name(), org.CircleCount(), path)
	fmt.Fprint(w, report)
	if mermaid {
		fmt.Fprint(w, orgchart.Mermaid(org, opts))
	}
	return nil
}
