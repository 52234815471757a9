package sqlitestore

import (
	"bytes"
	"database/sql"
	"fmt"
	"time"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// logCols are the columns ReadLog selects: four values a row instead of
// thirteen, because the driver takes SQLite's connection mutex for every
// value it reads. The time and the redacted flag share one integer
// (at*2 + redacted); the rest comes as one blob: the five fixed-size IDs
// and hashes (stream, circle, command, digest, hash: 112 bytes), the kind
// and the type each ended by a zero byte (neither can hold one: kinds are
// [a-z_], types printable), then the body. The organisation is the
// query's.
const logCols = `seq, version, at * 2 + redacted,
	CAST(stream || circle || command || digest || hash || kind || x'00' || type || x'00' || data AS BLOB)`

const idsLen = 16 + 16 + 16 + 32 + 32

// scanLog reads the rows of a ReadLog query. It reuses one set of scan
// buffers for every row, keeps one copy of each distinct kind and type
// string, and copies the bodies into shared chunks (each body capped to its
// length, so that appending to one never reaches another), so that a page
// of entries costs a few allocations beyond what the database driver
// makes per row.
func scanLog(rows *sql.Rows, org circle.OrgID, limit int) ([]store.Entry, error) {
	defer rows.Close()
	out := make([]store.Entry, 0, min(max(limit, 0), 1<<14))
	var (
		seq, version, atr int64
		row               sql.RawBytes
		chunk             []byte
	)
	names := make(map[string]string)
	intern := func(b []byte) string {
		if s, ok := names[string(b)]; ok {
			return s
		}
		s := string(b)
		names[s] = s
		return s
	}
	// field cuts the text before the next zero byte off rest.
	field := func(rest []byte) (string, []byte, bool) {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return "", nil, false
		}
		return intern(rest[:i]), rest[i+1:], true
	}
	for rows.Next() {
		if err := rows.Scan(&seq, &version, &atr, &row); err != nil {
			return nil, err
		}
		var kind, typ string
		ok := len(row) >= idsLen
		var rest []byte
		if ok {
			kind, rest, ok = field(row[idsLen:])
		}
		if ok {
			typ, rest, ok = field(rest)
		}
		if !ok {
			return nil, fmt.Errorf("sqlitestore: entry %d is malformed: %w", seq, store.ErrCorrupt)
		}
		e := store.Entry{Org: org, Seq: uint64(seq), Version: uint64(version), Type: typ,
			At: time.UnixMicro(atr >> 1).UTC(), Redacted: atr&1 != 0}
		e.Stream = store.StreamKey{Org: org, Kind: store.Kind(kind)}
		copy(e.Stream.ID[:], row[0:16])
		copy(e.Circle[:], row[16:32])
		copy(e.Command[:], row[32:48])
		copy(e.Digest[:], row[48:80])
		copy(e.Hash[:], row[80:112])
		if len(rest) > cap(chunk)-len(chunk) {
			chunk = make([]byte, 0, max(64<<10, len(rest)))
		}
		n := len(chunk)
		chunk = append(chunk, rest...)
		e.Data = chunk[n:len(chunk):len(chunk)]
		out = append(out, e)
	}
	return out, rows.Err()
}
