package streamrows_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/streamrows"
	"github.com/coproduce/sociocracy/store"
)

// dbRow is a stream as the database holds it.
type dbRow struct {
	version uint64
	circle  circle.CircleID
	status  string
}

// machine drives a Cache as an adapter does, against a model of the
// database that this adapter's transactions and other processes write.
type machine struct {
	keys []store.StreamKey
	db   map[store.StreamKey]dbRow // committed
	c    *streamrows.Cache

	tx       *streamrows.Tx // nil: no transaction open
	txDB     map[store.StreamKey]dbRow
	unfilled []fill // updates whose answers are due (pipelined, as on PostgreSQL)
}

type fill struct {
	key  store.StreamKey
	next *streamrows.Row
}

var circles = []circle.CircleID{{}, circle.CircleID(uuid.MustParse("00000000-0000-0000-0000-00000000000c")), circle.CircleID(uuid.MustParse("00000000-0000-0000-0000-00000000000d"))}

var statuses = []string{"", "open", "closed"}

func (m *machine) pickChange(t *rapid.T) (circle.CircleID, string) {
	return rapid.SampledFrom(circles).Draw(t, "circle"), rapid.SampledFrom(statuses).Draw(t, "status")
}

func apply(r dbRow, n int, c circle.CircleID, st string) dbRow {
	r.version += uint64(n)
	if !c.IsZero() {
		r.circle = c
	}
	if st != "" {
		r.status = st
	}
	return r
}

// other: another process appends to a stream while this adapter has no
// transaction open.
func (m *machine) other(t *rapid.T) {
	if m.tx != nil {
		t.Skip("a transaction is open")
	}
	key := rapid.SampledFrom(m.keys).Draw(t, "key")
	c, st := m.pickChange(t)
	r, ok := m.db[key]
	if !ok {
		if c.IsZero() {
			c = circles[1]
		}
		r = dbRow{circle: c, status: "open"}
	}
	m.db[key] = apply(r, rapid.IntRange(1, 3).Draw(t, "n"), c, st)
}

func (m *machine) begin(t *rapid.T) {
	if m.tx != nil {
		t.Skip("a transaction is open")
	}
	m.tx = m.c.Tx()
	m.txDB = make(map[store.StreamKey]dbRow, len(m.db))
	for k, v := range m.db {
		m.txDB[k] = v
	}
}

// appendOne plans an append of one or two streams, runs it against the
// transaction's view of the database as an adapter would (the version
// checked by the entry's insert), and ends it with Done or Undo.
func (m *machine) appendOne(t *rapid.T) {
	if m.tx == nil {
		t.Skip("no transaction")
	}
	n := rapid.IntRange(1, 2).Draw(t, "streams")
	keys := rapid.Permutation(m.keys).Draw(t, "keys")[:n]
	before := make(map[store.StreamKey]dbRow, len(m.txDB))
	for k, v := range m.txDB {
		before[k] = v
	}
	ok := true
	var fills []fill
	for _, key := range keys {
		cur, exists := m.txDB[key]
		s := store.StreamAppend{Stream: key, Records: make([]store.Record, rapid.IntRange(1, 2).Draw(t, "records"))}
		switch rapid.IntRange(0, 3).Draw(t, "expect") {
		case 0: // a wrong version
			s.Expected = cur.version + uint64(rapid.IntRange(1, 2).Draw(t, "ahead"))
		default:
			s.Expected = cur.version // 0 when the stream is new
		}
		s.Circle, s.Status = m.pickChange(t)
		if s.Expected == 0 && s.Circle.IsZero() {
			s.Circle = circles[1]
		}
		if s.Expected == 0 && s.Status == "" {
			s.Status = "open"
		}
		p := m.tx.Plan(&s)
		require.Equal(t, s.Expected+uint64(len(s.Records)), p.Next.Version)
		if p.Known {
			require.True(t, exists && cur.version >= s.Expected, "known at %d, stored at %d", s.Expected, cur.version)
		}
		if s.Expected == 0 {
			require.True(t, p.Write, "a new stream's row is inserted")
		}
		if exists != (s.Expected > 0) || cur.version != s.Expected {
			ok = false // refused by the insert of its row or its first entry
			break
		}
		next := apply(cur, len(s.Records), s.Circle, s.Status)
		if !p.Write {
			// The row stands: it must already be what the append leaves.
			require.Equal(t, cur.circle, next.circle, "a row left standing has the circle the append leaves")
			require.Equal(t, cur.status, next.status, "a row left standing has the status the append leaves")
			if !m.due(key) {
				// (Until an earlier update of the stream answers, its
				// circle and status are not known yet.)
				require.Equal(t, cur.circle, p.Next.Circle)
				require.Equal(t, cur.status, p.Next.Status)
			}
		}
		m.txDB[key] = next
		if p.Write && s.Expected > 0 {
			fills = append(fills, fill{key: key, next: p.Next})
		}
	}
	if ok && rapid.IntRange(0, 5).Draw(t, "later failure") == 0 {
		ok = false // a later write of the append failed: rolled back to its savepoint
	}
	if !ok {
		m.txDB = before
		m.tx.Undo()
		return
	}
	m.tx.Done()
	if rapid.IntRange(0, 2).Draw(t, "answered now") == 0 {
		m.answer(fills)
	} else {
		m.unfilled = append(m.unfilled, fills...)
	}
}

// due reports whether an update of key has yet to answer.
func (m *machine) due(key store.StreamKey) bool {
	for _, f := range m.unfilled {
		if f.key == key {
			return true
		}
	}
	return false
}

// answer fills the rows the updates returned.
func (m *machine) answer(fills []fill) {
	for _, f := range fills {
		r := m.txDB[f.key]
		f.next.Circle, f.next.Status = r.circle, r.status
	}
}

func (m *machine) commit(t *rapid.T) {
	if m.tx == nil {
		t.Skip("no transaction")
	}
	m.answer(m.unfilled)
	m.unfilled = nil
	m.tx.Commit()
	m.db, m.tx, m.txDB = m.txDB, nil, nil
}

func (m *machine) abort(t *rapid.T) {
	if m.tx == nil {
		t.Skip("no transaction")
	}
	m.tx, m.txDB, m.unfilled = nil, nil, nil
}

// check: every row the cache remembers is the database's row whenever the
// stream is still at that version, and never ahead of it.
func (m *machine) check(t *rapid.T) {
	for _, key := range m.keys {
		r, ok := m.c.Get(key)
		if !ok {
			continue
		}
		d, exists := m.db[key]
		require.True(t, exists, "a row remembered for a stream that does not exist")
		require.LessOrEqual(t, r.Version, d.version)
		if r.Version == d.version {
			require.Equal(t, d.circle, r.Circle, "circle of %v at %d", key.ID, r.Version)
			require.Equal(t, d.status, r.Status, "status of %v at %d", key.ID, r.Version)
		}
	}
}

func TestTheCacheRemembersOnlyRowsAsTheyStand(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		org := circle.OrgID(uuid.MustParse("00000000-0000-0000-0000-0000000000aa"))
		m := &machine{db: map[store.StreamKey]dbRow{}, c: &streamrows.Cache{}}
		for i := range 2 {
			m.keys = append(m.keys, store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.MustParse(fmt.Sprintf("00000000-0000-0000-0000-%012d", i+1))})
		}
		t.Repeat(map[string]func(*rapid.T){
			"other":  m.other,
			"begin":  m.begin,
			"append": m.appendOne,
			"commit": m.commit,
			"abort":  m.abort,
			"":       m.check,
		})
	})
}

func TestAnAppendThatChangesNothingLeavesTheRow(t *testing.T) {
	org := circle.OrgID(uuid.New())
	key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}
	team := circle.CircleID(uuid.New())
	c := &streamrows.Cache{}

	tx := c.Tx()
	p := tx.Plan(&store.StreamAppend{Stream: key, Circle: team, Status: "open", Records: make([]store.Record, 1)})
	require.True(t, p.Write, "a new stream's row is inserted")
	require.False(t, p.Known)
	tx.Done()
	tx.Commit()

	tx = c.Tx()
	p = tx.Plan(&store.StreamAppend{Stream: key, Expected: 1, Records: make([]store.Record, 2)})
	require.Equal(t, streamrows.Plan{Known: true, Next: &streamrows.Row{Version: 3, Circle: team, Status: "open"}}, p)
	p = tx.Plan(&store.StreamAppend{Stream: key, Expected: 1, Status: "closed", Records: make([]store.Record, 1)})
	require.True(t, p.Known)
	require.True(t, p.Write, "a new status is written")
	tx.Undo()
	tx.Commit()
	r, ok := c.Get(key)
	require.True(t, ok)
	require.Equal(t, streamrows.Row{Version: 1, Circle: team, Status: "open"}, r, "an undone append leaves nothing")

	// Another process appended: the row is not known at the version the
	// next append expects, so it is written.
	tx = c.Tx()
	p = tx.Plan(&store.StreamAppend{Stream: key, Expected: 5, Records: make([]store.Record, 1)})
	require.False(t, p.Known)
	require.True(t, p.Write)
}

func TestTheCacheIsBounded(t *testing.T) {
	c := &streamrows.Cache{}
	org := circle.OrgID(uuid.New())
	for range streamrows.Max + 10 {
		tx := c.Tx()
		tx.Plan(&store.StreamAppend{Stream: store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.New()}, Circle: circle.CircleID(uuid.New()), Status: "open", Records: make([]store.Record, 1)})
		tx.Done()
		tx.Commit()
		require.LessOrEqual(t, c.Len(), streamrows.Max)
	}
	c.Forget()
	require.Zero(t, c.Len())
}
