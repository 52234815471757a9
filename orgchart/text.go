package orgchart

import (
	"strings"
	"unicode/utf8"
)

// The chart is laid out without a font engine: text widths are estimated
// from the advance widths of Helvetica (and the metric-compatible Arial and
// Liberation Sans that browsers substitute for it), in thousandths of an em,
// for printable ASCII. Other characters count as wide as "M" (833), so an
// estimate errs on the wide side and text never runs out of its box.
var advance = [95]uint16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
	1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
	667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
	333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
	556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
}

// textWidth estimates the width in pixels of s at the given font size; bold
// text is taken as 12% wider, a little more than Helvetica Bold's widths exceed the
// regular ones on average letters.
func textWidth(s string, size float64, bold bool) float64 {
	total := 0
	for _, r := range s {
		if r >= ' ' && r <= '~' {
			total += int(advance[r-' '])
		} else {
			total += 833
		}
	}
	w := float64(total) * size / 1000
	if bold {
		w *= 1.12
	}
	return w
}

// wrapText breaks s into lines no wider than width at the given size,
// between words; a word too long for a line is broken between characters.
// Nothing is cut: the lines together hold every character of s.
func wrapText(s string, width, size float64, bold bool) []string {
	var lines []string
	cur := ""
	for _, word := range strings.Fields(s) {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if textWidth(try, size, bold) <= width {
			cur = try
			continue
		}
		if cur != "" {
			lines = append(lines, cur)
			cur = ""
		}
		for textWidth(word, size, bold) > width {
			cut := len(word)
			for cut > 1 && textWidth(word[:cut], size, bold) > width {
				_, n := utf8.DecodeLastRuneInString(word[:cut])
				cut -= n
			}
			lines = append(lines, word[:cut])
			word = word[cut:]
		}
		cur = word
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// Vertical metrics of the sans-serif faces, as fractions of the font size:
// how far a glyph reaches above and below its baseline.
const (
	ascent  = 0.92
	descent = 0.23
)
