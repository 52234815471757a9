package election

// Nominations are written hidden ("Nominations stay hidden from everyone but
// their author until they are revealed", see the package documentation), but
// a [Nominated] event holds its nominee and reason, because replay needs
// them. A store that shows an election's events to readers (a logbook)
// withholds them with these functions:
//
//	for each event ev of the election's stream, in order:
//	    if Reveals(ev) { revealed = true }
//	    if Withheld(ev) && !revealed && reader != ev.EventHeader().Actor {
//	        ev = Redacted(ev)   // or, on stored bodies, RedactStored(typ, data)
//	    }
//
// An election cancelled before the reveal keeps its nominations withheld
// for ever, as [Election.Record] does.

// Withheld reports whether ev is withheld from every reader but its actor
// until a later [NominationsRevealed] of the same election: true of a
// [Nominated] event.
func Withheld(ev Event) bool {
	_, ok := ev.(Nominated)
	return ok
}

// WithheldType is [Withheld] for a stored type name.
func WithheldType(typ string) bool { return typ == Nominated{}.EventType() }

// Reveals reports whether ev ends the withholding of the election's earlier
// events: true of a [NominationsRevealed] event.
func Reveals(ev Event) bool {
	_, ok := ev.(NominationsRevealed)
	return ok
}

// RevealsType is [Reveals] for a stored type name.
func RevealsType(typ string) bool { return typ == NominationsRevealed{}.EventType() }

// Redacted returns ev as a reader sees it while it is withheld: a
// [Nominated] event keeps its header (which election, who nominated, when)
// and loses its nominee, reason and whether it was a pass. Any other event
// is returned unchanged. A redacted event is for display only: it does not
// replay.
func Redacted(ev Event) Event {
	if n, ok := ev.(Nominated); ok {
		return Nominated{Header: n.Header}
	}
	return ev
}

// RedactStored is [Redacted] on a stored body ([MarshalEvent]): the body of
// a withheld type is decoded ([UnmarshalStoredEvent]), redacted and encoded
// again; any other body is returned as it is. A body that does not decode is
// refused with [ErrInvalidEvent] rather than shown.
func RedactStored(typ string, data []byte) ([]byte, error) {
	if !WithheldType(typ) {
		return data, nil
	}
	ev, err := UnmarshalStoredEvent(typ, data)
	if err != nil {
		return nil, err
	}
	_, out, err := MarshalEvent(Redacted(ev))
	return out, err
}
