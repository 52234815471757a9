package members

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"time"

	"github.com/coproduce/sociocracy/circle"
)

// Contact is what the register shows of a person that the events never
// hold: the name and address the host keeps in its erasable profiles.
type Contact struct {
	Name    string
	Address string
}

// Lookup returns the contact details of a person, and false when the host
// has none (their profile was erased, or never set). The register never
// keeps what Lookup returns.
type Lookup func(circle.PersonID) (Contact, bool)

// Entry is one membership in the register the law requires: the member's
// name and address, class, the dates admitted and ceased, and the shares
// held (when the co-op has shares and the reader may see them).
type Entry struct {
	Person   circle.PersonID         `json:"person"`
	Name     string                  `json:"name"`
	Address  string                  `json:"address"`
	Erased   bool                    `json:"erased,omitempty"` // no contact details: the profile was erased or never set
	Class    circle.StakeholderClass `json:"class"`
	Admitted time.Time               `json:"admitted"`
	Ceased   time.Time               `json:"ceased,omitzero"`
	Shares   *int                    `json:"shares,omitempty"` // nil: no shares, or withheld from the reader
}

// OfficerEntry is one office in the register of officers: who, which
// office, the dates appointed and ceased, and the term's end.
type OfficerEntry struct {
	Person    circle.PersonID `json:"person"`
	Name      string          `json:"name"`
	Address   string          `json:"address"`
	Erased    bool            `json:"erased,omitempty"`
	Office    string          `json:"office"`
	Appointed time.Time       `json:"appointed"`
	Ceased    time.Time       `json:"ceased,omitzero"`
	TermEnd   time.Time       `json:"termEnd,omitzero"`
}

// Statutory is the register of members and officers as it stood at an
// instant (At): every membership and every office begun by then, current
// and former, with what had ceased by then. Build it with
// [Register.Statutory] (the whole register) or [Register.Inspectable] (what
// a member may inspect); export it with [Statutory.MembersCSV],
// [Statutory.OfficersCSV] or [Statutory.JSON].
type Statutory struct {
	Org      circle.OrgID   `json:"org"`
	At       time.Time      `json:"at"`
	Shares   bool           `json:"shares"` // whether the co-op has shares
	Members  []Entry        `json:"members"`
	Officers []OfficerEntry `json:"officers"`
}

// Options says how to build a [Statutory] register.
type Options struct {
	// Shares: the co-op has shares, and the register shows them.
	Shares bool
}

// Statutory returns the whole register of members and officers as it stood
// at t: what the Co-operative and Community Benefit Societies Act 2014,
// section 30, asks a registered society to keep (members' names and
// addresses, the dates they were admitted and ceased, the shares they hold
// where the society has them, and its officers with their dates). Names
// and addresses come from lookup at the time of the call, so a person
// whose profile was erased shows none (Erased). A nil opt means no shares.
func (r *Register) Statutory(t time.Time, lookup Lookup, opt *Options) Statutory {
	return r.build(t, lookup, opt, nil)
}

// Inspectable returns the part of the register that member viewer may
// inspect at t: the same entries as [Register.Statutory], with the shares
// of every member but viewer withheld. (The library keeps shareholdings out
// of what one member sees of another; check your society's own rules.)
func (r *Register) Inspectable(t time.Time, lookup Lookup, opt *Options, viewer circle.PersonID) Statutory {
	return r.build(t, lookup, opt, &viewer)
}

func (r *Register) build(t time.Time, lookup Lookup, opt *Options, viewer *circle.PersonID) Statutory {
	shares := opt != nil && opt.Shares
	s := Statutory{Org: r.org, At: circle.Normalize(t), Shares: shares, Members: make([]Entry, 0, len(r.order))}
	var held []int // one allocation for every entry's shares
	if shares {
		held = make([]int, 0, len(r.order)+8)
	}
	contact := func(p circle.PersonID) (Contact, bool) {
		if lookup == nil {
			return Contact{}, false
		}
		return lookup(p)
	}
	for _, m := range r.order {
		var c Contact
		var known, looked bool
		for _, p := range m.Periods {
			if p.Admitted.After(t) {
				break
			}
			if !looked {
				c, known = contact(m.Person)
				looked = true
			}
			e := Entry{Person: m.Person, Name: c.Name, Address: c.Address, Erased: !known, Class: m.Class, Admitted: p.Admitted}
			if !p.Ceased.IsZero() && !p.Ceased.After(t) {
				e.Ceased = p.Ceased
			}
			if shares && (viewer == nil || *viewer == m.Person) {
				if len(held) == cap(held) {
					held = make([]int, 0, len(r.order))
				}
				held = append(held, m.SharesAt(t))
				e.Shares = &held[len(held)-1]
			}
			s.Members = append(s.Members, e)
		}
	}
	for _, o := range r.offices {
		if o.From.After(t) {
			continue
		}
		c, known := contact(o.Person)
		e := OfficerEntry{Person: o.Person, Name: c.Name, Address: c.Address, Erased: !known, Office: o.Title(), Appointed: o.From, TermEnd: o.TermEnd}
		if !o.Until.IsZero() && !o.Until.After(t) {
			e.Ceased = o.Until
		}
		s.Officers = append(s.Officers, e)
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// MembersCSV returns the register of members as CSV (RFC 4180), one
// membership per row under a header row: person, name, address, class,
// admitted, ceased, and shares when the co-op has them. Dates are UTC
// calendar dates.
func (s Statutory) MembersCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	head := []string{"person", "name", "address", "class", "admitted", "ceased"}
	if s.Shares {
		head = append(head, "shares")
	}
	_ = w.Write(head) // a bytes.Buffer does not fail
	for _, e := range s.Members {
		row := []string{e.Person.String(), e.Name, e.Address, string(e.Class), day(e.Admitted), day(e.Ceased)}
		if s.Shares {
			n := ""
			if e.Shares != nil {
				n = strconv.Itoa(*e.Shares)
			}
			row = append(row, n)
		}
		_ = w.Write(row)
	}
	w.Flush()
	return b.Bytes()
}

// OfficersCSV returns the register of officers as CSV, one office per row
// under a header row: person, name, address, office, appointed, ceased,
// term end.
func (s Statutory) OfficersCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"person", "name", "address", "office", "appointed", "ceased", "term end"})
	for _, e := range s.Officers {
		_ = w.Write([]string{e.Person.String(), e.Name, e.Address, e.Office, day(e.Appointed), day(e.Ceased), day(e.TermEnd)})
	}
	w.Flush()
	return b.Bytes()
}

// JSON returns the register as one JSON document, indented, with the field
// names of [Statutory], [Entry] and [OfficerEntry].
func (s Statutory) JSON() ([]byte, error) { return json.MarshalIndent(s, "", "  ") }
