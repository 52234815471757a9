package store

import (
	"context"
	"time"

	"github.com/coproduce/sociocracy/assembly"
	"github.com/coproduce/sociocracy/circle"
)

// KindAssembly is the kind of a general meeting of the members
// ([assembly.Meeting]).
const KindAssembly Kind = "assembly"

// GeneralMeetingKey is the key of a general meeting of org.
func GeneralMeetingKey(org circle.OrgID, id assembly.MeetingID) StreamKey {
	return StreamKey{Org: org, Kind: KindAssembly, ID: id.UUID()}
}

var assemblyAgg = &kind[*assembly.Meeting, assembly.Event]{
	kind: KindAssembly, what: "general meeting",
	decode: assembly.UnmarshalStoredEvent, marshal: assembly.MarshalEvent, replay: assembly.Replay,
	apply: (*assembly.Meeting).Apply, take: (*assembly.Meeting).Take,
	// A general meeting belongs to the whole organisation, no one circle.
	meta: func(_ *assembly.Meeting, e assembly.Event) (circle.CircleID, time.Time) {
		return circle.CircleID{}, e.EventHeader().At
	},
}

func assemblyStatus(m *assembly.Meeting) string {
	if m.Phase().Ended() {
		return StatusClosed
	}
	return StatusOpen
}

// CallGeneralMeeting gives notice of a general meeting of org's members
// under rules, the organisation's rules for its general meetings
// ([assembly.Call]). When spec.Members is nil and org keeps a register of
// members ([Store.ActMembers]), the members entitled to attend are the
// register's members at the time of the notice, with their classes;
// without a register, every person of the organisation.
func (s *Store) CallGeneralMeeting(ctx context.Context, org circle.OrgID, spec assembly.Spec, rules assembly.Rules, w *WriteOptions) (Receipt, error) {
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		at := s.at(w, o.l.at)
		if spec.Members == nil {
			reg, err := checkout(ctx, s, r, memberRegisterKind, MemberRegisterKey(org))
			switch {
			case err == nil:
				spec.Members = []assembly.Member{}
				for _, mb := range reg.agg.Members(at) {
					spec.Members = append(spec.Members, assembly.Member{Person: mb.Person, Class: mb.Class})
				}
				reg.checkin(s)
			case !isNotFound(err):
				return nil, err
			}
		}
		m, evs, err := assembly.Call(o.agg, spec, rules, at)
		if err != nil {
			return nil, err
		}
		if err := o.untouched("call general meeting"); err != nil {
			return nil, err
		}
		h := fresh(assemblyAgg, GeneralMeetingKey(org, m.ID()), m)
		b := &Batch{}
		if err := h.append(b, evs, StreamAppend{Status: assemblyStatus(m)}); err != nil {
			return nil, err
		}
		o.checkin(s)
		h.checkin(s)
		return b, nil
	})
}

// ActGeneralMeeting runs an act on general meeting id of org, as
// [Store.ActProcess] does on a process: act receives the meeting, the
// organisation (to read) and the time of this attempt, and returns the
// events of its acts on the meeting.
func (s *Store) ActGeneralMeeting(ctx context.Context, org circle.OrgID, id assembly.MeetingID, act func(m *assembly.Meeting, o *circle.Organisation, at time.Time) ([]assembly.Event, error), w *WriteOptions) (Receipt, error) {
	return s.run(ctx, org, w.command(), false, func(ctx context.Context, r Reader) (*Batch, error) {
		o, err := checkout(ctx, s, r, orgKind, OrgKey(org))
		if err != nil {
			return nil, err
		}
		m, err := checkout(ctx, s, r, assemblyAgg, GeneralMeetingKey(org, id))
		if err != nil {
			return nil, err
		}
		evs, err := act(m.agg, o.agg, s.at(w, o.l.at, m.l.at))
		if err != nil {
			return nil, err
		}
		if err := o.untouched("act on general meeting"); err != nil {
			return nil, err
		}
		if err := m.yielded("act on general meeting", evs); err != nil {
			return nil, err
		}
		o.checkin(s)
		if len(evs) == 0 {
			m.checkin(s)
			return nil, errNoop
		}
		b := &Batch{}
		if err := m.append(b, evs, StreamAppend{Status: assemblyStatus(m.agg)}); err != nil {
			return nil, err
		}
		m.checkin(s)
		return b, nil
	})
}

// GeneralMeeting returns general meeting id of org as stored.
func (s *Store) GeneralMeeting(ctx context.Context, org circle.OrgID, id assembly.MeetingID) (*assembly.Meeting, error) {
	l, err := replayStream(ctx, s.d, assemblyAgg, GeneralMeetingKey(org, id))
	if err != nil {
		return nil, err
	}
	return l.agg.(*assembly.Meeting), nil
}

// OpenGeneralMeetings lists the general meetings of org that have not
// closed or been abandoned, by ID.
func (s *Store) OpenGeneralMeetings(ctx context.Context, org circle.OrgID) ([]assembly.MeetingID, error) {
	infos, err := s.allStreams(ctx, StreamQuery{Org: org, Kind: KindAssembly, Status: StatusOpen})
	if err != nil {
		return nil, err
	}
	out := make([]assembly.MeetingID, len(infos))
	for i, in := range infos {
		out[i] = assembly.MeetingID(in.Key.ID)
	}
	return out, nil
}
