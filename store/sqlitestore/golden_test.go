package sqlitestore_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/internal/golden"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

// The tables are a stored form: testdata/schema.golden pins the schema
// every migration leaves, and testdata/rows.golden the rows of a few
// appends (a new stream with a command, an append that keeps the row, one
// that closes it). A change to either is a change of storage format: it
// comes with a migration.
func TestTheStoredFormIsPinned(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "golden.db")
	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	require.NoError(t, err)
	defer d.Close()

	org := circle.OrgID(uuid.MustParse("0b0b0b0b-0000-4000-8000-000000000001"))
	key := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.MustParse("0c0c0c0c-0000-4000-8000-000000000002")}
	team := circle.CircleID(uuid.MustParse("0d0d0d0d-0000-4000-8000-000000000003"))
	b := storetest.One(key, 0, storetest.Records(2, "start")...)
	b.Command = store.CommandID(uuid.MustParse("0e0e0e0e-0000-4000-8000-000000000004"))
	b.PayloadHash = store.DigestOf([]byte("payload"))
	b.Streams[0].Circle, b.Streams[0].Status = team, store.StatusOpen
	_, err = d.Append(ctx, b)
	require.NoError(t, err)
	b = storetest.One(key, 2, storetest.Records(1, "keep")...)
	b.Streams[0].Circle, b.Streams[0].Status = team, store.StatusOpen
	_, err = d.Append(ctx, b)
	require.NoError(t, err)
	b = storetest.One(key, 3, storetest.Records(1, "close")...)
	b.Streams[0].Status = store.StatusClosed
	_, err = d.Append(ctx, b)
	require.NoError(t, err)

	raw := rawDB(t, path)
	var schema strings.Builder
	rows, err := raw.Query(`SELECT type, name, sql FROM sqlite_schema
		WHERE name NOT LIKE 'sqlite_%' AND sql IS NOT NULL ORDER BY type, name`)
	require.NoError(t, err)
	for rows.Next() {
		var typ, name, sql string
		require.NoError(t, rows.Scan(&typ, &name, &sql))
		fmt.Fprintf(&schema, "-- %s %s\n%s;\n\n", typ, name, sql)
	}
	require.NoError(t, rows.Err())
	golden.Check(t, "schema.golden", schema.String())

	var out strings.Builder
	for _, q := range []string{
		`SELECT 'schema', version, name FROM sociocracy_schema ORDER BY version`,
		`SELECT 'stream', hex(org), kind, hex(id), status_version, hex(circle), status FROM streams`,
		`SELECT 'entry', hex(org), seq, kind, hex(stream), version, type, hex(circle), at, hex(command),
			CAST(data AS TEXT), hex(digest), redacted, hex(hash) FROM entries ORDER BY org, seq`,
		`SELECT 'command', hex(org), hex(id), hex(payload_hash), first_seq, last_seq FROM commands`,
	} {
		rows, err := raw.Query(q)
		require.NoError(t, err)
		cols, err := rows.Columns()
		require.NoError(t, err)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			for i, v := range vals {
				if i > 0 {
					out.WriteByte(' ')
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprint(&out, v)
			}
			out.WriteByte('\n')
		}
		require.NoError(t, rows.Err())
	}
	golden.Check(t, "rows.golden", out.String())
}
