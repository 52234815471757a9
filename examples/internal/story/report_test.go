package story_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/examples/internal/coop"
	"github.com/coproduce/sociocracy/examples/internal/story"
	"github.com/coproduce/sociocracy/internal/browsertest"
	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

var london = func() *time.Location {
	z, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return z
}()

// period is the fixture's period: six months from 1 November 2026, local
// dates in the co-operative's zone.
var period = report.Options{
	From:  time.Date(2026, 11, 1, 0, 0, 0, 0, london),
	Until: time.Date(2027, 5, 1, 0, 0, 0, 0, london),
}

// told returns a Store over d after the care co-operative's story.
func told(t testing.TB, d store.Driver) *store.Store {
	t.Helper()
	s := store.New(d, nil)
	require.NoError(t, story.Run(context.Background(), io.Discard, s))
	return s
}

func sqliteStore(t *testing.T) store.Driver {
	t.Helper()
	d, err := sqlitestore.OpenMigrated(context.Background(), filepath.Join(t.TempDir(), "carecoop.db"), nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// The report of the story's database is pinned: the same on the memory
// store and on the SQLite file the example keeps, byte for byte.
func TestReportOfTheCareCoopDatabase(t *testing.T) {
	ctx := context.Background()
	var docs []string
	for _, d := range []store.Driver{memstore.New(), sqliteStore(t)} {
		r, err := report.Build(ctx, told(t, d), coop.OrgID, period)
		require.NoError(t, err)
		b, err := r.JSON()
		require.NoError(t, err)
		docs = append(docs, string(b))
	}
	require.Equal(t, docs[0], docs[1], "the report reads the same from every store")
	golden.Check(t, "report.golden.json", docs[0])

	r, err := report.Build(ctx, told(t, memstore.New()), coop.OrgID, period)
	require.NoError(t, err)
	var page bytes.Buffer
	require.NoError(t, r.HTML(&page))
	golden.Check(t, "report.golden.html", page.String())
}

// What an inspector follows through the fixture: the decision of Care team
// North, with Ben's objection integrated by a measure and Carol's by a
// shorter term, both of people the team supports.
func TestReportFollowsOneDecision(t *testing.T) {
	ctx := context.Background()
	s := told(t, memstore.New())
	r, err := report.Build(ctx, s, coop.OrgID, period)
	require.NoError(t, err)
	require.True(t, r.Log.Verified)
	var d report.Decision
	for _, x := range r.Decisions {
		if x.Title == "Evening visits by the same two workers" {
			d = x
		}
	}
	require.Equal(t, "Care team North", d.Circle.Name, "the evening visits decision is in the report")
	require.Len(t, d.Objections, 2)
	assert.Equal(t, circle.SupportedPerson, d.Objections[0].Objector.Class)
	assert.Equal(t, "measure", d.Objections[0].Resolution.String())
	assert.Equal(t, circle.Advocate, d.Objections[1].Objector.Class)
	assert.Equal(t, "shorter-term", d.Objections[1].Resolution.String())
	for _, o := range d.Objections {
		require.NotNil(t, o.Resolved, "each objection names the entry that resolved it")
	}
	assert.Equal(t, report.ReviewOverdue, d.Review.Status, "the three-month review was due on 1 February and not held")
	for _, a := range d.Answers {
		assert.Equal(t, report.HowInPerson, a.How)
	}
	var north *report.Coverage
	for i := range r.CoProduction {
		if r.CoProduction[i].Circle.Name == "Care team North" {
			north = &r.CoProduction[i]
		}
	}
	require.NotNil(t, north)
	assert.Zero(t, north.NotHeard, "Ben and Carol answered")

	// One circle: Care team South's one decision took Nia on, Femi
	// answering through his advocate and Lena by phone.
	south, err := report.Build(ctx, s, coop.OrgID, report.Options{Circle: coop.Circle(coop.CareSouth), From: period.From, Until: period.Until})
	require.NoError(t, err)
	require.Len(t, south.Decisions, 1)
	how := map[string]string{}
	for _, a := range south.Decisions[0].Answers {
		how[a.Person.Label] = a.How
	}
	assert.Equal(t, map[string]string{"Hamid": report.HowInPerson, "Kit": report.HowInPerson, "Iris": report.HowInPerson,
		"Femi": report.HowAdvocate, "Lena": report.HowAssisted}, how)
	for _, m := range south.Membership {
		assert.Equal(t, coop.CareSouth, m.Circle.Name)
	}
	// A period before the decision has none.
	before, err := report.Build(ctx, s, coop.OrgID, report.Options{From: period.From, Until: time.Date(2026, 11, 3, 0, 0, 0, 0, london)})
	require.NoError(t, err)
	assert.Empty(t, before.Decisions)
	assert.Empty(t, before.Elections)
}

// Property: every record of a report of any period carries the sequence
// number and hash of a real logbook entry dated before the period's end,
// and the decisions, membership changes and elections it lists fall in the
// period.
func TestReportRefsAreLogEntries(t *testing.T) {
	ctx := context.Background()
	s := told(t, memstore.New())
	log, err := s.Log(ctx, store.LogQuery{Org: coop.OrgID})
	require.NoError(t, err)
	bySeq := map[uint64]store.Entry{}
	for _, e := range log {
		bySeq[e.Seq] = e
	}
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, london) // the founding
	rapid.Check(t, func(rt *rapid.T) {
		from := start.Add(time.Duration(rapid.IntRange(0, 10*24*60).Draw(rt, "from minutes")) * time.Minute)
		until := from.Add(time.Duration(rapid.IntRange(1, 400*24*60).Draw(rt, "length minutes")) * time.Minute)
		r, err := report.Build(ctx, s, coop.OrgID, report.Options{From: from, Until: until})
		require.NoError(rt, err)
		check := func(what string, ref report.Ref) {
			e, ok := bySeq[ref.Seq]
			require.True(rt, ok, "%s: entry %d is in the log", what, ref.Seq)
			require.Equal(rt, e.Hash, ref.Hash, "%s: entry %d's hash", what, ref.Seq)
			require.True(rt, e.At.Before(until), "%s: entry %d is dated before the period's end", what, ref.Seq)
		}
		inPeriod := func(what string, ref report.Ref) {
			check(what, ref)
			e := bySeq[ref.Seq]
			require.False(rt, e.At.Before(from), "%s: entry %d is in the period", what, ref.Seq)
		}
		for _, d := range r.Decisions {
			inPeriod("decision", d.Entry)
			for _, a := range d.Answers {
				check("answer", a.Entry)
			}
			for _, x := range d.Rounds {
				check("round", x.Entry)
			}
			for _, o := range d.Objections {
				check("objection", o.Entry)
			}
		}
		for _, m := range r.Membership {
			inPeriod("membership change", m.Entry)
		}
		for _, e := range r.Elections {
			inPeriod("election", e.Entry)
		}
		for _, x := range r.Roles {
			check("role", x.Entry)
		}
		for _, x := range r.Overdue {
			check("overdue item", x.Entry)
		}
	})
}

// The page passes axe-core's WCAG 2.2 A and AA rules in Chromium, prints
// to PDF, and its pages render; the PNGs are kept under the test's
// temporary directory, or in $REPORT_PAGES when set, to be looked at.
func TestReportPageIsAccessibleAndPrints(t *testing.T) {
	ctx := context.Background()
	r, err := report.Build(ctx, told(t, memstore.New()), coop.OrgID, period)
	require.NoError(t, err)
	dir := t.TempDir()
	if keep := os.Getenv("REPORT_PAGES"); keep != "" {
		dir = keep
		require.NoError(t, os.MkdirAll(dir, 0o755))
	}
	html := filepath.Join(dir, "report.html")
	var page bytes.Buffer
	require.NoError(t, r.HTML(&page))
	require.NoError(t, os.WriteFile(html, page.Bytes(), 0o644))

	res := browsertest.Axe(t, html)
	assert.Empty(t, res.Violations, "WCAG 2.2 AA, checked by axe-core")
	assert.Empty(t, res.Errors)
	assert.Greater(t, res.Passes, 20, "the checker ran its rules")

	pdf := filepath.Join(dir, "report.pdf")
	browsertest.PrintPDF(t, html, pdf)
	b, err := os.ReadFile(pdf)
	require.NoError(t, err)
	require.True(t, bytes.HasPrefix(b, []byte("%PDF-")), "a PDF")
	pages := browsertest.PDFPages(t, pdf, dir, 50)
	assert.GreaterOrEqual(t, len(pages), 3, "the report runs over several A4 pages")
	assert.Less(t, len(pages), 20)
	for _, p := range pages {
		st, err := os.Stat(p)
		require.NoError(t, err)
		assert.Greater(t, st.Size(), int64(5000), "page %s has something on it", p)
	}
	t.Logf("pages: %s", strings.Join(pages, " "))
}

// BenchmarkReport builds the care co-operative's report of six months,
// beside its baseline, reading the logbook it is built from.
func BenchmarkReport(b *testing.B) {
	ctx := context.Background()
	s := told(b, memstore.New())
	b.Run("read-log", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.Log(ctx, store.LogQuery{Org: coop.OrgID, Until: period.Until}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			if _, err := report.Build(ctx, s, coop.OrgID, period); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build-and-html", func(b *testing.B) {
		for b.Loop() {
			r, err := report.Build(ctx, s, coop.OrgID, period)
			if err != nil {
				b.Fatal(err)
			}
			if err := r.HTML(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
}
