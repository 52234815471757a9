package pgstore

import (
	"encoding/binary"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// The columns of queries.entryColumns, in order.
const (
	colSeq = iota
	colKind
	colStream
	colVersion
	colType
	colCircle
	colAt
	colCommand
	colData
	colDigest
	colRedacted
	colHash
	nCols
)

// entryOIDs are the types of the columns; the fast path needs each in the
// binary format, except text (whose two forms are the same bytes), as pgx
// asks for them.
var entryOIDs = [nCols]uint32{pgtype.Int8OID, pgtype.TextOID, pgtype.UUIDOID, pgtype.Int8OID, pgtype.TextOID, pgtype.UUIDOID,
	pgtype.Int8OID, pgtype.UUIDOID, pgtype.ByteaOID, pgtype.ByteaOID, pgtype.BoolOID, pgtype.ByteaOID}

// scanEntries reads rows of entryColumns. When every column comes in
// binary (as pgx asks for these types), it decodes the raw values itself:
// no per-column scan, one copy of each distinct kind and type string, and
// the bodies copied into shared chunks (each capped to its length), so
// that a page costs a few allocations whatever its length. Otherwise it
// falls back to Scan. limit (<= 0: none) sizes the result up front.
func scanEntries(rows pgx.Rows, org circle.OrgID, limit int) ([]store.Entry, error) {
	fds := rows.FieldDescriptions()
	fast := len(fds) == nCols
	for i := 0; fast && i < nCols; i++ {
		fast = fds[i].DataTypeOID == entryOIDs[i] && (fds[i].Format == pgx.BinaryFormatCode || entryOIDs[i] == pgtype.TextOID)
	}
	if !fast {
		return scanEntriesSlow(rows, org)
	}
	var (
		out   []store.Entry
		chunk []byte
		grow  int // the size of the next chunk (see below)
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
	for rows.Next() {
		v := rows.RawValues()
		if len(v) != nCols || len(v[colSeq]) != 8 || len(v[colVersion]) != 8 || len(v[colAt]) != 8 ||
			len(v[colStream]) != 16 || len(v[colCircle]) != 16 || len(v[colCommand]) != 16 ||
			len(v[colRedacted]) != 1 || v[colKind] == nil || v[colType] == nil || v[colData] == nil {
			return nil, fmt.Errorf("pgstore: read: malformed entry row: %w", store.ErrCorrupt)
		}
		e := store.Entry{
			Org:      org,
			Seq:      binary.BigEndian.Uint64(v[colSeq]),
			Version:  binary.BigEndian.Uint64(v[colVersion]),
			Type:     intern(v[colType]),
			At:       time.UnixMicro(int64(binary.BigEndian.Uint64(v[colAt]))).UTC(),
			Redacted: v[colRedacted][0] != 0,
		}
		e.Stream = store.StreamKey{Org: org, Kind: store.Kind(intern(v[colKind])), ID: [16]byte(v[colStream])}
		e.Circle = circle.CircleID(v[colCircle])
		e.Command = store.CommandID(v[colCommand])
		var err error
		if e.Digest, err = toHash(v[colDigest]); err != nil {
			return nil, err
		}
		if e.Hash, err = toHash(v[colHash]); err != nil {
			return nil, err
		}
		if data := v[colData]; len(data) > 0 {
			if len(data) > cap(chunk)-len(chunk) {
				// Chunks grow from 4 KiB to 256 KiB, so that a read of
				// one entry (an act's) does not allocate a page's worth.
				grow = min(max(grow*2, 4<<10), 256<<10)
				chunk = make([]byte, 0, max(grow, len(data)))
			}
			n := len(chunk)
			chunk = append(chunk, data...)
			e.Data = chunk[n:len(chunk):len(chunk)]
		}
		if out == nil {
			out = make([]store.Entry, 0, min(max(limit, 4), 1<<14))
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// slowScans counts the reads that fell back to scanEntriesSlow (a test
// checks that the driver's own queries never do).
var slowScans atomic.Int64

func scanEntriesSlow(rows pgx.Rows, org circle.OrgID) ([]store.Entry, error) {
	slowScans.Add(1)
	var out []store.Entry
	for rows.Next() {
		var (
			e                     store.Entry
			kind                  string
			stream, circ, command pgtype.UUID
			atUS                  int64
			digest, hash          []byte
		)
		if err := rows.Scan(&e.Seq, &kind, &stream, &e.Version, &e.Type, &circ, &atUS, &command,
			&e.Data, &digest, &e.Redacted, &hash); err != nil {
			return nil, err
		}
		e.Org = org
		e.Stream = store.StreamKey{Org: org, Kind: store.Kind(kind), ID: stream.Bytes}
		e.Circle = circle.CircleID(circ.Bytes)
		e.Command = store.CommandID(command.Bytes)
		e.At = time.UnixMicro(atUS).UTC()
		if len(e.Data) == 0 {
			e.Data = nil
		}
		var err error
		if e.Digest, err = toHash(digest); err != nil {
			return nil, err
		}
		if e.Hash, err = toHash(hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
