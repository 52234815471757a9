package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/linking"
	"github.com/coproduce/sociocracy/orgchart"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/review"
	"github.com/coproduce/sociocracy/store"
)

// progressPage is how many entries verify reads at a time; a log longer
// than progressFrom entries shows its progress.
const (
	progressPage = 10_000
	progressFrom = 50_000
)

// progressReader reports, as verify reads the log, how far it has read.
// VerifyLog reads pages ahead of its hashing, several at once, so reads
// may come concurrently and out of order: the furthest entry read counts.
type progressReader struct {
	store.LogReader
	total uint64
	w     io.Writer

	mu   sync.Mutex
	done uint64 // the furthest entry read
	last int    // the last tenth shown
}

func (p *progressReader) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	es, err := p.LogReader.ReadLog(ctx, q)
	if err == nil && len(es) > 0 && p.total >= progressFrom {
		p.mu.Lock()
		defer p.mu.Unlock()
		if seq := es[len(es)-1].Seq; seq > p.done {
			p.done = min(seq, p.total)
			if tenth := int(p.done * 10 / p.total); tenth > p.last {
				p.last = tenth
				fmt.Fprintf(p.w, "read %d of %d entries (%d%%)\n", p.done, p.total, p.done*100/p.total)
			}
		}
	}
	return es, err
}

func runVerify(ctx context.Context, e *env, args []string) error {
	anchor := e.flags.String("anchor", "", "a head kept elsewhere, `SEQ:HASH` as an earlier verify printed it, that the log must still hold")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	a, err := parseAnchor(*anchor)
	if err != nil {
		return err
	}
	head, err := e.s.Head(ctx, e.org)
	if err != nil {
		return err
	}
	if head.Seq == 0 {
		return fail(errNotFound, "there is no organisation %s in these records (its logbook is empty)", e.org)
	}
	name := e.org.String()
	if o, err := e.s.Organisation(ctx, e.org); err == nil {
		name = o.Name()
	}
	if head.Seq >= progressFrom {
		fmt.Fprintf(e.stderr, "verifying the %d entries of the logbook of %s\n", head.Seq, name)
	}
	pr := &progressReader{LogReader: e.d, total: head.Seq, w: e.stderr}
	got, err := store.VerifyLog(ctx, pr, e.org, &store.VerifyOptions{Key: e.key, KeyedFrom: e.keyedFrom, Anchor: a, PageSize: progressPage})
	if errors.Is(err, store.ErrCorrupt) {
		hint := ""
		if e.key == nil {
			hint = " (if the records' hashes are keyed with a secret, give it with --key-file)"
		}
		return fail(errCorrupt, "the logbook of %s did NOT verify: %v%s", name, err, hint)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "The logbook of %s is intact: %d entries, none changed, removed or reordered.\n", name, got.Seq)
	if a.Seq > 0 {
		fmt.Fprintf(e.stdout, "It still holds the anchored head %d:%s.\n", a.Seq, a.Hash)
	}
	if e.key != nil {
		fmt.Fprintln(e.stdout, "Every hash is keyed with the secret given.")
	}
	fmt.Fprintf(e.stdout, "Head (keep it elsewhere to check against later): %d:%s\n", got.Seq, got.Hash)
	return nil
}

// parseAnchor reads a head written SEQ:HASH, as verify prints it; ""
// is the zero Head.
func parseAnchor(text string) (store.Head, error) {
	if text == "" {
		return store.Head{}, nil
	}
	seq, hash, ok := strings.Cut(text, ":")
	n, err := strconv.ParseUint(seq, 10, 64)
	h, herr := store.ParseHash(hash)
	if !ok || err != nil || herr != nil || n == 0 || strings.HasPrefix(seq, "+") {
		return store.Head{}, fail(errUsage, "verify: --anchor %q is not SEQ:HASH (for example 117:665796e9...; 64 hex digits)", clip(text))
	}
	return store.Head{Seq: n, Hash: h}, nil
}

// clip shortens what a person typed for a message.
func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "..."
	}
	return s
}

func runOrg(ctx context.Context, e *env, args []string) error {
	atText := e.flags.String("at", "", "the `DATE` to show the organisation on (default: now)")
	format := e.flags.String("format", "text", "text or json")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return fail(errUsage, "org: --format %q: want text or json", *format)
	}
	zone, err := e.zone(ctx)
	if err != nil {
		return err
	}
	at, err := date("at", *atText, zone, time.Now())
	if err != nil {
		return err
	}
	o, err := e.organisation(ctx, at)
	if err != nil {
		return err
	}
	if *format == "json" {
		doc, err := o.Export()
		if err != nil {
			return err
		}
		_, err = e.stdout.Write(append(doc, '\n'))
		return err
	}
	inForce, err := e.s.AgreementsInForce(ctx, e.org, at)
	if err != nil {
		return err
	}
	policies := make(map[circle.CircleID][]agreement.InForce)
	for _, a := range inForce {
		policies[a.Circle] = append(policies[a.Circle], a)
	}
	w := e.stdout
	policyWord := "policies"
	if len(inForce) == 1 {
		policyWord = "policy"
	}
	fmt.Fprintf(w, "%s as of %s (%s): %d circles, %d people, %d %s in force\n", o.Name(), at.In(zone).Format("2 January 2006, 15:04"), zone, o.CircleCount(), len(o.People()), len(inForce), policyWord)
	var walk func(id circle.CircleID, depth int)
	walk = func(id circle.CircleID, depth int) {
		c, _ := o.Circle(id)
		pad := strings.Repeat("   ", depth)
		fmt.Fprintf(w, "\n%s%s (%s circle)\n", pad, c.Name(), c.Kind())
		if c.Aim() != "" {
			fmt.Fprintf(w, "%s  aim: %s\n", pad, c.Aim())
		}
		if d := c.Domain(); len(d) > 0 {
			keys := make([]string, len(d))
			for i, k := range d {
				keys[i] = string(k)
			}
			fmt.Fprintf(w, "%s  decides: %s\n", pad, strings.Join(keys, ", "))
		}
		var members []string
		for _, p := range c.Members() {
			members = append(members, who(o, p))
		}
		fmt.Fprintf(w, "%s  members: %s\n", pad, strings.Join(members, ", "))
		for _, a := range c.Roles() {
			fmt.Fprintf(w, "%s  %s: %s, %s to %s\n", pad, a.Role, label(o, a.Holder), a.Term.Start.In(zone).Format("2 January 2006"), a.Term.End.In(zone).Format("2 January 2006"))
		}
		for _, a := range policies[id] {
			v := a.Version
			line := fmt.Sprintf("%s  policy: %q (version %d, since %s", pad, v.Title, v.Version, v.From.In(zone).Format("2 January 2006"))
			if !v.ReviewDate.IsZero() {
				line += ", review by " + v.ReviewDate.In(zone).Format("2 January 2006")
			}
			fmt.Fprintln(w, line+")")
		}
		for _, child := range c.Children() {
			walk(child, depth+1)
		}
	}
	walk(o.Top(), 0)
	return nil
}

func label(o *circle.Organisation, p circle.PersonID) string {
	if pp, ok := o.Person(p); ok && pp.Label() != "" {
		return pp.Label()
	}
	return p.String()
}

func who(o *circle.Organisation, p circle.PersonID) string {
	if pp, ok := o.Person(p); ok {
		return label(o, p) + " (" + report.ClassWords(pp.Class()) + ")"
	}
	return p.String()
}

func runAgenda(ctx context.Context, e *env, args []string) error {
	atText := e.flags.String("at", "", "the `DATE` of the agenda (default: now)")
	within := e.flags.Int("within", 30, "show what comes up within this many `days`")
	circleText := e.flags.String("circle", "", "one `circle`'s meeting agenda (its name or ID)")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	if *within < 0 {
		return fail(errUsage, "agenda: --within %d: want 0 or more days", *within)
	}
	zone, err := e.zone(ctx)
	if err != nil {
		return err
	}
	at, err := date("at", *atText, zone, time.Now())
	if err != nil {
		return err
	}
	o, err := e.organisation(ctx, at)
	if err != nil {
		return err
	}
	cal, err := e.s.CalendarAt(ctx, e.org, at)
	if err != nil {
		return err
	}
	w := e.stdout
	day := func(t time.Time) string { return t.In(zone).Format("Mon 2 January 2006") }
	circleName := func(id circle.CircleID) string {
		if c, ok := o.Circle(id); ok {
			return c.Name()
		}
		return id.String()
	}
	list := func(title string, items []review.Item) {
		fmt.Fprintf(w, "\n%s (%d)\n", title, len(items))
		if len(items) == 0 {
			fmt.Fprintln(w, "  nothing")
		}
		for _, it := range items {
			fmt.Fprintf(w, "  %s  %s  [%s]\n", day(it.Due), it.Title, circleName(it.Circle))
		}
	}
	if *circleText != "" {
		cid, err := circleOf(o, *circleText)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Agenda of %s for a meeting on %s\n", circleName(cid), day(at))
		list("To review", cal.Agenda(cid, at))
		open, err := e.s.OpenProcesses(ctx, e.org, cid)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nOpen decisions (%d)\n", len(open))
		for _, id := range open {
			if p, err := e.s.ProcessAt(ctx, e.org, id, at); err == nil {
				fmt.Fprintf(w, "  %s  (%s)\n", p.Proposal().Title, p.Phase())
			}
		}
		elections, err := e.s.OpenElections(ctx, e.org, cid)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "\nOpen elections (%d)\n", len(elections))
		for _, id := range elections {
			if el, err := e.s.ElectionAt(ctx, e.org, id, at); err == nil {
				fmt.Fprintf(w, "  %s  (%s)\n", el.Role(), el.Phase())
			}
		}
		return nil
	}
	fmt.Fprintf(w, "What is due in %s, as of %s\n", o.Name(), day(at))
	list("Overdue", cal.Overdue(at))
	var today []review.Item
	for _, it := range cal.Due(at) {
		if !it.Due.Before(startOfDay(at, zone)) {
			today = append(today, it)
		}
	}
	list("Due today", today)
	list(fmt.Sprintf("Coming up in the next %d days", *within), cal.Upcoming(at, time.Duration(*within)*24*time.Hour))
	return nil
}

func startOfDay(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone)
}

func runCalendar(ctx context.Context, e *env, args []string) error {
	circleText := e.flags.String("circle", "", "only this `circle`'s items (its name or ID)")
	atText := e.flags.String("at", "", "the `DATE` stamped on the calendar (default: now)")
	out := e.flags.String("out", "", "write to this `file` (default: standard output)")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	zone, err := e.zone(ctx)
	if err != nil {
		return err
	}
	at, err := date("at", *atText, zone, time.Now())
	if err != nil {
		return err
	}
	o, err := e.organisation(ctx, at)
	if err != nil {
		return err
	}
	cal, err := e.s.CalendarAt(ctx, e.org, at)
	if err != nil {
		return err
	}
	opts := &review.ICalOptions{Name: "Reviews of " + o.Name(), Org: o}
	if *circleText != "" {
		if opts.Circle, err = circleOf(o, *circleText); err != nil {
			return err
		}
		c, _ := o.Circle(opts.Circle)
		opts.Name = "Reviews of " + c.Name()
	}
	return e.write(*out, cal.ICalendar(at, opts))
}

func (e *env) write(path string, data []byte) error {
	w, done, err := e.output(path)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		_ = done()
		return err
	}
	if err := done(); err != nil {
		return err
	}
	if path != "" && path != "-" {
		fmt.Fprintf(e.stderr, "wrote %s\n", path)
	}
	return nil
}

func runChart(ctx context.Context, e *env, args []string) error {
	format := e.flags.String("format", "svg", "svg, html or mermaid")
	atText := e.flags.String("at", "", "the `DATE` to draw the organisation on (default: now)")
	out := e.flags.String("out", "", "write to this `file` (default: standard output)")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	switch *format {
	case "svg", "html", "mermaid":
	default:
		return fail(errUsage, "chart: --format %q: want svg, html or mermaid", *format)
	}
	zone, err := e.zone(ctx)
	if err != nil {
		return err
	}
	at, err := date("at", *atText, zone, time.Now())
	if err != nil {
		return err
	}
	o, err := e.organisation(ctx, at)
	if err != nil {
		return err
	}
	lr, err := linking.Check(o, nil, at)
	if err != nil {
		return err
	}
	opts := &orgchart.Options{Marks: orgchart.MarksFromReport(lr)}
	var data []byte
	switch *format {
	case "svg":
		data = orgchart.SVG(o, opts)
	case "html":
		data = orgchart.HTML(o, opts)
	case "mermaid":
		data = []byte(orgchart.Mermaid(o, opts))
	}
	return e.write(*out, data)
}

func runReport(ctx context.Context, e *env, args []string) error {
	fromText := e.flags.String("from", "", "the first `DATE` of the period (required)")
	untilText := e.flags.String("until", "", "the `DATE` the period ends at, not included (required)")
	circleText := e.flags.String("circle", "", "only this `circle` (its name or ID)")
	format := e.flags.String("format", "html", "html, json or pdf")
	out := e.flags.String("out", "", "write to this `file` (default: standard output; pdf needs one)")
	chromium := e.flags.String("chromium", "", "the Chromium or Chrome `program` that prints the PDF (default: found on the PATH)")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	switch *format {
	case "html", "json":
	case "pdf":
		if *out == "" || *out == "-" {
			return fail(errUsage, "report: --format pdf needs --out FILE")
		}
	default:
		return fail(errUsage, "report: --format %q: want html, json or pdf", *format)
	}
	if *fromText == "" || *untilText == "" {
		return fail(errUsage, "report: give the period with --from DATE and --until DATE")
	}
	zone, err := e.zone(ctx)
	if err != nil {
		return err
	}
	from, err := date("from", *fromText, zone, time.Time{})
	if err != nil {
		return err
	}
	until, err := date("until", *untilText, zone, time.Time{})
	if err != nil {
		return err
	}
	if !from.Before(until) {
		return fail(errUsage, "report: --until (%s) must come after --from (%s)", *untilText, *fromText)
	}
	opts := report.Options{From: from, Until: until}
	if *circleText != "" {
		o, err := e.organisation(ctx, until.Add(-time.Microsecond))
		if err != nil {
			return err
		}
		if opts.Circle, err = circleOf(o, *circleText); err != nil {
			return err
		}
	}
	r, err := report.Build(ctx, e.s, e.org, opts)
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, report.ErrNoCircle) {
		return fail(errNotFound, "%v", err)
	}
	if err != nil {
		return err
	}
	if !r.Log.Verified {
		fmt.Fprintf(e.stderr, "warning: the logbook did not verify (%s); the report says so\n", r.Log.Problem)
	}
	switch *format {
	case "json":
		b, err := r.JSON()
		if err != nil {
			return err
		}
		return e.write(*out, b)
	case "html":
		var page bytes.Buffer
		if err := r.HTML(&page); err != nil {
			return err
		}
		return e.write(*out, page.Bytes())
	}
	return e.pdf(ctx, r, *chromium, *out)
}

// pdf prints the report's page to a PDF through headless Chromium.
func (e *env) pdf(ctx context.Context, r *report.Report, program, out string) error {
	if program == "" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				program = p
				break
			}
		}
	}
	if program == "" {
		return fmt.Errorf("report: a PDF is printed by Chromium, which is not on the PATH: install it, name it with --chromium, or write --format html and print the page from a browser")
	}
	dir, err := os.MkdirTemp("", "sociocracy-report-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		return err
	}
	if err := r.HTML(f); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, program, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer", "--print-to-pdf="+abs, "file://"+page)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("report: printing the PDF with %s failed: %v\n%s", program, err, stderr.String())
	}
	if st, err := os.Stat(abs); err != nil || st.Size() == 0 {
		return fmt.Errorf("report: %s wrote no PDF at %s", program, abs)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", out)
	return nil
}
