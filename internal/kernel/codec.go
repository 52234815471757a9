package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"

	"github.com/coproduce/sociocracy/internal/enum"
	"github.com/coproduce/sociocracy/internal/strictjson"
)

// Event is what every core package's events have: a stable type name.
type Event interface{ EventType() string }

// Codec is the stored form of the events E of one core package: a type name
// and a JSON body. It is built once at package initialisation and never
// changed, so it is safe for concurrent use.
type Codec[E Event] struct {
	pkg      string // "circle", used in messages
	invalid  error  // the package's ErrInvalidEvent
	unknown  error  // the package's ErrUnknownEventType
	refuse   func(act string, sentinel error, detail string) error
	details  []Detailed
	check    func(E) error // extra rules of outside input, or nil
	decoders map[string]decoder[E]
	names    []string
}

type decoder[E Event] struct {
	strict func([]byte) (E, error)
	stored func([]byte) (E, error)
}

// Type is one event type of a [Codec]: build it with [TypeOf].
type Type[E Event] struct {
	name string
	dec  decoder[E]
}

// TypeOf registers T (a value type that implements E) with a codec of E. It
// panics when T does not implement E: a programming error that any test of
// the package shows at start-up.
func TypeOf[E Event, T Event]() Type[E] {
	var zero T
	if _, ok := any(zero).(E); !ok {
		panic(fmt.Sprintf("kernel: %T is not an event of its package", zero))
	}
	as := func(t T) E { return any(t).(E) }
	return Type[E]{name: zero.EventType(), dec: decoder[E]{
		strict: func(data []byte) (E, error) {
			var t T
			err := strictjson.Unmarshal(data, &t)
			return as(t), err
		},
		stored: func(data []byte) (E, error) {
			var t T
			err := json.Unmarshal(data, &t)
			return as(t), err
		},
	}}
}

// CodecSpec names what a [Codec] needs of its package.
type CodecSpec[E Event] struct {
	Pkg     string                                                // the package name, e.g. "circle"
	Invalid error                                                 // its ErrInvalidEvent
	Unknown error                                                 // its ErrUnknownEventType
	Refuse  func(act string, sentinel error, detail string) error // builds its *Error
	Details []Detailed                                            // reads the detail of its errors (and of the packages it quotes)
	Check   func(E) error                                         // optional: rules of outside input the JSON types do not carry
}

// NewCodec returns the codec of the given types. It panics on a repeated type
// name (a programming error).
func NewCodec[E Event](spec CodecSpec[E], types ...Type[E]) *Codec[E] {
	c := &Codec[E]{pkg: spec.Pkg, invalid: spec.Invalid, unknown: spec.Unknown, refuse: spec.Refuse,
		details: spec.Details, check: spec.Check, decoders: make(map[string]decoder[E], len(types))}
	for _, t := range types {
		if _, dup := c.decoders[t.name]; dup {
			panic("kernel: event type " + t.name + " registered twice")
		}
		c.decoders[t.name] = t.dec
		c.names = append(c.names, t.name)
	}
	slices.Sort(c.names)
	return c
}

// Types lists the type names the codec accepts, sorted; the caller owns the slice.
func (c *Codec[E]) Types() []string { return slices.Clone(c.names) }

// Known reports whether typ is one of the codec's type names.
func (c *Codec[E]) Known(typ string) bool { _, ok := c.decoders[typ]; return ok }

// Marshal returns the stored form of e. A nil event (or a nil pointer to
// one) and a type the codec does not know are refused with the package's
// ErrInvalidEvent, never a panic.
func (c *Codec[E]) Marshal(e E) (typ string, data []byte, err error) {
	const act = "marshal event"
	if isNil(e) {
		return "", nil, c.refuse(act, c.invalid, "no event (nil)")
	}
	typ = e.EventType()
	if _, ok := c.decoders[typ]; !ok {
		return "", nil, c.refuse(act, c.invalid, fmt.Sprintf("%q is not a %s event type", enum.Clip(typ), c.pkg))
	}
	data, err = json.Marshal(e)
	if err != nil {
		return "", nil, c.refuse(act, c.invalid, typ+": "+c.plain(err))
	}
	return typ, data, nil
}

// Unmarshal decodes outside input strictly: an unknown type is refused with
// the package's ErrUnknownEventType; unknown, missing or duplicate fields,
// case-variant keys, malformed IDs and invalid enum values (and the
// package's own Check) with ErrInvalidEvent, naming the place.
func (c *Codec[E]) Unmarshal(typ string, data []byte) (E, error) {
	const act = "unmarshal event"
	var zero E
	d, ok := c.decoders[typ]
	if !ok {
		return zero, c.refuse(act, c.unknown, fmt.Sprintf("%q is not a %s event type", enum.Clip(typ), c.pkg))
	}
	e, err := d.strict(data)
	if err != nil {
		return zero, c.refuse(act, c.invalid, typ+": "+c.decodeDetail(err))
	}
	if c.check != nil {
		if err := c.check(e); err != nil {
			return zero, c.refuse(act, c.invalid, typ+": "+c.plain(err))
		}
	}
	return e, nil
}

// UnmarshalStored decodes an event read back from a store whose hash chain
// vouches that it is what [Codec.Marshal] wrote: plain encoding/json into the
// typed struct, several times faster than [Codec.Unmarshal]. It still refuses
// an unknown type name and a body that is not JSON of the type (both with
// the package's sentinels), and never panics; it does not look for unknown,
// duplicate or missing fields. Applying the event checks it against the
// aggregate as always.
func (c *Codec[E]) UnmarshalStored(typ string, data []byte) (E, error) {
	const act = "unmarshal stored event"
	var zero E
	d, ok := c.decoders[typ]
	if !ok {
		return zero, c.refuse(act, c.unknown, fmt.Sprintf("%q is not a %s event type", enum.Clip(typ), c.pkg))
	}
	e, err := d.stored(data)
	if err != nil {
		return zero, c.refuse(act, c.invalid, typ+": "+c.plain(err))
	}
	return e, nil
}

func (c *Codec[E]) plain(err error) string { return Plain(err, c.details...) }

func (c *Codec[E]) decodeDetail(err error) string { return DecodeDetail(err, c.details...) }

// DecodeDetail describes a failure of strict decoding (internal/strictjson):
// the JSON path, then the plain message of the value's own error where there
// is one.
func DecodeDetail(err error, details ...Detailed) string {
	var se *strictjson.Error
	if !errors.As(err, &se) {
		return Plain(err, details...)
	}
	msg := se.Msg
	if se.Err != nil {
		msg = Plain(se.Err, details...)
	}
	if se.Path == "" {
		return msg
	}
	return se.Path + ": " + msg
}

func isNil(e any) bool {
	if e == nil {
		return true
	}
	v := reflect.ValueOf(e)
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice, reflect.Func:
		return v.IsNil()
	}
	return false
}
