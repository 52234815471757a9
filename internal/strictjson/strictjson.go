// Package strictjson decodes JSON from outside the library strictly. Beyond
// encoding/json it refuses duplicate keys, keys that match a field only when
// case is ignored, missing fields (every field not tagged omitempty or
// omitzero is required) and trailing data, and it names the place of every
// refusal ("circles[2].parent").
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

func (e *Error) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Unwrap returns the cause, so a value's own typed error stays reachable
// with errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Unmarshal decodes data into v (a pointer), refusing what the package doc
// lists. The structure is checked against v's type first, so a refused
// document never reaches v's decoding methods half-way.
func Unmarshal(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := walk(dec, "", reflect.TypeOf(v)); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &Error{Msg: "trailing data after the document"}
	}
	full := json.NewDecoder(bytes.NewReader(data))
	full.DisallowUnknownFields()
	if err := full.Decode(v); err != nil {
		return translate(err)
	}
	return nil
}

func translate(err error) error {
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return &Error{Path: ute.Field, Msg: fmt.Sprintf("cannot use a JSON %s here (want %s)", ute.Value, ute.Type)}
	}
	return &Error{Msg: strings.TrimPrefix(err.Error(), "json: "), Err: err}
}

// walk reads one value and checks it against t (nil: anything goes).
func walk(dec *json.Decoder, path string, t reflect.Type) error {
	t = deref(t)
	tok, err := dec.Token()
	if err != nil {
		return &Error{Path: path, Msg: syntaxMsg(err)}
	}
	switch tok {
	case json.Delim('{'):
		var fields map[string]field
		if t != nil && t.Kind() == reflect.Struct && !selfDecoding(t) {
			fields = fieldsOf(t)
		}
		var elem reflect.Type
		if t != nil && t.Kind() == reflect.Map {
			elem = t.Elem()
		}
		seen := map[string]string{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return &Error{Path: path, Msg: syntaxMsg(err)}
			}
			key := kt.(string)
			kp := join(path, key)
			fold := strings.ToLower(key)
			if prev, dup := seen[fold]; dup {
				if prev == key {
					return &Error{Path: kp, Msg: "duplicate key"}
				}
				return &Error{Path: kp, Msg: fmt.Sprintf("key %q repeats %q in another case", key, prev)}
			}
			seen[fold] = key
			next := elem
			if fields != nil {
				f, ok := fields[key]
				if !ok {
					if f, ok := fields[fold]; ok && f.name != key {
						return &Error{Path: kp, Msg: fmt.Sprintf("key %q must be spelled %q", key, f.name)}
					}
					return &Error{Path: path, Msg: fmt.Sprintf("unknown field %q", key)}
				}
				next = f.typ
			}
			if err := walk(dec, kp, next); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return &Error{Path: path, Msg: syntaxMsg(err)}
		}
		for name, f := range fields {
			if f.required && name == f.name {
				if _, ok := seen[strings.ToLower(name)]; !ok {
					return &Error{Path: join(path, name), Msg: "missing field"}
				}
			}
		}
	case json.Delim('['):
		var elem reflect.Type
		if t != nil && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && !selfDecoding(t) {
			elem = t.Elem()
		}
		for i := 0; dec.More(); i++ {
			if err := walk(dec, path+"["+strconv.Itoa(i)+"]", elem); err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil {
			return &Error{Path: path, Msg: syntaxMsg(err)}
		}
	}
	return nil
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

type field struct {
	name     string // as spelled in JSON
	typ      reflect.Type
	required bool
}

var fieldsCache sync.Map // reflect.Type -> map[string]field

// fieldsOf returns the JSON fields of struct type t, keyed by their exact
// name and, where that differs, by their lowercase form too.
func fieldsOf(t reflect.Type) map[string]field {
	if m, ok := fieldsCache.Load(t); ok {
		return m.(map[string]field)
	}
	m := map[string]field{}
	collect(t, m)
	for name, f := range m {
		if fold := strings.ToLower(name); fold != name {
			if _, taken := m[fold]; !taken {
				m[fold] = f
			}
		}
	}
	fieldsCache.Store(t, m)
	return m
}

func collect(t reflect.Type, m map[string]field) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag, hasTag := f.Tag.Lookup("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && deref(f.Type).Kind() == reflect.Struct {
			collect(deref(f.Type), m)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if !hasTag || name == "" {
			name = f.Name
		}
		optional := slices.Contains(strings.Split(opts, ","), "omitempty") || slices.Contains(strings.Split(opts, ","), "omitzero")
		m[name] = field{name: name, typ: f.Type, required: !optional}
	}
}
