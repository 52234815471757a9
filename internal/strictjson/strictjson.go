// Package strictjson decodes JSON from outside the library strictly. Beyond
// encoding/json it refuses duplicate keys, keys that match a field only when
// case is ignored, missing fields (every field not tagged omitempty or
// omitzero is required), trailing data, invalid UTF-8 and lone surrogate
// escapes, and it names the place of every refusal ("circles[2].parent").
//
// # Limits
//
// A document from outside is hostile until checked, so its cost is bounded:
// time and memory grow linearly with its length, and a document past one of
// these limits is refused before anything is decoded, with an [*Error] that
// matches [ErrLimit]:
//
//   - [MaxBytes]: the length of a document (64 MiB);
//   - [MaxDepth]: how deeply objects and arrays nest (64 levels; the
//     library's own documents need fewer than ten);
//   - [MaxNumberLen]: the length of one number (256 bytes).
//
// Counts of elements and keys are bounded by the length alone: each costs at
// least two bytes of input and a fixed amount of memory while it is checked.
// The structure is checked by a scanner of this package before encoding/json
// decodes the value, so a refused document costs no more than reading it once.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// The limits a document must keep (see the package documentation).
const (
	MaxBytes     = 64 << 20
	MaxDepth     = 64
	MaxNumberLen = 256
)

// ErrLimit is matched (with errors.Is) by every refusal of a document that
// exceeds [MaxBytes], [MaxDepth] or [MaxNumberLen].
var ErrLimit = errors.New("strictjson: document exceeds a limit")

// Error reports where and why a document was refused.
type Error struct {
	Path  string // JSON path of the offending value, "" for the document
	Msg   string
	Err   error // the cause, when a value's own decoder refused it
	limit bool
}

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap returns the cause, so a value's own typed error stays reachable
// with errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is [ErrLimit] and the document was refused for
// exceeding a limit.
func (e *Error) Is(target error) bool { return target == ErrLimit && e.limit }

// Unmarshal decodes data into v (a pointer), refusing what the package doc
// lists. The structure is checked against v's type first, so a refused
// document never reaches v's decoding methods half-way.
func Unmarshal(data []byte, v any) error {
	if len(data) > MaxBytes {
		return &Error{Msg: fmt.Sprintf("document of %d bytes is longer than the limit of %d", len(data), MaxBytes), limit: true}
	}
	if !utf8.Valid(data) {
		return &Error{Msg: fmt.Sprintf("invalid UTF-8 at byte %d", invalidAt(data))}
	}
	s := scanner{data: data}
	s.skipSpace()
	if err := s.value(shapeOf(reflect.TypeOf(v))); err != nil {
		return err
	}
	s.skipSpace()
	if s.pos < len(s.data) {
		return &Error{Msg: "trailing data after the document"}
	}
	full := json.NewDecoder(bytes.NewReader(data))
	full.DisallowUnknownFields()
	if err := full.Decode(v); err != nil {
		return translate(err)
	}
	return nil
}

func invalidAt(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func translate(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &Error{Path: ute.Field, Msg: fmt.Sprintf("cannot use a JSON %s here (want %s)", ute.Value, ute.Type)}
	}
	return &Error{Msg: strings.TrimPrefix(err.Error(), "json: "), Err: err}
}

// seg is one step of a path: an object key, or an array index when key is
// unset. Paths are kept as a stack of steps and spelled out only for an
// error, so a deep document costs one step per level, not a string.
type seg struct {
	key   []byte
	index int
	isKey bool
}

type scanner struct {
	data []byte
	pos  int
	path []seg
	// seen holds, for each struct object being read, the spelling of the
	// key that set each field (nil: not yet); objects nest, so each takes
	// a window at the end and gives it back when it closes.
	seen [][]byte
}

func (s *scanner) pathString() string {
	var b strings.Builder
	for _, p := range s.path {
		if p.isKey {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.Write(p.key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func (s *scanner) fail(format string, args ...any) error {
	return &Error{Path: s.pathString(), Msg: fmt.Sprintf(format, args...)}
}

func (s *scanner) malformed(what string) error {
	if s.pos >= len(s.data) {
		return &Error{Path: s.pathString(), Msg: "unexpected end of document"}
	}
	return &Error{Path: s.pathString(), Msg: fmt.Sprintf("malformed JSON: %s at byte %d", what, s.pos)}
}

func (s *scanner) skipSpace() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// value reads one value (s.pos at its first byte) and checks it against t
// (nil: anything goes).
func (s *scanner) value(t *shape) error {
	if s.pos >= len(s.data) {
		return s.malformed("")
	}
	switch c := s.data[s.pos]; c {
	case '{':
		return s.object(t)
	case '[':
		return s.array(t)
	case '"':
		_, err := s.str()
		return err
	case 't':
		return s.literal("true")
	case 'f':
		return s.literal("false")
	case 'n':
		return s.literal("null")
	default:
		if c == '-' || (c >= '0' && c <= '9') {
			return s.number()
		}
		return s.malformed(fmt.Sprintf("unexpected %q", rune(c)))
	}
}

func (s *scanner) enter() error {
	if len(s.path) >= MaxDepth {
		e := s.fail("objects and arrays nest deeper than the limit of %d levels", MaxDepth)
		e.(*Error).limit = true
		return e
	}
	return nil
}

func (s *scanner) object(t *shape) error {
	if t != nil && !t.obj {
		return s.fail("cannot use a JSON object here (want %s)", t.name)
	}
	if err := s.enter(); err != nil {
		return err
	}
	var fs *fields
	var elem *shape
	if t != nil {
		fs, elem = t.fields, t.elem
	}
	base := len(s.seen)
	if fs != nil {
		for range fs.list {
			s.seen = append(s.seen, nil)
		}
		defer func() { s.seen = s.seen[:base] }()
	}
	var seen map[string]string // lowercase key -> key, for other objects
	s.pos++                    // '{'
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == '}' {
		s.pos++
		return s.missing(fs, base)
	}
	for {
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != '"' {
			return s.malformed("want a key")
		}
		key, err := s.str()
		if err != nil {
			return err
		}
		s.path = append(s.path, seg{key: key, isKey: true})
		next := elem
		if fs != nil {
			i, exact := fs.byName[string(key)]
			if !exact {
				var ok bool
				if i, ok = fs.byFold[strings.ToLower(string(key))]; !ok {
					s.path = s.path[:len(s.path)-1]
					return s.fail("unknown field %q", key)
				}
			}
			if prev := s.seen[base+i]; prev != nil {
				if bytes.Equal(prev, key) {
					return s.fail("duplicate key")
				}
				return s.fail("key %q repeats %q in another case", key, prev)
			}
			if !exact {
				return s.fail("key %q must be spelled %q", key, fs.list[i].name)
			}
			s.seen[base+i] = key
			next = fs.list[i].shape
		} else {
			if seen == nil {
				seen = map[string]string{}
			}
			fold := lower(key)
			if prev, dup := seen[fold]; dup {
				if prev == string(key) {
					return s.fail("duplicate key")
				}
				return s.fail("key %q repeats %q in another case", key, prev)
			}
			seen[fold] = fold
			if len(fold) != len(key) || fold != string(key) {
				seen[fold] = string(key)
			}
		}
		s.skipSpace()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return s.malformed("want ':' after the key")
		}
		s.pos++
		s.skipSpace()
		if err := s.value(next); err != nil {
			return err
		}
		s.path = s.path[:len(s.path)-1]
		s.skipSpace()
		if s.pos >= len(s.data) {
			return s.malformed("")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return s.missing(fs, base)
		default:
			return s.malformed("want ',' or '}'")
		}
	}
}

// missing names the first required field, in declaration order, that the
// object left out.
func (s *scanner) missing(fs *fields, base int) error {
	if fs == nil {
		return nil
	}
	for i, f := range fs.list {
		if f.required && s.seen[base+i] == nil {
			s.path = append(s.path, seg{key: []byte(f.name), isKey: true})
			err := s.fail("missing field")
			s.path = s.path[:len(s.path)-1]
			return err
		}
	}
	return nil
}

func (s *scanner) array(t *shape) error {
	if t != nil && !t.arr {
		return s.fail("cannot use a JSON array here (want %s)", t.name)
	}
	if err := s.enter(); err != nil {
		return err
	}
	var elem *shape
	if t != nil {
		elem = t.elem
	}
	s.pos++ // '['
	s.skipSpace()
	if s.pos < len(s.data) && s.data[s.pos] == ']' {
		s.pos++
		return nil
	}
	s.path = append(s.path, seg{})
	for i := 0; ; i++ {
		s.path[len(s.path)-1].index = i
		s.skipSpace()
		if err := s.value(elem); err != nil {
			return err
		}
		s.skipSpace()
		if s.pos >= len(s.data) {
			return s.malformed("")
		}
		switch s.data[s.pos] {
		case ',':
			s.pos++
		case ']':
			s.pos++
			s.path = s.path[:len(s.path)-1]
			return nil
		default:
			return s.malformed("want ',' or ']'")
		}
	}
}

// lower is the key's lowercase form, without converting twice when it
// has no upper-case letter.
func lower(key []byte) string {
	for _, c := range key {
		if c >= 0x80 || ('A' <= c && c <= 'Z') {
			return strings.ToLower(string(key))
		}
	}
	return string(key)
}

func (s *scanner) literal(word string) error {
	if !bytes.HasPrefix(s.data[s.pos:], []byte(word)) {
		if len(s.data)-s.pos < len(word) && bytes.HasPrefix([]byte(word), s.data[s.pos:]) {
			s.pos = len(s.data)
		}
		return s.malformed("unknown literal")
	}
	s.pos += len(word)
	return nil
}

// number checks the JSON number grammar.
func (s *scanner) number() error {
	start := s.pos
	d := s.data
	if d[s.pos] == '-' {
		s.pos++
	}
	digits := func() int {
		n := 0
		for s.pos < len(d) && d[s.pos] >= '0' && d[s.pos] <= '9' {
			s.pos++
			n++
		}
		return n
	}
	if s.pos < len(d) && d[s.pos] == '0' {
		s.pos++
	} else if digits() == 0 {
		return s.malformed("bad number")
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if digits() == 0 {
			return s.malformed("bad number")
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if digits() == 0 {
			return s.malformed("bad number")
		}
	}
	if n := s.pos - start; n > MaxNumberLen {
		e := s.fail("number of %d bytes is longer than the limit of %d", n, MaxNumberLen)
		e.(*Error).limit = true
		return e
	}
	return nil
}

// str reads a string (s.pos at its quote) and returns its value (a window
// on the document where it holds no escape), refusing control characters,
// bad escapes and lone surrogates. The document is already known to be
// valid UTF-8.
func (s *scanner) str() ([]byte, error) {
	d := s.data
	s.pos++
	start := s.pos
	for s.pos < len(d) {
		c := d[s.pos]
		switch {
		case c == '"':
			v := d[start:s.pos:s.pos]
			s.pos++
			return v, nil
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			return nil, s.malformed("control character in a string")
		}
		s.pos++
	}
	return nil, s.malformed("")
}

// escaped finishes a string that holds an escape, from its first escape.
func (s *scanner) escaped(start int) ([]byte, error) {
	d := s.data
	b := append([]byte(nil), d[start:s.pos]...)
	for s.pos < len(d) {
		c := d[s.pos]
		switch {
		case c == '"':
			s.pos++
			return b, nil
		case c < 0x20:
			return nil, s.malformed("control character in a string")
		case c != '\\':
			b = append(b, c)
			s.pos++
			continue
		}
		s.pos++ // '\\'
		if s.pos >= len(d) {
			return nil, s.malformed("")
		}
		switch e := d[s.pos]; e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := s.hex4(s.pos + 1)
			if !ok {
				return nil, s.malformed("bad \\u escape")
			}
			s.pos += 4
			if utf16.IsSurrogate(r) {
				lo, ok := rune(-1), false
				if s.pos+2 < len(d) && d[s.pos+1] == '\\' && d[s.pos+2] == 'u' {
					lo, ok = s.hex4(s.pos + 3)
				}
				dec := utf16.DecodeRune(r, lo)
				if !ok || dec == utf8.RuneError {
					return nil, s.fail("lone surrogate %q in a string: not a character", d[s.pos-5:s.pos+1])
				}
				s.pos += 6
				r = dec
			}
			b = utf8.AppendRune(b, r)
		default:
			return nil, s.malformed(fmt.Sprintf("bad escape \\%c", e))
		}
		s.pos++
	}
	return nil, s.malformed("")
}

func (s *scanner) hex4(at int) (rune, bool) {
	if at+4 > len(s.data) {
		return 0, false
	}
	var r rune
	for _, c := range s.data[at : at+4] {
		switch {
		case c >= '0' && c <= '9':
			r = r<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}

func deref(t reflect.Type) reflect.Type {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// selfDecoding reports whether t decodes itself rather than as an object or array.
func selfDecoding(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(textUnmarshaler) || pt.Implements(jsonUnmarshaler)
}

// shape is what the scanner knows of the Go type a value decodes into,
// worked out once per type so that scanning asks no reflection: nil means
// anything goes (an interface, or a type that decodes itself).
type shape struct {
	name     string  // the type, for errors
	obj, arr bool    // whether a JSON object, an array, may decode into it
	fields   *fields // a struct's fields
	elem     *shape  // a map's, slice's or array's members
}

var shapes sync.Map // reflect.Type -> *shape

func shapeOf(t reflect.Type) *shape {
	if sh, ok := shapes.Load(t); ok {
		return sh.(*shape)
	}
	sh := buildShape(t, map[reflect.Type]*shape{})
	shapes.Store(t, sh)
	return sh
}

// buildShape builds t's shape and those of its members; memo ends the
// recursion of recursive types.
func buildShape(t reflect.Type, memo map[reflect.Type]*shape) *shape {
	t = deref(t)
	if t == nil {
		return nil
	}
	if sh, ok := memo[t]; ok {
		return sh
	}
	if t.Kind() == reflect.Interface || selfDecoding(t) {
		memo[t] = nil
		return nil
	}
	sh := &shape{name: t.String()}
	memo[t] = sh
	switch t.Kind() {
	case reflect.Struct:
		sh.obj = true
		sh.fields = fieldsOf(t, memo)
	case reflect.Map:
		sh.obj = true
		sh.elem = buildShape(t.Elem(), memo)
	case reflect.Slice, reflect.Array:
		sh.arr = true
		sh.elem = buildShape(t.Elem(), memo)
	}
	return sh
}

type field struct {
	name     string // as spelled in JSON
	shape    *shape
	required bool
	depth    int // of embedding; the shallower of two same-named fields wins
}

// fields are the JSON fields of a struct type in declaration order, found by
// exact name and by lowercase name.
type fields struct {
	list   []field
	byName map[string]int
	byFold map[string]int
}

func fieldsOf(t reflect.Type, memo map[reflect.Type]*shape) *fields {
	fs := &fields{byName: map[string]int{}, byFold: map[string]int{}}
	collect(t, fs, 0, memo)
	for i, f := range fs.list {
		if _, taken := fs.byFold[strings.ToLower(f.name)]; !taken {
			fs.byFold[strings.ToLower(f.name)] = i
		}
	}
	return fs
}

func collect(t reflect.Type, fs *fields, depth int, memo map[reflect.Type]*shape) {
	if depth > MaxDepth {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
			collect(deref(f.Type), fs, depth+1, memo)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if !hasTag || name == "" {
			name = f.Name
		}
		optional := false
		for o := range strings.SplitSeq(opts, ",") {
			optional = optional || o == "omitempty" || o == "omitzero"
		}
		nf := field{name: name, shape: buildShape(f.Type, memo), required: !optional, depth: depth}
		if j, ok := fs.byName[name]; ok {
			if fs.list[j].depth > depth {
				fs.list[j] = nf
			}
			continue
		}
		fs.byName[name] = len(fs.list)
		fs.list = append(fs.list, nf)
	}
}
