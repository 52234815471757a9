package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/internal/browsertest"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// bin is the command, built once; db the care co-operative's database.
var bin, db string

func TestMain(m *testing.M) {
	os.Exit(func() int {
		dir, err := os.MkdirTemp("", "sociocracy-cli-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		bin = filepath.Join(dir, "sociocracy")
		build := exec.Command("go", "build", "-o", bin, ".")
		build.Stderr = os.Stderr
		if err := build.Run(); err != nil {
			fmt.Fprintln(os.Stderr, "building the command:", err)
			return 1
		}
		db = filepath.Join(dir, "carecoop.db")
		if err := tell(db); err != nil {
			fmt.Fprintln(os.Stderr, "the care co-operative's database:", err)
			return 1
		}
		return m.Run()
	}())
}

// tell writes the care co-operative's story into an SQLite file, by
// running the example that tells it.
func tell(path string) error {
	cmd := exec.Command("go", "run", "../../examples/carecoop", "-db", path)
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	return cmd.Run()
}

// fixtureHead returns the head of the care co-operative's logbook, read
// through the library.
func fixtureHead(t *testing.T) store.Head {
	t.Helper()
	ctx := context.Background()
	d, err := sqlitestore.Open(ctx, db, nil)
	require.NoError(t, err)
	s := store.New(d, nil)
	defer s.Close()
	h, err := s.Head(ctx, circle.OrgID(uuid.MustParse(org)))
	require.NoError(t, err)
	return h
}

// small founds an organisation through s with a care team and a few acts.
func small(t *testing.T, s *store.Store) circle.OrgID {
	t.Helper()
	ctx := context.Background()
	f := circletest.Founding(1)
	f.Org = circle.OrgID(uuid.New())
	_, err := s.Found(ctx, f, nil)
	require.NoError(t, err)
	_, err = s.ActOrg(ctx, f.Org, func(o *circle.Organisation, at time.Time) ([]circle.Event, error) {
		var c store.Collector[circle.Event]
		c.Add(o.AddCircle(circletest.Person(1), at, circle.CircleSpec{ID: circletest.Circle(2), Parent: o.Top(), Name: "Care team East", Kind: circle.KindTeam}))
		c.Add(o.AddPerson(circletest.Person(1), at, circle.PersonSpec{ID: circletest.Person(2), Label: "Ruth", Class: circle.SupportedPerson}))
		c.Add(o.AddMember(circletest.Person(1), at, circletest.Circle(2), circletest.Person(2)))
		return c.Result()
	}, &store.WriteOptions{At: f.At.Add(time.Hour)})
	require.NoError(t, err)
	return f.Org
}

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command as a process.
func run(t *testing.T, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code, stdout.String(), stderr.String()}
}

// org is the care co-operative of the examples.
const org = "823a9f76-f7b0-550c-8d6e-42f454d39724"

// on runs a command on the fixture's database and organisation.
func on(t *testing.T, command string, args ...string) result {
	t.Helper()
	return run(t, append([]string{command, "--db", db, "--org", org}, args...)...)
}

var commands = []string{"verify", "org", "agenda", "calendar", "chart", "report", "members"}

func TestHelpForEveryCommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {"-h"}} {
		r := run(t, args...)
		assert.Equal(t, 0, r.code, "%v", args)
		for _, c := range commands {
			assert.Contains(t, r.stdout, "\n  "+c+" ", "the overview lists %s", c)
		}
		assert.Contains(t, r.stdout, "Exit codes:")
	}
	for _, c := range commands {
		t.Run(c, func(t *testing.T) {
			for _, args := range [][]string{{c, "--help"}, {"help", c}} {
				r := run(t, args...)
				assert.Equal(t, 0, r.code, "%v: %s", args, r.stderr)
				assert.Contains(t, r.stdout, "sociocracy "+c+": ")
				assert.Contains(t, r.stdout, "Usage:\n  sociocracy "+c+" --db FILE")
				assert.Contains(t, r.stdout, "-org ID")
				assert.Contains(t, r.stdout, "Exit codes:")
				assert.Empty(t, r.stderr)
			}
		})
	}
}

func TestTheCommandLineIsChecked(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no command", nil, 2, "Usage:"},
		{"an unknown command", []string{"frobnicate"}, 2, `no command "frobnicate"`},
		{"help on an unknown command", []string{"help", "frobnicate"}, 2, `no command "frobnicate"`},
		{"an unknown flag", []string{"org", "--db", "x", "--org", org, "--colour"}, 2, "flag provided but not defined: -colour"},
		{"no database", []string{"org", "--org", org}, 2, "--db FILE (SQLite) or --pg DSN"},
		{"two databases", []string{"org", "--db", "x", "--pg", "y", "--org", org}, 2, "one of them"},
		{"no organisation", []string{"org", "--db", "x"}, 2, "--org ID"},
		{"an organisation that is no ID", []string{"org", "--db", "x", "--org", "Riverside"}, 2, "is not an organisation ID"},
		{"a database file that is not there", []string{"org", "--db", "/nonexistent/x.db", "--org", org}, 4, "no database file"},
		{"an organisation that is not there", []string{"org", "--db", db, "--org", uuid.NewString()}, 4, "there is no organisation"},
		{"a date that is no date", []string{"org", "--db", db, "--org", org, "--at", "yesterday"}, 2, `--at "yesterday" is not a date`},
		{"a date before the founding", []string{"org", "--db", db, "--org", org, "--at", "2020-01-01"}, 4, "did not exist yet"},
		{"a stray argument", []string{"org", "--db", db, "--org", org, "extra"}, 2, `unexpected argument "extra"`},
		{"a bad format", []string{"chart", "--db", db, "--org", org, "--format", "png"}, 2, "want svg, html or mermaid"},
		{"a report without its period", []string{"report", "--db", db, "--org", org}, 2, "--from DATE and --until DATE"},
		{"a period that ends first", []string{"report", "--db", db, "--org", org, "--from", "2027-01-01", "--until", "2026-01-01"}, 2, "must come after"},
		{"a circle that is not there", []string{"agenda", "--db", db, "--org", org, "--circle", "Care team West"}, 4, `no circle named "Care team West"`},
		{"a pdf without a file", []string{"report", "--db", db, "--org", org, "--from", "2026-11-01", "--until", "2027-05-01", "--format", "pdf"}, 2, "needs --out FILE"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.args...)
			assert.Equal(t, tc.code, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tc.says)
			assert.Empty(t, r.stdout)
		})
	}
}

var headLine = regexp.MustCompile(`Head \(keep it elsewhere to check against later\): (\d+:[0-9a-f]{64})`)

func TestVerify(t *testing.T) {
	r := on(t, "verify")
	require.Equal(t, 0, r.code, r.stderr)
	head := fixtureHead(t)
	assert.Contains(t, r.stdout, fmt.Sprintf("The logbook of Riverside Care Co-operative is intact: %d entries", head.Seq))
	m := headLine.FindStringSubmatch(r.stdout)
	require.Len(t, m, 2)
	anchor := m[1]

	r = on(t, "verify", "--anchor", anchor)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "It still holds the anchored head "+anchor)

	wrong := strings.Replace(anchor, ":", ":0", 1)[:len(anchor)]
	r = on(t, "verify", "--anchor", wrong)
	assert.Equal(t, 3, r.code, "a head the log does not hold: %s", r.stdout)
	assert.Contains(t, r.stderr, "did NOT verify")

	r = on(t, "verify", "--anchor", fmt.Sprint(head.Seq))
	assert.Equal(t, 2, r.code, "an anchor without its hash")

	// A copy of the database with one entry's text changed behind the
	// library's back.
	tampered := filepath.Join(t.TempDir(), "tampered.db")
	data, err := os.ReadFile(db)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(tampered, data, 0o644))
	sdb, err := sql.Open("sqlite", tampered)
	require.NoError(t, err)
	var seq int
	require.NoError(t, sdb.QueryRow(`SELECT min(seq) FROM entries WHERE instr(data, 'stranger') > 0`).Scan(&seq))
	res, err := sdb.Exec(`UPDATE entries SET data = replace(data, 'stranger', 'friend') WHERE seq = ?`, seq)
	require.NoError(t, err)
	n, _ := res.RowsAffected()
	require.EqualValues(t, 1, n)
	require.NoError(t, sdb.Close())
	r = run(t, "verify", "--db", tampered, "--org", org)
	assert.Equal(t, 3, r.code)
	assert.Contains(t, r.stderr, fmt.Sprintf("entry %d", seq))
	assert.Empty(t, r.stdout)
}

func TestVerifyShowsProgressOnALongLog(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "long.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	long := storetest.NewOrg()
	require.NoError(t, storetest.FillLog(ctx, d, long, 60_000))
	require.NoError(t, d.Close())
	r := run(t, "verify", "--db", path, "--org", long.String())
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "verifying the 60000 entries")
	// Pages are read ahead, several at once: the lines climb, in tenths,
	// to the whole log.
	lines := regexp.MustCompile(`read (\d+) of 60000 entries \((\d+)%\)`).FindAllStringSubmatch(r.stderr, -1)
	require.GreaterOrEqual(t, len(lines), 2, r.stderr)
	prev := 0
	for _, l := range lines {
		n, err := strconv.Atoi(l[1])
		require.NoError(t, err)
		assert.Greater(t, n, prev, "progress only climbs")
		prev = n
	}
	assert.Equal(t, "read 60000 of 60000 entries (100%)", lines[len(lines)-1][0])
	assert.Contains(t, r.stdout, "is intact: 60000 entries")
}

func TestVerifyWithAKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "keyed.db")
	keyFile := filepath.Join(dir, "key")
	require.NoError(t, os.WriteFile(keyFile, []byte("a secret the host keeps outside the database\n"), 0o600))
	key, err := store.NewChainKey([]byte("a secret the host keeps outside the database"))
	require.NoError(t, err)
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	s := store.New(d, &store.Options{ChainKey: key})
	keyed := small(t, s).String()
	require.NoError(t, s.Close())

	r := run(t, "verify", "--db", path, "--org", keyed, "--key-file", keyFile)
	assert.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Every hash is keyed")
	r = run(t, "verify", "--db", path, "--org", keyed)
	assert.Equal(t, 3, r.code, "keyed hashes are not plain ones")
	assert.Contains(t, r.stderr, "--key-file", "the message says what may be missing")
	other := filepath.Join(dir, "other")
	require.NoError(t, os.WriteFile(other, []byte("another secret, long enough to be a key"), 0o600))
	r = run(t, "verify", "--db", path, "--org", keyed, "--key-file", other)
	assert.Equal(t, 3, r.code, "the wrong key does not verify")
	r = run(t, "verify", "--db", db, "--org", org, "--key-file", keyFile)
	assert.Equal(t, 3, r.code, "a log without keyed hashes does not verify with a key")
}

func TestOrgAsOfADate(t *testing.T) {
	r := on(t, "org", "--at", "2026-11-03")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Riverside Care Co-operative as of 3 November 2026, 00:00 (Europe/London): 7 circles, 12 people")
	assert.Contains(t, r.stdout, "Care team North (team circle)")
	north := section(r.stdout, "Care team North (team circle)")
	assert.Contains(t, north, "leader: Dev")
	assert.NotContains(t, north, "delegate:", "on 3 November Care team North had no delegate yet")

	r = on(t, "org", "--at", "2026-11-06")
	require.Equal(t, 0, r.code, r.stderr)
	north = section(r.stdout, "Care team North (team circle)")
	assert.Contains(t, north, "delegate: Ben, 5 November 2026 to 5 November 2027", "Ben was selected on 5 November")
	assert.Contains(t, north, `policy: "Evening visits by the same two workers" (version 1, since 3 November 2026, review by 1 February 2027)`,
		"the policy adopted on 3 November is in force")

	r = on(t, "org", "--at", "2026-11-02T12:00:00Z")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "0 policies in force", "nothing was decided yet on 2 November")

	r = on(t, "org", "--at", "2026-11-06T12:00:00Z", "--format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	o, err := circle.Import([]byte(r.stdout))
	require.NoError(t, err, "the json is the organisation's document")
	assert.Equal(t, "Riverside Care Co-operative", o.Name())
}

// The register of members: as a person reads it, as the files the law
// asks for, and the part one member may inspect.
func TestMembers(t *testing.T) {
	r := on(t, "members", "--at", "2026-12-01", "--shares")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Register of members of Riverside Care Co-operative as it stood on 1 Dec 2026")
	assert.Contains(t, r.stdout, "11 members, 11 of them current.")
	assert.Regexp(t, `Grace\s+investor\s+9 Abbey Gardens\s+2 Nov 2026\s+250`, r.stdout)
	assert.Regexp(t, `Jo\s+committee member\s+2 Nov 2026`, r.stdout, "an officer who is not a member")
	assert.NotContains(t, section(r.stdout, "Register of members"), "Jo ", "Jo is not a member")

	r = on(t, "members", "--format", "csv", "--shares", "--at", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 12, "a header and eleven members")
	assert.Equal(t, []string{"person", "name", "address", "class", "admitted", "ceased", "shares"}, rows[0])

	r = on(t, "members", "--format", "csv", "--part", "officers", "--at", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	rows, err = csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 4, "a header and the mission circle's three")

	r = on(t, "members", "--format", "json", "--at", "2026-11-02T10:20:00Z")
	require.Equal(t, 0, r.code, r.stderr)
	var reg members.Statutory
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &reg))
	assert.Empty(t, reg.Members, "nobody was admitted before 10:30 on 2 November")

	r = on(t, "members", "--viewer", "Ben", "--shares", "--format", "json", "--at", "2026-12-01")
	require.Equal(t, 0, r.code, r.stderr)
	reg = members.Statutory{}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &reg))
	require.Len(t, reg.Members, 11)
	for _, m := range reg.Members {
		if m.Name == "Ben" {
			assert.NotNil(t, m.Shares, "Ben sees his own shares")
		} else {
			assert.Nil(t, m.Shares, "but not %s's", m.Name)
		}
	}

	r = on(t, "members", "--at", "2026-12-10")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "13 members, 13 of them current.", "two investors joined on 4 December")

	r = on(t, "members", "--viewer", "Jo")
	assert.Equal(t, 4, r.code, "Jo is not a member: %s", r.stderr)
	assert.Contains(t, r.stderr, "was not a member")
	r = on(t, "members", "--viewer", "Nobody")
	assert.Equal(t, 4, r.code)
	assert.Contains(t, r.stderr, `no person named "Nobody"`)
	r = on(t, "members", "--format", "xml")
	assert.Equal(t, 2, r.code)
}

// section is the part of text from the line starting with head to the
// next blank line.
func section(text, head string) string {
	i := strings.Index(text, head)
	if i < 0 {
		return ""
	}
	rest := text[i:]
	if j := strings.Index(rest, "\n\n"); j >= 0 {
		return rest[:j]
	}
	return rest
}

func TestAgenda(t *testing.T) {
	r := on(t, "agenda", "--at", "2026-12-01", "--within", "90")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "What is due in Riverside Care Co-operative, as of Tue 1 December 2026")
	assert.Contains(t, r.stdout, "Coming up in the next 90 days (4)")
	assert.Contains(t, r.stdout, "Mon 1 February 2027  Policy review: Evening visits by the same two workers  [Care team North]")

	r = on(t, "agenda", "--at", "2027-02-02", "--circle", "care team north")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Agenda of Care team North for a meeting on Tue 2 February 2027")
	assert.Contains(t, r.stdout, "To review (2)")
	assert.Contains(t, r.stdout, "Open decisions (0)")
}

func TestCalendar(t *testing.T) {
	out := filepath.Join(t.TempDir(), "reviews.ics")
	r := on(t, "calendar", "--at", "2026-12-01", "--out", out)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stderr, "wrote "+out)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "BEGIN:VCALENDAR\r\n"))
	assert.Contains(t, string(b), "X-WR-CALNAME:Reviews of Riverside Care Co-operative")
	assert.Contains(t, string(b), "SUMMARY:Policy review: Evening visits by the same two workers")

	r = on(t, "calendar", "--at", "2026-12-01", "--circle", "Winter planning")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "X-WR-CALNAME:Reviews of Winter planning")
	assert.NotContains(t, r.stdout, "Evening visits", "only the circle's items")
}

func TestChart(t *testing.T) {
	r := on(t, "chart")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "<svg")
	assert.Contains(t, r.stdout, "Care team North")
	r = on(t, "chart", "--format", "mermaid")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "flowchart TD"), r.stdout)
	r = on(t, "chart", "--format", "html", "--at", "2026-11-03")
	require.Equal(t, 0, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(strings.ToLower(r.stdout), "<!doctype html>"))
}

// The report the command writes is the report of the fixture that the
// library's golden file pins.
func TestReport(t *testing.T) {
	r := on(t, "report", "--from", "2026-11-01", "--until", "2027-05-01", "--format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	want, err := os.ReadFile(filepath.Join("..", "..", "examples", "internal", "story", "testdata", "report.golden.json"))
	require.NoError(t, err)
	assert.Equal(t, string(want), r.stdout)

	r = on(t, "report", "--from", "2026-11-01", "--until", "2027-05-01", "--circle", "Care team South", "--format", "json")
	require.Equal(t, 0, r.code, r.stderr)
	var south report.Report
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &south))
	require.NotNil(t, south.Circle)
	assert.Equal(t, "Care team South", south.Circle.Name)

	r = on(t, "report", "--from", "2026-11-01", "--until", "2027-05-01")
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "<title>Governance report: Riverside Care Co-operative, 1 November 2026 to 30 April 2027</title>")
}

func TestReportAsPDF(t *testing.T) {
	chromium := browsertest.Chromium(t)
	out := filepath.Join(t.TempDir(), "report.pdf")
	r := on(t, "report", "--from", "2026-11-01", "--until", "2027-05-01", "--format", "pdf", "--out", out, "--chromium", chromium)
	require.Equal(t, 0, r.code, r.stderr)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(b, []byte("%PDF-")))
	r = on(t, "report", "--from", "2026-11-01", "--until", "2027-05-01", "--format", "pdf", "--out", out, "--chromium", "/nonexistent/chromium")
	assert.Equal(t, 1, r.code)
	assert.Contains(t, r.stderr, "printing the PDF")
}

// The same commands over PostgreSQL: what the command prints is what the
// library reads from the same database.
func TestOverPostgreSQL(t *testing.T) {
	dsn := os.Getenv("SOCIOCRACY_PG_DSN")
	if dsn == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("SOCIOCRACY_PG_DSN is unset and CI is set: the PostgreSQL test must run")
		}
		t.Skip("SOCIOCRACY_PG_DSN is unset: skipping the PostgreSQL test")
	}
	ctx := context.Background()
	schema := "cli_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	d, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	s := store.New(d, nil)
	t.Cleanup(func() { _ = s.Close() })
	id := small(t, s)
	pg := []string{"--pg", dsn, "--schema", schema, "--org", id.String()}

	r := run(t, append([]string{"verify"}, pg...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "is intact: ")
	r = run(t, append([]string{"org", "--at", "2026-01-06"}, pg...)...)
	require.Equal(t, 0, r.code, r.stderr)
	assert.Contains(t, r.stdout, "Care team East (team circle)")
	r = run(t, append([]string{"report", "--from", "2026-01-01", "--until", "2026-02-01", "--format", "json"}, pg...)...)
	require.Equal(t, 0, r.code, r.stderr)
	zone, err := time.LoadLocation("Europe/London")
	require.NoError(t, err)
	want, err := report.Build(ctx, s, id, report.Options{From: time.Date(2026, 1, 1, 0, 0, 0, 0, zone), Until: time.Date(2026, 2, 1, 0, 0, 0, 0, zone)})
	require.NoError(t, err)
	b, err := want.JSON()
	require.NoError(t, err)
	assert.Equal(t, string(b), r.stdout)
}
