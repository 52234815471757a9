package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

// env is what every command shares: its flags, the store it opened, the
// organisation.
type env struct {
	cmd            command
	flags          *flag.FlagSet
	stdout, stderr io.Writer
	db, pg, schema string
	orgText        string
	keyFile        string
	keyedFrom      uint64

	s   *store.Store
	d   store.Driver
	org circle.OrgID
	key *store.ChainKey
}

func newEnv(c command, stdout, stderr io.Writer) *env {
	e := &env{cmd: c, stdout: stdout, stderr: stderr}
	fs := flag.NewFlagSet("sociocracy "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse's errors are returned; --help prints to stdout
	fs.StringVar(&e.db, "db", "", "the SQLite `file` that keeps the records")
	fs.StringVar(&e.pg, "pg", "", "a PostgreSQL `DSN` (URL or key=value) instead of --db")
	fs.StringVar(&e.schema, "schema", "", "the PostgreSQL `schema` the records are in (default: the library's)")
	fs.StringVar(&e.orgText, "org", "", "the organisation's `ID` (a UUID)")
	fs.StringVar(&e.keyFile, "key-file", "", "a `file` holding the secret the logbook's hashes are keyed with, if any")
	fs.Uint64Var(&e.keyedFrom, "keyed-from", 0, "the first logbook entry appended under the key (`SEQ`; default: all)")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "sociocracy %s: %s\n\nUsage:\n  sociocracy %s --db FILE | --pg DSN  --org ID  %s\n\n", c.name, c.summary, c.name, c.usage)
		fmt.Fprintln(w, wrap(c.about, 76))
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
		fmt.Fprint(w, "\nExit codes: 0 done, 1 failed, 2 wrong command line, 3 the logbook did not verify, 4 not found.\n")
	}
	e.flags = fs
	return e
}

// parse parses args and opens the store.
func (e *env) parse(ctx context.Context, args []string) error {
	if err := e.flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			e.flags.SetOutput(e.stdout)
			e.flags.Usage()
			return errHelp
		}
		return fail(errUsage, "%s: %v", e.cmd.name, err)
	}
	if e.flags.NArg() > 0 {
		return fail(errUsage, "%s: unexpected argument %q", e.cmd.name, e.flags.Arg(0))
	}
	if (e.db == "") == (e.pg == "") {
		return fail(errUsage, "%s: give the records with --db FILE (SQLite) or --pg DSN (PostgreSQL), one of them", e.cmd.name)
	}
	if e.orgText == "" {
		return fail(errUsage, "%s: give the organisation with --org ID", e.cmd.name)
	}
	org, err := circle.ParseOrgID(e.orgText)
	if err != nil {
		return fail(errUsage, "%s: --org %q is not an organisation ID (a UUID such as 823a9f76-f7b0-550c-8d6e-42f454d39724)", e.cmd.name, e.orgText)
	}
	e.org = org
	if e.keyFile != "" {
		secret, err := os.ReadFile(e.keyFile)
		if err != nil {
			return fail(errNotFound, "the key file: %v", err)
		}
		if e.key, err = store.NewChainKey([]byte(strings.TrimRight(string(secret), "\r\n"))); err != nil {
			return fail(errUsage, "the key file %s: %v", e.keyFile, err)
		}
	}
	if e.db != "" {
		if _, err := os.Stat(e.db); err != nil {
			return fail(errNotFound, "no database file %s: %v", e.db, err)
		}
		d, err := sqlitestore.Open(ctx, e.db, nil)
		if err != nil {
			return err
		}
		e.d = d
	} else {
		d, err := pgstore.Open(ctx, e.pg, &pgstore.Options{Schema: e.schema})
		if err != nil {
			return err
		}
		e.d = d
	}
	e.s = store.New(e.d, &store.Options{ChainKey: e.key})
	return nil
}

// organisation returns the organisation as of at, or a not-found error a
// person can act on.
func (e *env) organisation(ctx context.Context, at time.Time) (*circle.Organisation, error) {
	o, err := e.s.OrganisationAt(ctx, e.org, at)
	if errors.Is(err, store.ErrNotFound) {
		head, herr := e.s.Head(ctx, e.org)
		if herr == nil && head.Seq == 0 {
			return nil, fail(errNotFound, "there is no organisation %s in these records", e.org)
		}
		return nil, fail(errNotFound, "organisation %s did not exist yet on %s", e.org, at.Format(time.RFC3339))
	}
	return o, err
}

// zone returns the organisation's time zone, for reading dates.
func (e *env) zone(ctx context.Context) (*time.Location, error) {
	o, err := e.organisation(ctx, time.Now())
	if err != nil {
		return nil, err
	}
	return o.Zone(), nil
}

// date reads a date flag: YYYY-MM-DD is the start of that day in zone;
// otherwise RFC 3339. An empty text gives def.
func date(flagName, text string, zone *time.Location, def time.Time) (time.Time, error) {
	if text == "" {
		return def, nil
	}
	if t, err := time.ParseInLocation("2006-01-02", text, zone); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, text); err == nil {
		return t, nil
	}
	return time.Time{}, fail(errUsage, "--%s %q is not a date: write 2026-11-02 or 2026-11-02T10:00:00Z", flagName, clip(text))
}

// circleOf finds a circle by ID or by name (any case).
func circleOf(o *circle.Organisation, text string) (circle.CircleID, error) {
	if id, err := circle.ParseCircleID(text); err == nil {
		if _, ok := o.Circle(id); ok {
			return id, nil
		}
		return circle.CircleID{}, fail(errNotFound, "no circle %s in %s", text, o.Name())
	}
	var names []string
	for _, id := range o.Circles() {
		c, _ := o.Circle(id)
		if strings.EqualFold(c.Name(), text) {
			return id, nil
		}
		names = append(names, c.Name())
	}
	return circle.CircleID{}, fail(errNotFound, "no circle named %q in %s (its circles: %s)", text, o.Name(), strings.Join(names, ", "))
}

// output opens the file of --out, or standard output.
func (e *env) output(path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, nil, err
	}
	return f, f.Close, nil
}

// wrap breaks text into lines of at most width bytes.
func wrap(text string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(text) {
		if n > 0 && n+1+len(w) > width {
			b.WriteByte('\n')
			n = 0
		} else if n > 0 {
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
