package assembly

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/coproduce/sociocracy/internal/enum"
)

// Ratio is an exact share of a whole, between 0 and 1: a threshold, a cap
// or a fixed share. Its text form is "n/d" ("3/4"); a whole percentage
// ("75%") is read too and written as its fraction in lowest terms. The
// zero Ratio is 0/1 written "0/1"; an invalid Ratio (a zero denominator, a
// numerator past it) is refused when marshalled.
type Ratio struct {
	Num, Den int64
}

// maxDen bounds denominators so that every count stays exact in int64
// arithmetic before it reaches math/big.
const maxDen = 1_000_000

// Percent returns the ratio p/100 in lowest terms.
func Percent(p int64) Ratio { return reduce(Ratio{p, 100}) }

// Frac returns the ratio n/d in lowest terms.
func Frac(n, d int64) Ratio { return reduce(Ratio{n, d}) }

func reduce(r Ratio) Ratio {
	if r.Den <= 0 {
		return r
	}
	a, b := r.Num, r.Den
	for b != 0 {
		a, b = b, a%b
	}
	if a < 0 {
		a = -a
	}
	if a == 0 {
		return Ratio{0, 1}
	}
	return Ratio{r.Num / a, r.Den / a}
}

// Valid reports whether r is a share between 0 and 1 inclusive with a
// denominator of 1 to 1,000,000.
func (r Ratio) Valid() bool { return r.Den >= 1 && r.Den <= maxDen && r.Num >= 0 && r.Num <= r.Den }

// Rat returns r as an exact rational.
func (r Ratio) Rat() *big.Rat { return big.NewRat(r.Num, max(r.Den, 1)) }

// String returns the text form, "n/d" in lowest terms.
func (r Ratio) String() string {
	if r.Den == 0 {
		return fmt.Sprintf("%d/0", r.Num)
	}
	n := reduce(r)
	return strconv.FormatInt(n.Num, 10) + "/" + strconv.FormatInt(n.Den, 10)
}

// Percent returns r as a percentage for people: "75%", "33.33%".
func (r Ratio) Percent() string {
	if r.Den == 0 {
		return "?"
	}
	return strings.TrimSuffix(strings.TrimRight(new(big.Rat).Mul(r.Rat(), big.NewRat(100, 1)).FloatString(2), "0"), ".") + "%"
}

// MarshalText implements encoding.TextMarshaler.
func (r Ratio) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, &Error{Act: "marshal ratio", Err: ErrInvalidRules, Detail: fmt.Sprintf("%d/%d is not a share from 0 to 1 with a denominator of 1 to %d", r.Num, r.Den, maxDen)}
	}
	return []byte(r.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler: "n/d" or a whole
// percentage "p%", each between 0 and 1.
func (r *Ratio) UnmarshalText(b []byte) error {
	s := string(b)
	bad := func() error {
		return &Error{Act: "parse ratio", Err: ErrInvalidRules, Detail: fmt.Sprintf("%q is not a share such as \"3/4\" or \"75%%\" from 0 to 1", enum.Clip(s))}
	}
	digits := func(t string) (int64, bool) {
		if t == "" || len(t) > 7 {
			return 0, false
		}
		for i := 0; i < len(t); i++ {
			if t[i] < '0' || t[i] > '9' {
				return 0, false
			}
		}
		n, err := strconv.ParseInt(t, 10, 64)
		return n, err == nil
	}
	var out Ratio
	if p, ok := strings.CutSuffix(s, "%"); ok {
		n, ok := digits(p)
		if !ok {
			return bad()
		}
		out = Ratio{n, 100}
	} else {
		ns, ds, ok := strings.Cut(s, "/")
		n, ok1 := digits(ns)
		d, ok2 := digits(ds)
		if !ok || !ok1 || !ok2 {
			return bad()
		}
		out = Ratio{n, d}
	}
	if !out.Valid() {
		return bad()
	}
	*r = reduce(out)
	return nil
}
