// Command sociocracy reads an organisation's governance records, kept by
// the library in an SQLite file or a PostgreSQL database, for people who do
// not write Go: a secretary, a member, an inspector. It only reads: it never
// changes a record.
//
//	go install github.com/coproduce/sociocracy/cmd/sociocracy@latest
//
// Usage:
//
//	sociocracy <command> --db FILE | --pg DSN  --org ID  [flags]
//
// The commands:
//
//	verify     check the logbook's hash chain (against an anchored head, a key)
//	org        the organisation as it stood on a date: circles, members, roles, policies
//	agenda     what is overdue, due and coming up; a circle's meeting agenda
//	calendar   the review calendar as iCalendar, to subscribe to
//	chart      the org chart as SVG, HTML or Mermaid
//	report     the governance report of a period, as HTML, JSON or PDF
//	members    the register of members and officers, as text, CSV or JSON
//	help       help on a command (every command also takes --help)
//
// Dates are written 2026-11-02 (the start of that day in the
// organisation's time zone) or in RFC 3339 (2026-11-02T10:00:00Z).
//
// Exit codes:
//
//	0  done
//	1  failed: the database could not be read, a file not written
//	2  the command line is wrong: an unknown command or flag, a bad date
//	3  the logbook did not verify: it was changed, cut or reordered
//	4  not found: no such database file, organisation or circle
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitCorrupt  = 3
	exitNotFound = 4
)

// command is one subcommand.
type command struct {
	name    string
	summary string
	usage   string // the arguments after the command name
	about   string // a paragraph for --help
	run     func(ctx context.Context, e *env, args []string) error
}

var commands []command

func init() {
	commands = []command{
		{"verify", "check the logbook's hash chain", "[--anchor SEQ:HASH] [--key-file FILE [--keyed-from SEQ]]",
			"Walks the organisation's whole logbook and checks that no entry was changed, removed or reordered, " +
				"and that it still holds the database's own head and, when given, a head you kept elsewhere " +
				"(--anchor, as printed by an earlier verify). With --key-file every hash must be keyed with that secret. " +
				"Progress goes to standard error on a long log. Exit code 3 when the log does not verify.", runVerify},
		{"org", "the organisation as it stood on a date", "[--at DATE] [--format text|json]",
			"Prints the organisation's circles with their aims, members (and why each is there), roles with " +
				"their terms and the policies in force, as the logbook shows them on --at (default: now). --format json prints the " +
				"organisation's document, which the library can import.", runOrg},
		{"agenda", "what is overdue, due and coming up", "[--at DATE] [--within DAYS] [--circle CIRCLE]",
			"Lists the reviews that are overdue, due and coming up within --within days (default 30) of --at " +
				"(default: now). With --circle it prints that circle's agenda for a meeting on --at: what it must " +
				"review, and its open decisions and elections.", runAgenda},
		{"calendar", "the review calendar as iCalendar", "[--circle CIRCLE] [--at DATE] [--out FILE]",
			"Writes the review calendar (policy reviews, term ends, measure checkpoints, ...) as an iCalendar file " +
				"that calendar programs can subscribe to; --at is the time stamped on it (default: now).", runCalendar},
		{"chart", "the org chart", "[--format svg|html|mermaid] [--at DATE] [--out FILE]",
			"Draws the organisation as it stood on --at (default: now): circles, their leaders and delegates, " +
				"and the broken links in red. svg is a picture, html a page with a search box, mermaid text for Markdown.", runChart},
		{"report", "the governance report of a period", "--from DATE --until DATE [--circle CIRCLE] [--format html|json|pdf] [--out FILE]",
			"Writes the governance report from --from up to (not including) --until: every decision with who was " +
				"asked and how they answered, objections and how they were integrated, reviews held or late, roles, " +
				"elections, membership changes and co-production, each with its logbook entry. pdf needs Chromium " +
				"(--chromium PATH, or chromium on the PATH).", runReport},
		{"members", "the register of members and officers", "[--at DATE] [--format text|csv|json] [--part members|officers] [--viewer PERSON] [--shares] [--out FILE]",
			"Prints the register of members (with their class, address, and the dates they were admitted and " +
				"ceased) and of officers (with their office, dates and term end), as it stood on --at (default: " +
				"now): the register a registered society must keep. Names and addresses come from the people's " +
				"profiles; an erased person is shown without them. --format csv writes one file, the members' " +
				"or, with --part officers, the officers'; json writes both. With --viewer, only the part that " +
				"member may inspect (other members' shareholdings are withheld).", runMembers},
	}
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "help":
		if len(args) == 1 {
			usage(stdout)
			return exitOK
		}
		c, ok := find(args[1])
		if !ok {
			fmt.Fprintf(stderr, "sociocracy: no command %q\n", args[1])
			usage(stderr)
			return exitUsage
		}
		return exitCode(stderr, c.run(ctx, newEnv(c, stdout, stderr), []string{"--help"}))
	}
	c, ok := find(name)
	if !ok {
		fmt.Fprintf(stderr, "sociocracy: no command %q\n", name)
		usage(stderr)
		return exitUsage
	}
	e := newEnv(c, stdout, stderr)
	err := c.run(ctx, e, args[1:])
	if e.s != nil {
		_ = e.s.Close()
	}
	return exitCode(stderr, err)
}

func find(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func usage(w io.Writer) {
	fmt.Fprint(w, `sociocracy reads the governance records of an organisation kept by the
sociocracy library, in an SQLite file or a PostgreSQL database. It never
changes them.

Usage:
  sociocracy <command> --db FILE | --pg DSN  --org ID  [flags]

Commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s  %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `  help       help on a command: sociocracy help report (or report --help)

Dates: 2026-11-02 (the start of that day in the organisation's time zone)
or RFC 3339 (2026-11-02T10:00:00Z).

Exit codes:
  0  done
  1  failed: the database could not be read, a file not written
  2  the command line is wrong: an unknown command or flag, a bad date
  3  the logbook did not verify: it was changed, cut or reordered
  4  not found: no such database file, organisation or circle
`)
}

// Errors that choose an exit code.
var (
	errUsage    = errors.New("usage")
	errNotFound = errors.New("not found")
	errCorrupt  = errors.New("the logbook did not verify")
	errHelp     = errors.New("help shown")
)

type codeError struct {
	code error
	msg  string
}

func (e *codeError) Error() string        { return e.msg }
func (e *codeError) Is(target error) bool { return target == e.code }

func fail(code error, format string, args ...any) error {
	return &codeError{code: code, msg: fmt.Sprintf(format, args...)}
}

func exitCode(stderr io.Writer, err error) int {
	switch {
	case err == nil, errors.Is(err, errHelp):
		return exitOK
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "sociocracy:", err)
		fmt.Fprintln(stderr, "(sociocracy help for the commands, sociocracy <command> --help for one)")
		return exitUsage
	case errors.Is(err, errCorrupt):
		fmt.Fprintln(stderr, "sociocracy:", err)
		return exitCorrupt
	case errors.Is(err, errNotFound):
		fmt.Fprintln(stderr, "sociocracy:", err)
		return exitNotFound
	}
	fmt.Fprintln(stderr, "sociocracy:", err)
	return exitFailed
}
