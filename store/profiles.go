package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/agreement"
	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/internal/strictjson"
	"github.com/coproduce/sociocracy/meeting"
	"github.com/coproduce/sociocracy/members"
	"github.com/coproduce/sociocracy/review"
)

// Profile is the personal data of one person of an organisation: what a
// host shows and uses to reach them. Profiles live apart from the events,
// which carry only person IDs, so erasing one ([Store.ErasePerson]) leaves
// every decision record, count and the hash chain intact.
type Profile struct {
	Name    string            `json:"name"`
	Email   string            `json:"email,omitempty"`
	Phone   string            `json:"phone,omitempty"`
	Address string            `json:"address,omitempty"`
	Extra   map[string]string `json:"extra,omitempty"`
}

// SetProfile creates or replaces the profile of person in org.
func (s *Store) SetProfile(ctx context.Context, org circle.OrgID, person circle.PersonID, p Profile) error {
	data, err := json.Marshal(p)
	if err != nil {
		return invalid("set profile", "%v", err)
	}
	return s.d.PutProfile(ctx, org, person, data)
}

// Profile returns the profile of person in org, or [ErrNotFound] when there
// is none (never set, or erased).
func (s *Store) Profile(ctx context.Context, org circle.OrgID, person circle.PersonID) (Profile, error) {
	data, err := s.d.Profile(ctx, org, person)
	if err != nil {
		return Profile{}, err
	}
	var p Profile
	if err := strictjson.Unmarshal(data, &p); err != nil {
		return Profile{}, &ChainError{Org: org.String(), Reason: "undecodable profile of " + person.String() + ": " + err.Error()}
	}
	return p, nil
}

// ProfileErasedType is the event type of the logbook entry that records a
// profile's erasure. Its body names the person by ID only.
const ProfileErasedType = "store.profile_erased"

// Erasure says who erases personal data and why, for the logbook entry
// that records it.
type Erasure struct {
	Actor  circle.PersonID // required
	Reason string          // required: the request, e.g. "erasure request of 2 March"
}

func (e Erasure) check(act string) error {
	if e.Actor.IsZero() {
		return invalid(act, "no actor: say who erases")
	}
	if strings.TrimSpace(e.Reason) == "" {
		return invalid(act, "no reason: say why (the request being met)")
	}
	return nil
}

// ErasePerson erases the profile of person in org and records the erasure
// (who, by whom, when, why; no personal data) in the logbook, in one atomic
// append: the profile is gone exactly when the erasure is recorded. Events
// keep the person's ID, so decision records and counts stay whole. Erasing
// a person without a profile fails with [ErrNotFound] and records nothing;
// with a [Command] in w, a retried request returns the original receipt.
func (s *Store) ErasePerson(ctx context.Context, org circle.OrgID, person circle.PersonID, e Erasure, w *WriteOptions) (Receipt, error) {
	const act = "erase person"
	if err := e.check(act); err != nil {
		return Receipt{}, err
	}
	if person.IsZero() {
		return Receipt{}, invalid(act, "no person")
	}
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		body, _ := json.Marshal(struct {
			Person circle.PersonID `json:"person"`
			Actor  circle.PersonID `json:"actor"`
			Reason string          `json:"reason"`
		}{person, e.Actor, e.Reason})
		b, err := s.logbookBatch(ctx, r, org, []Record{{Type: ProfileErasedType, Data: body, At: s.at(w)}})
		if err != nil {
			return nil, err
		}
		b.ErasedProfiles = []circle.PersonID{person}
		return b, nil
	})
}

// logbookBatch is a batch appending recs to org's logbook stream.
func (s *Store) logbookBatch(ctx context.Context, r Reader, org circle.OrgID, recs []Record) (*Batch, error) {
	var v uint64
	info, err := r.Stream(ctx, LogbookKey(org))
	switch {
	case err == nil:
		v = info.Version
	case !isNotFound(err):
		return nil, err
	}
	return &Batch{Streams: []StreamAppend{{Stream: LogbookKey(org), Expected: v, Records: recs}}}, nil
}

func isNotFound(err error) bool {
	return errors.Is(err, ErrNotFound)
}

// Erased is the text that replaces erased free text.
const Erased = "[erased]"

// EraseText replaces free text in the body of logbook entry seq of org
// (a proposal's text, an objection's reason, a note) with [Erased], for a
// request to erase personal data, and does the same wherever the library
// copied that text: in the other events of the same aggregate (the decision
// record repeats the proposal and the objections) and on the review
// calendar (an item's title repeats the proposal's title, as "Policy review:
// <title>"). A copy is a text equal to an erased one, or ending in ": "
// followed by it.
//
// fields are JSON paths in the event body, dot-separated ("proposal.text",
// "reason"); a path through an array applies to every element. Each must
// lead to a string. Every event still decodes afterwards, and every
// aggregate replays, with the erased text; every Store over the same
// database stops serving the text at its next read or act.
//
// The entries keep their digests and hashes, and each erasure is itself
// logged (a [RedactionType] entry naming the entry, the fields, the digest of
// the new body, the actor and the reason), so [Store.Verify] still passes and
// tells an erasure from tampering. The erasure is computed inside the
// organisation's append serialisation, so concurrent erasures of one entry
// both take effect. Erasing what is already erased records nothing and
// returns the zero Receipt. The store's own records (the logbook stream)
// cannot be erased ([ErrInvalid]).
func (s *Store) EraseText(ctx context.Context, org circle.OrgID, seq uint64, fields []string, e Erasure, w *WriteOptions) (Receipt, error) {
	const act = "erase text"
	if err := e.check(act); err != nil {
		return Receipt{}, err
	}
	if len(fields) == 0 {
		return Receipt{}, invalid(act, "no fields")
	}
	if seq == 0 {
		return Receipt{}, &NotFoundError{What: "entry", Key: "seq 0 (entries are numbered from 1)"}
	}
	if org.IsZero() {
		return Receipt{}, invalid(act, "no organisation")
	}
	es, err := s.d.ReadLog(ctx, LogQuery{Org: org, After: seq - 1, Limit: 1})
	if err != nil {
		return Receipt{}, err
	}
	if len(es) != 1 || es[0].Seq != seq {
		return Receipt{}, &NotFoundError{What: "entry", Key: "seq " + utoa(seq)}
	}
	where := es[0].Stream
	if where.Kind == KindLogbook {
		return Receipt{}, invalid(act, "entry %d is one of the store's own records (%s), not an event's text", seq, es[0].Type)
	}
	meetings, err := s.meetingsOf(ctx, where, es[0].Circle) // listed before the append serialisation is held
	if err != nil {
		return Receipt{}, err
	}
	rc, err := s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		return s.eraseBatch(ctx, r, where, seq, fields, e, s.at(w), meetings)
	})
	s.forget(where)
	s.forget(CalendarKey(org))
	s.forget(PolicyRegisterKey(org))
	return rc, err
}

// eraseBatch reads, inside the append serialisation, the entry to erase
// and every entry that may hold a copy of its text, and returns the batch
// of their redactions and the records of them.
func (s *Store) eraseBatch(ctx context.Context, r Reader, where StreamKey, seq uint64, fields []string, e Erasure, at time.Time, meetings []StreamKey) (*Batch, error) {
	const act = "erase text"
	stream, err := r.ReadStream(ctx, where, 0, 0)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(stream, func(en Entry) bool { return en.Seq == seq })
	if i < 0 {
		return nil, &NotFoundError{What: "entry", Key: "seq " + utoa(seq)}
	}
	target := stream[i]
	body, err := redactJSON(target.Data, fields) // refuses a field that is not there
	if err != nil {
		return nil, err
	}
	texts, err := textsAt(target.Data, fields)
	if err != nil {
		return nil, err
	}
	if len(texts) == 0 {
		return nil, errNoop // erased already
	}
	if err := decodes(target.Type, body); err != nil {
		return nil, invalid(act, "the erased %s event would not decode: %v", target.Type, err)
	}
	var reds []Redaction
	var recs []Record
	add := func(en Entry, body []byte, fields []string) {
		reds = append(reds, Redaction{Seq: en.Seq, Data: body})
		recs = append(recs, Record{Type: RedactionType, Circle: en.Circle, At: at,
			Data: MarshalRedaction(RedactionRecord{Seq: en.Seq, Digest: DigestOf(body), Fields: fields, Actor: e.Actor, Reason: e.Reason})})
	}
	add(target, body, fields)

	// The copies: in the aggregate's other events, on the calendar, and
	// on the agendas of the circle's meetings.
	candidates := slices.Delete(stream, i, i+1)
	if where.Kind != KindReview {
		cal, err := r.ReadStream(ctx, CalendarKey(where.Org), 0, 0)
		if err != nil && !isNotFound(err) {
			return nil, err
		}
		candidates = append(candidates, cal...)
	}
	reg, err := registerCopies(ctx, r, where) // the policy register repeats a decision's title and text
	if err != nil {
		return nil, err
	}
	candidates = append(candidates, reg...)
	mts, err := meetingEntries(ctx, r, meetings)
	if err != nil {
		return nil, err
	}
	candidates = append(candidates, mts...)
	for _, en := range candidates {
		if !mentions(en.Data, texts) {
			continue
		}
		body, paths, err := redactCopies(en.Data, texts)
		if err != nil || len(paths) == 0 {
			continue // not a copy after all (the text is part of a longer one)
		}
		if err := decodes(en.Type, body); err != nil {
			continue
		}
		add(en, body, paths)
	}
	b, err := s.logbookBatch(ctx, r, where.Org, recs)
	if err != nil {
		return nil, err
	}
	b.Redactions = reds
	return b, nil
}

// textsAt returns the texts at paths in a JSON object that are not erased
// yet.
func textsAt(data []byte, paths []string) ([]string, error) {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, invalid("erase text", "event body is not JSON: %v", err)
	}
	var out []string
	for _, p := range paths {
		if err := collectPath(doc, strings.Split(p, "."), func(s string) {
			if s != Erased && s != "" && !slices.Contains(out, s) {
				out = append(out, s)
			}
		}); err != nil {
			return nil, invalid("erase text", "field %q: %v", p, err)
		}
	}
	return out, nil
}

func collectPath(v any, path []string, f func(string)) error {
	switch v := v.(type) {
	case []any:
		for _, el := range v {
			if err := collectPath(el, path, f); err != nil {
				return err
			}
		}
	case map[string]any:
		child, ok := v[path[0]]
		if !ok {
			return nil
		}
		if len(path) > 1 {
			return collectPath(child, path[1:], f)
		}
		switch c := child.(type) {
		case string:
			f(c)
		case []any:
			for _, el := range c {
				s, ok := el.(string)
				if !ok {
					return errNotText
				}
				f(s)
			}
		default:
			return errNotText
		}
	}
	return nil
}

// mentions reports whether data may hold one of texts (a cheap test before
// decoding).
func mentions(data []byte, texts []string) bool {
	for _, t := range texts {
		enc, _ := json.Marshal(t)
		if bytes.Contains(data, enc[1:len(enc)-1]) {
			return true
		}
	}
	return false
}

// redactCopies replaces, in a JSON object, every string that is a copy of
// one of texts (equal to it, or ending in ": " and it) by [Erased] (keeping
// the prefix of a titled copy), and returns the new body and the paths it
// changed.
func redactCopies(data []byte, texts []string) ([]byte, []string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, err
	}
	var paths []string
	var walk func(v any, path string) any
	walk = func(v any, path string) any {
		switch v := v.(type) {
		case map[string]any:
			for k, c := range v {
				v[k] = walk(c, join(path, k))
			}
		case []any:
			for i, c := range v {
				v[i] = walk(c, path)
			}
		case string:
			for _, t := range texts {
				if v == t {
					paths = appendOnce(paths, path)
					return Erased
				}
				if strings.HasSuffix(v, ": "+t) {
					paths = appendOnce(paths, path)
					return strings.TrimSuffix(v, t) + Erased
				}
			}
		}
		return v
	}
	doc = walk(doc, "")
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, nil, err
	}
	slices.Sort(paths)
	return out, paths, nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func appendOnce(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

// decodes checks that body is still a valid event of its type.
func decodes(typ string, body []byte) error {
	var err error
	switch {
	case strings.HasPrefix(typ, "circle."):
		_, err = circle.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "consent."):
		_, err = consent.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "election."):
		_, err = election.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "review."):
		_, err = review.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "agreement."):
		_, err = agreement.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "members."):
		_, err = members.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "meeting."):
		_, err = meeting.UnmarshalEvent(typ, body)
	case strings.HasPrefix(typ, "assembly."):
		_, err = assembly.UnmarshalEvent(typ, body)
	}
	return err
}

// redactJSON replaces the strings at paths in a JSON object with [Erased].
func redactJSON(data []byte, paths []string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, invalid("erase text", "event body is not JSON: %v", err)
	}
	for _, p := range paths {
		n, err := redactPath(doc, strings.Split(p, "."))
		if err != nil {
			return nil, invalid("erase text", "field %q: %v", p, err)
		}
		if n == 0 {
			return nil, invalid("erase text", "field %q: no such text", p)
		}
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, invalid("erase text", "%v", err)
	}
	return out, nil
}

func redactPath(v any, path []string) (int, error) {
	switch v := v.(type) {
	case []any:
		n := 0
		for _, el := range v {
			k, err := redactPath(el, path)
			if err != nil {
				return 0, err
			}
			n += k
		}
		return n, nil
	case map[string]any:
		child, ok := v[path[0]]
		if !ok {
			return 0, nil
		}
		if len(path) == 1 {
			switch child.(type) {
			case string:
				v[path[0]] = Erased
				return 1, nil
			case []any:
				arr := child.([]any)
				for i, el := range arr {
					if _, ok := el.(string); !ok {
						return 0, errNotText
					}
					arr[i] = Erased
				}
				return len(arr), nil
			}
			return 0, errNotText
		}
		return redactPath(child, path[1:])
	}
	return 0, nil
}

var errNotText = invalid("erase text", "not text")

// forget drops the aggregate of k from both caches.
func (s *Store) forget(k StreamKey) {
	s.live.drop(k)
	s.read.drop(k)
}
