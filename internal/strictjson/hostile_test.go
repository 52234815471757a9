package strictjson_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

const megabyte = 1 << 20

type hostileDoc struct {
	data []byte
	into func() any // a fresh value to decode into
}

// hostile returns documents of about a megabyte, each built to cost a
// strict decoder as much as it can: refused only at the end, or (where
// the target takes anything) accepted after nesting to the limit.
func hostile() map[string]hostileDoc {
	pad := func(head, unit, tail string) []byte {
		n := (megabyte - len(head) - len(tail)) / len(unit)
		return []byte(head + strings.Repeat(unit, n) + tail)
	}
	document := func() any { return new(circle.Document) }
	untyped := func() any { return new(any) }
	const circ = `{"id":"00000000-0000-0000-0000-000000000001","name":"n","kind":"general","aim":"a","domain":[],"members":[],"roles":[]},`
	return map[string]hostileDoc{
		// The case: nothing but open brackets, into circle.Import's document.
		"open-brackets/document": {[]byte(strings.Repeat("[", megabyte)), document},
		// The same into a value that takes anything.
		"open-brackets/untyped": {[]byte(strings.Repeat("[", megabyte)), untyped},
		// Nesting to the limit again and again, where anything goes: accepted.
		"nested-to-limit/untyped": {pad(`[`, strings.Repeat("[", 63)+strings.Repeat("]", 63)+",", `[]]`), untyped},
		// Well-formed circles to the end, then a duplicate key.
		"wide-then-duplicate/document": {pad(`{"format":"x","id":"x","name":"x","zone":"UTC","people":[],"circles":[`, circ, `{}],"circles":[]}`), document},
		// One long name of escapes, then a duplicate key.
		"escaped-string/document": {pad(`{"name":"`, `\u00e9`, `","name":""}`), document},
		// Many keys in one object of untyped values, then a case-variant repeat.
		"many-keys/untyped": {manyKeys(), untyped},
	}
}

// TestHostileDocumentsAreRefusedCheaply runs every hostile document through
// circle.Import's decoder and checks the refusal; the cost is measured by
// BenchmarkHostileDocument.
func TestHostileDocumentsAreRefusedCheaply(t *testing.T) {
	for name, doc := range hostile() {
		err := strictjson.Unmarshal(doc.data, doc.into())
		if name == "nested-to-limit/untyped" {
			if err != nil {
				t.Errorf("%s: refused: %v", name, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
		if _, err := circle.Import(doc.data); err == nil {
			t.Errorf("%s: circle.Import accepted it", name)
		}
	}
}

// BenchmarkHostileDocument measures the strict decoder on each hostile
// megabyte beside encoding/json on the same bytes (the baseline: what a
// decode of a megabyte costs at all).
func BenchmarkHostileDocument(b *testing.B) {
	for name, doc := range hostile() {
		b.Run(name+"/strictjson", func(b *testing.B) {
			b.SetBytes(int64(len(doc.data)))
			b.ReportAllocs()
			for b.Loop() {
				_ = strictjson.Unmarshal(doc.data, doc.into())
			}
		})
		b.Run(name+"/encoding-json", func(b *testing.B) {
			b.SetBytes(int64(len(doc.data)))
			b.ReportAllocs()
			for b.Loop() {
				_ = json.Unmarshal(doc.data, doc.into())
			}
		})
	}
}

// manyKeys is an object of a megabyte of distinct keys, the last one
// repeating the first in another case.
func manyKeys() []byte {
	var b strings.Builder
	b.WriteString("{")
	for i := 0; b.Len() < megabyte-16; i++ {
		fmt.Fprintf(&b, `"k%x":1,`, i)
	}
	b.WriteString(`"K0":1}`)
	return []byte(b.String())
}

// The acts refuse text that is not UTF-8; so does every decoder of outside
// input, rather than turn it into U+FFFD as encoding/json does.
func TestImportRefusesInvalidUTF8(t *testing.T) {
	doc := []byte("{\"format\":\"x\",\"id\":\"x\",\"name\":\"Caf\xe9\",\"zone\":\"UTC\",\"people\":[],\"circles\":[]}")
	_, err := circle.Import(doc)
	if !errors.Is(err, circle.ErrInvalidDocument) {
		t.Fatalf("want ErrInvalidDocument, got %v", err)
	}
	if !strings.Contains(err.Error(), "invalid UTF-8 at byte 34") {
		t.Errorf("the error names the byte: %v", err)
	}
	var plain struct{ Name string }
	if err := json.Unmarshal(doc, &plain); err != nil || plain.Name != "Caf\uFFFD" {
		t.Errorf("encoding/json alone would have accepted the name as %q (%v)", plain.Name, err)
	}
}
