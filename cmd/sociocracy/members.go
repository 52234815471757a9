package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/report"
	"github.com/coproduce/sociocracy/store"
)

func runMembers(ctx context.Context, e *env, args []string) error {
	atText := e.flags.String("at", "", "the register as it stood on this `DATE` (default: now)")
	format := e.flags.String("format", "text", "text, csv or json")
	part := e.flags.String("part", "members", "with --format csv: the `members` or the officers file")
	viewer := e.flags.String("viewer", "", "only what this member (`PERSON`: name or ID) may inspect")
	shares := e.flags.Bool("shares", false, "the co-operative has shares: show what each member holds")
	out := e.flags.String("out", "", "write to this `file` (default: standard output)")
	if err := e.parse(ctx, args); err != nil {
		return err
	}
	switch *format {
	case "text", "csv", "json":
	default:
		return fail(errUsage, "members: --format %q is not text, csv or json", clip(*format))
	}
	switch *part {
	case "members", "officers":
	default:
		return fail(errUsage, "members: --part %q is not members or officers", clip(*part))
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
	opt := &members.Options{Shares: *shares}
	var reg members.Statutory
	if *viewer != "" {
		p, err := personOf(o, *viewer)
		if err != nil {
			return err
		}
		reg, err = e.s.InspectableRegister(ctx, e.org, p, at, opt)
		if errors.Is(err, members.ErrNotMember) {
			return fail(errNotFound, "members: %s was not a member of %s on %s, so there is nothing they may inspect", *viewer, o.Name(), at.In(zone).Format("2 Jan 2006"))
		}
	} else {
		reg, err = e.s.StatutoryRegister(ctx, e.org, at, opt)
	}
	if errors.Is(err, store.ErrNotFound) {
		return fail(errNotFound, "members: %s keeps no register of members in these records yet", o.Name())
	}
	if err != nil {
		return err
	}
	var data []byte
	switch {
	case *format == "json":
		if data, err = reg.JSON(); err != nil {
			return err
		}
		data = append(data, '\n')
	case *format == "csv" && *part == "officers":
		data = reg.OfficersCSV()
	case *format == "csv":
		data = reg.MembersCSV()
	default:
		data = membersText(o, reg, zone)
	}
	return e.write(*out, data)
}

// membersText prints the register for a person to read: the members by
// class, then the officers.
func membersText(o *circle.Organisation, reg members.Statutory, zone *time.Location) []byte {
	var b bytes.Buffer
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(zone).Format("2 Jan 2006")
	}
	name := func(n string, erased bool) string {
		if erased || n == "" {
			return "(name erased or not given)"
		}
		return n
	}
	current := 0
	for _, m := range reg.Members {
		if m.Ceased.IsZero() {
			current++
		}
	}
	fmt.Fprintf(&b, "Register of members of %s as it stood on %s\n", o.Name(), day(reg.At))
	fmt.Fprintf(&b, "%d members, %d of them current.\n\n", len(reg.Members), current)
	if len(reg.Members) > 0 {
		w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		head := "Name\tClass\tAddress\tAdmitted\tCeased"
		if reg.Shares {
			head += "\tShares"
		}
		fmt.Fprintln(w, head)
		for _, m := range reg.Members {
			row := strings.Join([]string{name(m.Name, m.Erased), report.ClassWords(m.Class), m.Address, day(m.Admitted), day(m.Ceased)}, "\t")
			if reg.Shares {
				s := ""
				if m.Shares != nil {
					s = fmt.Sprint(*m.Shares)
				}
				row += "\t" + s
			}
			fmt.Fprintln(w, row)
		}
		_ = w.Flush()
	}
	fmt.Fprintf(&b, "\nOfficers: %d\n", len(reg.Officers))
	if len(reg.Officers) > 0 {
		w := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
		fmt.Fprintln(w, "Name\tOffice\tAppointed\tCeased\tTerm ends")
		for _, f := range reg.Officers {
			fmt.Fprintln(w, strings.Join([]string{name(f.Name, f.Erased), f.Office, day(f.Appointed), day(f.Ceased), day(f.TermEnd)}, "\t"))
		}
		_ = w.Flush()
	}
	return b.Bytes()
}

// personOf finds a person by ID or by label (any case).
func personOf(o *circle.Organisation, text string) (circle.PersonID, error) {
	if id, err := circle.ParsePersonID(text); err == nil {
		if _, ok := o.Person(id); ok {
			return id, nil
		}
		return circle.PersonID{}, fail(errNotFound, "no person %s in %s", text, o.Name())
	}
	var found []circle.PersonID
	for _, id := range o.People() {
		p, _ := o.Person(id)
		if strings.EqualFold(p.Label(), text) {
			found = append(found, id)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return circle.PersonID{}, fail(errNotFound, "no person named %q in %s", text, o.Name())
	}
	return circle.PersonID{}, fail(errUsage, "%d people are named %q in %s: give the ID of the one you mean", len(found), text, o.Name())
}
