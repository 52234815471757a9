package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/consent"
	"github.com/coproduce/sociocracy/election"
	"github.com/coproduce/sociocracy/internal/strictjson"
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

// ErasePerson erases the profile of person in org and records the erasure
// (who, by whom, when, why; no personal data) in the logbook. Events keep
// the person's ID, so decision records and counts stay whole. Erasing a
// person without a profile fails with [ErrNotFound] and records nothing.
func (s *Store) ErasePerson(ctx context.Context, org circle.OrgID, person, actor circle.PersonID, at time.Time, reason string) (Receipt, error) {
	if err := s.d.EraseProfile(ctx, org, person); err != nil {
		return Receipt{}, err
	}
	body, _ := json.Marshal(struct {
		Person circle.PersonID `json:"person"`
		Actor  circle.PersonID `json:"actor"`
		Reason string          `json:"reason"`
	}{person, actor, reason})
	return s.appendLogbook(ctx, org, Record{Type: ProfileErasedType, Data: body, At: at}, nil)
}

// appendLogbook appends store entries (and redactions) to org's logbook
// stream, retrying on conflict.
func (s *Store) appendLogbook(ctx context.Context, org circle.OrgID, rec Record, red []Redaction) (Receipt, error) {
	return s.run(ctx, org, Command{}, false, func(ctx context.Context, r Reader) (*Batch, error) {
		var v uint64
		info, err := r.Stream(ctx, LogbookKey(org))
		switch {
		case err == nil:
			v = info.Version
		case !isNotFound(err):
			return nil, err
		}
		return &Batch{
			Streams:    []StreamAppend{{Stream: LogbookKey(org), Expected: v, Records: []Record{rec}}},
			Redactions: red,
		}, nil
	})
}

func isNotFound(err error) bool {
	return errors.Is(err, ErrNotFound)
}

// Erased is the text that replaces erased free text.
const Erased = "[erased]"

// EraseText replaces free text in the body of logbook entry seq of org
// (a proposal's text, an objection's reason, a note) with [Erased], for a
// request to erase personal data. fields are JSON paths in the event body,
// dot-separated ("proposal.text", "reason"); a path through an array
// applies to every element. Each must lead to a string. The event still
// decodes afterwards, and every aggregate replays, with the erased text.
//
// The entry keeps its digest and hash, and the erasure is itself logged (a
// [RedactionType] entry naming the entry, the fields, the digest of the new
// body, the actor and the reason), so [Store.Verify] still passes and tells
// an erasure from tampering.
func (s *Store) EraseText(ctx context.Context, org circle.OrgID, seq uint64, fields []string, actor circle.PersonID, at time.Time, reason string) (Receipt, error) {
	if len(fields) == 0 {
		return Receipt{}, invalid("erase text", "no fields")
	}
	es, err := s.d.ReadLog(ctx, LogQuery{Org: org, After: seq - 1, Limit: 1})
	if err != nil {
		return Receipt{}, err
	}
	if seq == 0 || len(es) != 1 || es[0].Seq != seq {
		return Receipt{}, &NotFoundError{What: "entry", Key: "seq " + utoa(seq)}
	}
	e := es[0]
	body, err := redactJSON(e.Data, fields)
	if err != nil {
		return Receipt{}, err
	}
	if err := decodes(e.Type, body); err != nil {
		return Receipt{}, invalid("erase text", "the erased %s event would not decode: %v", e.Type, err)
	}
	rec := RedactionRecord{Seq: seq, Digest: DigestOf(body), Fields: fields, Actor: actor, Reason: reason}
	s.forget(e.Stream)
	defer s.forget(e.Stream) // and again, in case a load raced with the erasure
	return s.appendLogbook(ctx, org,
		Record{Type: RedactionType, Data: MarshalRedaction(rec), Circle: e.Circle, At: at},
		[]Redaction{{Seq: seq, Data: body}})
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
