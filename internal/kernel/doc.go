// Package kernel is the machinery the five core packages (circle, linking,
// consent, election, review) share, so that each rule is written once:
//
//   - [Message] and [Plain]: the text of a package's typed error, with no
//     stutter and no panic on a nil sentinel;
//   - [Codec]: an event codec, nil-safe, strict for outside input
//     ([Codec.Unmarshal]) and fast for events a store's hash chain vouches for
//     ([Codec.UnmarshalStored]);
//   - [CheckText]: the one rule for free text (valid UTF-8, no control
//     characters, not blank when required, a length in bytes);
//   - [Zone]: IANA zones parsed once per process.
//
// Enumerations live in the sibling package internal/enum. The two are
// separate because enum is needed by every exported type of a package while
// the rest is needed by its acts and codec; neither imports a core package.
//
// Each core package keeps its own exported Error type and sentinels (a
// caller matches circle.ErrUnknownPerson, not a kernel value); the kernel only
// builds their text and decodes into their types. Like the core, the kernel
// is pure: no clock, no randomness, no goroutines. Its one piece of shared
// state is the zone cache (see [Zone]).
package kernel
