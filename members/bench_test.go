package members_test

import (
	"testing"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/members"
)

// registerOf returns a register of n members, one in ten of whom has left.
func registerOf(b *testing.B, n int) (*members.Register, members.Lookup) {
	o, _ := org(b, n+1)
	r, _ := open(b, o)
	for i := 2; i <= n+1; i++ {
		must(r.Admit(o, sec, day(1), pid(i), 1))
	}
	for i := 2; i <= n+1; i += 10 {
		must(r.Cease(o, sec, day(2), pid(i), "resigned"))
	}
	contacts := make(map[circle.PersonID]members.Contact, n)
	for i := 2; i <= n+1; i++ {
		contacts[pid(i)] = members.Contact{Name: "Member", Address: "Street"}
	}
	return r, func(p circle.PersonID) (members.Contact, bool) { c, ok := contacts[p]; return c, ok }
}

// BenchmarkStatutory10000Members: the whole register the law requires of
// 10,000 members, names and addresses looked up in a map. Target: under 1 ms.
func BenchmarkStatutory10000Members(b *testing.B) {
	r, lookup := registerOf(b, 10000)
	at := day(3)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.Statutory(at, lookup, &members.Options{Shares: true}).Members) != 10000 {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkMembersAt10000: the members at an instant among 10,000 entries,
// without contact details: the baseline of the statutory register.
func BenchmarkMembersAt10000(b *testing.B) {
	r, _ := registerOf(b, 10000)
	at := day(3)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.Members(at)) != 9000 {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkMembersCSV10000: the CSV export of the register of 10,000.
func BenchmarkMembersCSV10000(b *testing.B) {
	r, lookup := registerOf(b, 10000)
	s := r.Statutory(day(3), lookup, &members.Options{Shares: true})
	b.ReportAllocs()
	for b.Loop() {
		if len(s.MembersCSV()) == 0 {
			b.Fatal("empty")
		}
	}
}

// BenchmarkStatutory10000MembersNoContacts: the same register without names
// and addresses: what the register itself costs, apart from the host's
// lookups.
func BenchmarkStatutory10000MembersNoContacts(b *testing.B) {
	r, _ := registerOf(b, 10000)
	at := day(3)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.Statutory(at, nil, &members.Options{Shares: true}).Members) != 10000 {
			b.Fatal("wrong answer")
		}
	}
}
