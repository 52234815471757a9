// Package strictjson decodes JSON from outside the library strictly: unknown
// fields, duplicate keys, keys that differ from a field's name only in case,
// and trailing data are all refused, with an error that names the place
// ("circles[2].parent"). encoding/json alone accepts all four.
package strictjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Error reports where and why a document was refused.
type Error struct {
	Path string // JSON path of the offending value, "" for the document
	Msg  string
	Err  error // the cause, when a value's own decoder refused it
}

// Unwrap returns the cause, so a value's own typed error stays reachable
// with errors.As.
func (e *Error) Unwrap() error { return e.Err }

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unmarshal decodes data into v (a pointer), refusing what the package doc
// lists. The structure is checked first, so a refused document never reaches
// v's UnmarshalJSON or UnmarshalText methods half-way.
func Unmarshal(data []byte, v any) error {
	names := fieldNames(reflect.TypeOf(v))
	if err := checkStructure(data, names); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return translate(err)
	}
	return nil
}

func translate(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &Error{Path: ute.Field, Msg: fmt.Sprintf("cannot use a JSON %s here (want %s)", ute.Value, ute.Type)}
	}
	msg := err.Error()
	if i := strings.Index(msg, "json: unknown field "); i >= 0 {
		return &Error{Msg: "unknown field " + msg[i+len("json: unknown field "):]}
	}
	return &Error{Msg: strings.TrimPrefix(msg, "json: "), Err: err}
}

// checkStructure walks the tokens: one value, no duplicate keys (exact or by
// case), and no key that matches a known field name only by case.
func checkStructure(data []byte, names map[string][]string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walk(dec, "", names); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Msg: "trailing data after the document"}
	}
	return nil
}

func walk(dec *json.Decoder, path string, names map[string][]string) error {
	tok, err := dec.Token()
	if err != nil {
		return &Error{Path: path, Msg: syntaxMsg(err)}
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]string{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return &Error{Path: path, Msg: syntaxMsg(err)}
			}
			key := kt.(string)
			fold := strings.ToLower(key)
			kp := join(path, key)
			if prev, dup := seen[fold]; dup {
				if prev == key {
					return &Error{Path: kp, Msg: "duplicate key"}
				}
				return &Error{Path: kp, Msg: fmt.Sprintf("key %q repeats %q in another case", key, prev)}
			}
			seen[fold] = key
			if want, ok := names[fold]; ok && !slices.Contains(want, key) {
				return &Error{Path: kp, Msg: fmt.Sprintf("key %q must be spelled %q", key, want[0])}
			}
			if err := walk(dec, kp, names); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		if err != nil {
			return &Error{Path: path, Msg: syntaxMsg(err)}
		}
	case json.Delim('['):
		for i := 0; dec.More(); i++ {
			if err := walk(dec, path+"["+strconv.Itoa(i)+"]", names); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return &Error{Path: path, Msg: syntaxMsg(err)}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func syntaxMsg(err error) string {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return "unexpected end of document"
	}
	return "malformed JSON: " + strings.TrimPrefix(err.Error(), "json: ")
}

var namesCache sync.Map // reflect.Type -> map[string][]string

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// fieldNames returns, for every struct reachable from t that decodes as a
// JSON object, its JSON field names keyed by their lowercase form.
func fieldNames(t reflect.Type) map[string][]string {
	if m, ok := namesCache.Load(t); ok {
		return m.(map[string][]string)
	}
	m := map[string][]string{}
	collect(t, m, map[reflect.Type]bool{})
	namesCache.Store(t, m)
	return m
}

func collect(t reflect.Type, m map[string][]string, seen map[reflect.Type]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return
	}
	if pt := reflect.PointerTo(t); pt.Implements(textUnmarshaler) || pt.Implements(jsonUnmarshaler) {
		return // decoded from a string or by its own method, not as an object
	}
	seen[t] = true
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous {
			collect(f.Type, m, seen)
			continue
		}
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			if tag == "-" {
				continue
			}
			if n, _, _ := strings.Cut(tag, ","); n != "" {
				name = n
			}
		}
		fold := strings.ToLower(name)
		if !slices.Contains(m[fold], name) {
			m[fold] = append(m[fold], name)
		}
		collect(f.Type, m, seen)
	}
}
