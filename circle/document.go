package circle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/coproduce/sociocracy/internal/kernel"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// DocumentFormat names the version of the organisation document format.
const DocumentFormat = "sociocracy/organisation/v1"

// Document is the JSON form of a whole organisation, which hosts use to seed
// and back up an organisation. Lists are in ID order; times are UTC with
// microsecond precision; so [Organisation.Export] is byte-for-byte stable.
type Document struct {
	Format  string           `json:"format"`
	ID      OrgID            `json:"id"`
	Name    string           `json:"name"`
	Zone    string           `json:"zone"`
	People  []PersonRecord   `json:"people"`
	Circles []CircleDocument `json:"circles"`
	// Mandates are the advocates and proxies people named, revoked ones
	// included, in ID order; absent when there are none.
	Mandates []Mandate `json:"mandates,omitempty"`
}

// CircleDocument is one circle in a [Document]. Parent is absent for the top circle.
type CircleDocument struct {
	ID      CircleID         `json:"id"`
	Parent  *CircleID        `json:"parent,omitempty"`
	Name    string           `json:"name"`
	Kind    Kind             `json:"kind"`
	Aim     string           `json:"aim"`
	Ends    time.Time        `json:"ends,omitzero"`
	Domain  []DomainKey      `json:"domain"`
	Members []MemberDocument `json:"members"`
	Roles   []RoleDocument   `json:"roles"`
}

// MemberDocument is one membership in a [CircleDocument].
type MemberDocument struct {
	Person PersonID  `json:"person"`
	Since  time.Time `json:"since"`
	// Class is the member's participation class, absent for a full member.
	Class Participation `json:"class,omitzero"`
}

// RoleDocument is one filled role in a [CircleDocument].
type RoleDocument struct {
	Role   Role     `json:"role"`
	Holder PersonID `json:"holder"`
	Term   Term     `json:"term"`
}

// Export returns the organisation as an indented JSON [Document].
// Export, [Import], Export gives identical bytes.
func (o *Organisation) Export() ([]byte, error) {
	d := Document{Format: DocumentFormat, ID: o.id, Name: o.name, Zone: o.zone.String(), People: []PersonRecord{}, Circles: []CircleDocument{}}
	for _, id := range o.People() {
		p := o.people[id]
		d.People = append(d.People, PersonRecord{ID: p.id, Label: p.label, Class: p.class, ActsFor: slices.Clone(p.actsFor)})
	}
	for _, id := range sortedKeys(o.circles) {
		c := o.circles[id]
		cd := CircleDocument{ID: id, Name: c.name, Kind: c.kind, Aim: c.aim, Ends: c.ends, Domain: c.Domain(), Members: []MemberDocument{}, Roles: []RoleDocument{}}
		if cd.Domain == nil {
			cd.Domain = []DomainKey{}
		}
		if !c.parent.IsZero() {
			parent := c.parent
			cd.Parent = &parent
		}
		for _, p := range c.Members() {
			cd.Members = append(cd.Members, MemberDocument{Person: p, Since: c.members[p], Class: c.classes[p]})
		}
		for _, a := range c.Roles() {
			cd.Roles = append(cd.Roles, RoleDocument{Role: a.Role, Holder: a.Holder, Term: a.Term})
		}
		d.Circles = append(d.Circles, cd)
	}
	for _, id := range sortedKeys(o.mandates) {
		d.Mandates = append(d.Mandates, o.mandates[id].clone())
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, refuse("export", ErrInvalidDocument, "%v", err)
	}
	return buf.Bytes(), nil
}

// Import reads an organisation [Document] strictly: unknown fields,
// duplicate or case-variant keys, malformed IDs, unknown zones, duplicate
// IDs, dangling references, cycles and every broken invariant of
// [Organisation.Check] are refused with [ErrInvalidDocument] and an error
// that names the place (a JSON path, or the circle or person ID). The imported
// organisation has version 0: it did not come from an event stream.
func Import(data []byte) (*Organisation, error) {
	o, _, err := importDocument(data)
	return o, err
}

func importDocument(data []byte) (*Organisation, Document, error) {
	var d Document
	if err := strictjson.Unmarshal(data, &d); err != nil {
		return nil, d, refuse("import", ErrInvalidDocument, "%s", kernel.DecodeDetail(err, details))
	}
	o, err := fromDocument(d)
	return o, d, err
}

// Seed imports a document as the start of an event stream: it returns the
// organisation (version 1) and one [Imported] event that a store keeps in
// place of [Founded]. actor is the person, named in the document, who
// imported it.
func Seed(data []byte, actor PersonID, at time.Time) (*Organisation, []Event, error) {
	o, d, err := importDocument(data)
	if err != nil {
		return nil, nil, err
	}
	if err := o.checkActor("seed", actor, at); err != nil {
		return nil, nil, err
	}
	o.version = 1
	return o, []Event{Imported{Header: Header{Org: o.id, Actor: actor, At: Normalize(at)}, Document: d}}, nil
}

func fromDocument(d Document) (*Organisation, error) {
	bad := func(path, format string, args ...any) error {
		return refuse("import", ErrInvalidDocument, "%s: %s", path, fmt.Sprintf(format, args...))
	}
	if d.Format != DocumentFormat {
		return nil, bad("format", "want %q, not %q", DocumentFormat, clip(d.Format))
	}
	if d.ID.IsZero() {
		return nil, bad("id", "organisation id is required")
	}
	loc, err := loadZone("import", d.Zone)
	if err != nil {
		return nil, bad("zone", "%s", detail(err))
	}
	o := &Organisation{id: d.ID, name: d.Name, zone: loc, people: map[PersonID]*Person{}, circles: map[CircleID]*Circle{}, personOf: map[PersonID]map[CircleID]struct{}{}}
	for i, p := range d.People {
		path := fmt.Sprintf("people[%d]", i)
		if p.ID.IsZero() {
			return nil, bad(path+".id", "person id is required")
		}
		if _, dup := o.people[p.ID]; dup {
			return nil, bad(path+".id", "person %s appears twice", p.ID)
		}
		if slices.ContainsFunc(p.ActsFor, PersonID.IsZero) || len(slices.Compact(sortedIDs(p.ActsFor))) != len(p.ActsFor) {
			return nil, bad(path+".actsFor", "missing or repeated person")
		}
		o.people[p.ID] = p.person()
	}
	for i, cd := range d.Circles {
		path := fmt.Sprintf("circles[%d]", i)
		if cd.ID.IsZero() {
			return nil, bad(path+".id", "circle id is required")
		}
		if _, dup := o.circles[cd.ID]; dup {
			return nil, bad(path+".id", "circle %s appears twice", cd.ID)
		}
		c := &Circle{id: cd.ID, name: cd.Name, kind: cd.Kind, aim: cd.Aim, ends: normalizeOptional(cd.Ends), domain: sortedUnique(cd.Domain),
			members: map[PersonID]time.Time{}, roles: map[Role]Assignment{}}
		if len(c.domain) != len(cd.Domain) {
			return nil, bad(path+".domain", "a key appears twice")
		}
		if cd.Parent != nil {
			if cd.Parent.IsZero() {
				return nil, bad(path+".parent", "parent id is the nil UUID; omit it for the top circle")
			}
			c.parent = *cd.Parent
		} else {
			o.top = cd.ID
		}
		for j, m := range cd.Members {
			if _, ok := o.people[m.Person]; !ok {
				return nil, bad(fmt.Sprintf("%s.members[%d].person", path, j), "unknown person %s", m.Person)
			}
			if c.IsMember(m.Person) {
				return nil, bad(fmt.Sprintf("%s.members[%d].person", path, j), "person %s appears twice", m.Person)
			}
			o.join(c, m.Person, Normalize(m.Since))
			switch {
			case m.Class == 0:
			case !m.Class.Valid() || m.Class == ParticipationFull:
				return nil, bad(fmt.Sprintf("%s.members[%d].class", path, j), "a class is learning or guest; a full member has none")
			default:
				if c.classes == nil {
					c.classes = map[PersonID]Participation{}
				}
				c.classes[m.Person] = m.Class
			}
		}
		for j, r := range cd.Roles {
			rp := fmt.Sprintf("%s.roles[%d]", path, j)
			if _, dup := c.roles[r.Role]; dup {
				return nil, bad(rp+".role", "role %s appears twice", r.Role)
			}
			if !c.IsMember(r.Holder) {
				return nil, bad(rp+".holder", "holder %s is not a member of the circle", r.Holder)
			}
			c.setRole(Assignment{Circle: cd.ID, Role: r.Role, Holder: r.Holder, Term: Term{Start: Normalize(r.Term.Start), End: Normalize(r.Term.End)}})
		}
		o.circles[cd.ID] = c
	}
	for i, cd := range d.Circles {
		if cd.Parent == nil {
			continue
		}
		parent, ok := o.circles[*cd.Parent]
		if !ok {
			return nil, bad(fmt.Sprintf("circles[%d].parent", i), "unknown circle %s", *cd.Parent)
		}
		parent.children = insertChild(parent.children, o.circles[cd.ID])
	}
	for i, m := range d.Mandates {
		path := fmt.Sprintf("mandates[%d]", i)
		revoked := m.Revoked
		m.Revoked = time.Time{}
		if err := o.checkMandate("import", m, m.Kind); err != nil {
			return nil, bad(path, "%s", detail(err))
		}
		if !normEqual(m) || (i > 0 && d.Mandates[i-1].ID.Compare(m.ID) >= 0) {
			return nil, bad(path, "mandates are in ID order, their lists sorted, their times UTC to the microsecond")
		}
		if !revoked.IsZero() {
			m.Revoked = Normalize(revoked)
		}
		if o.mandates == nil {
			o.mandates, o.heldBy = map[MandateID]Mandate{}, map[PersonID][]MandateID{}
		}
		o.mandates[m.ID] = m.clone()
		o.heldBy[m.Holder] = append(o.heldBy[m.Holder], m.ID)
	}
	if err := o.Check(); err != nil {
		return nil, refuse("import", ErrInvalidDocument, "%s", detail(err))
	}
	return o, nil
}

func normalizeOptional(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return Normalize(t)
}
