package consent

import (
	"errors"
	"reflect"
	"testing"
	"time"
)

// perturb changes v to a different value of its type.
func perturb(t *testing.T, v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(v.Interface().(time.Time).Add(time.Hour)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "x")
	case reflect.Int, reflect.Int64:
		v.SetInt(v.Int() + 1)
	case reflect.Uint8:
		v.SetUint(v.Uint() + 1)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Array:
		perturb(t, v.Index(0))
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
	case reflect.Struct:
		perturb(t, v.Field(0))
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		} else {
			perturb(t, v.Elem())
		}
	default:
		t.Fatalf("cannot perturb a %s", v.Type())
	}
}

// decisionEqual and openingEqual compare field by field for speed; every
// field must take part, so a field added later cannot be forgotten.
func TestFieldByFieldEqualityCoversEveryField(t *testing.T) {
	d := Decision{AdoptedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if !decisionEqual(d, d) {
		t.Fatal("a decision differs from itself")
	}
	for i := range reflect.TypeFor[Decision]().NumField() {
		c := d
		perturb(t, reflect.ValueOf(&c).Elem().Field(i))
		if decisionEqual(d, c) {
			t.Errorf("decisionEqual ignores Decision.%s", reflect.TypeFor[Decision]().Field(i).Name)
		}
	}
	// Inside the slices of records too.
	dt := reflect.TypeFor[Decision]()
	for j := range dt.NumField() {
		f := dt.Field(j)
		if f.Type.Kind() != reflect.Slice || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		rt := f.Type.Elem()
		for i := range rt.NumField() {
			a, b := d, d
			ea, eb := reflect.New(rt).Elem(), reflect.New(rt).Elem()
			perturb(t, eb.Field(i))
			fa, fb := reflect.ValueOf(&a).Elem().Field(j), reflect.ValueOf(&b).Elem().Field(j)
			fa.Set(reflect.Append(fa, ea))
			fb.Set(reflect.Append(fb, eb))
			if decisionEqual(a, b) {
				t.Errorf("decisionEqual ignores Decision.%s[].%s", f.Name, rt.Field(i).Name)
			}
		}
	}
	o := RoundOpening{Opens: d.AdoptedAt}
	for i := range reflect.TypeFor[RoundOpening]().NumField() {
		c := o
		perturb(t, reflect.ValueOf(&c).Elem().Field(i))
		if openingEqual(o, c) {
			t.Errorf("openingEqual ignores RoundOpening.%s", reflect.TypeFor[RoundOpening]().Field(i).Name)
		}
	}
}

// Check reports every broken invariant at once.
func TestCheckReportsEveryBrokenInvariant(t *testing.T) {
	var zero Process
	if err := zero.Check(); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("zero process: %v", err)
	}
	pol := DefaultPolicy()
	ids := []PersonID{{1}, {2}, {3}}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p, _, err := Start(ProcessSpec{ID: ProcessID{9}, Org: [16]byte{8}, Circle: [16]byte{7}, Proposer: ids[0], Facilitator: ids[1],
		Proposal: Proposal{Title: "t", Driver: "d", Text: "x"}, Policy: &pol}, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() ([]Event, error){
		func() ([]Event, error) { return p.Present(ids[1], at, ids) },
		func() ([]Event, error) { return p.SkipReactions(ids[1], at) },
		func() ([]Event, error) { return p.OpenConsentRound(ids[1], at, ids, time.Time{}) },
		func() ([]Event, error) { return p.Object(ids[2], at, "no") },
	} {
		if _, err := step(); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Check(); err != nil {
		t.Fatalf("a consistent process: %v", err)
	}
	p.phase = PhaseAdopted              // adopted with an open objection, without a record
	p.versions[0].Version = 5           // misnumbered version
	delete(p.rounds[0].answers, ids[2]) // open objection without its answer
	err = p.Check()
	var joined interface{ Unwrap() []error }
	if !errors.Is(err, ErrInvariant) || !errors.As(err, &joined) || len(joined.Unwrap()) != 4 {
		t.Fatalf("want four problems, got %v", err)
	}
}

// Every act has a rule in the table, with the phases it may happen in.
func TestEveryActHasARule(t *testing.T) {
	if len(rules) != len(Acts())+1 {
		t.Fatalf("%d rules for %d acts", len(rules)-1, len(Acts()))
	}
	for _, a := range Acts() {
		if len(rules[a].phases) == 0 {
			t.Errorf("%s has no phases", a)
		}
	}
}
