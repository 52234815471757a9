package sqlitestore

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/coproduce/sociocracy/store"
)

// uriPath escapes a file path for the path of a file: URI: '%', '?' and
// '#' (which would end the path or start an escape), and every byte that
// is not printable ASCII. SQLite decodes the escapes back to the same
// bytes. A leading "//" (an authority in a URI) becomes one '/', which
// names the same file.
func uriPath(path string) string {
	if strings.HasPrefix(path, "//") {
		path = "/" + strings.TrimLeft(path, "/")
	}
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c == '%' || c == '?' || c == '#' || c <= 0x20 || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// sqlSeq turns a sequence number or version to compare against ("after")
// into the 64-bit signed integer SQLite stores. No stored number reaches
// 2^63, so a larger one saturates: nothing is after it.
func sqlSeq(n uint64) int64 {
	if n > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(n)
}

// recheckSchema is ready's slow path for a driver that found its database
// unmigrated when it opened: another driver or process may have migrated
// the file since, and then this one serves it too.
func (d *Driver) recheckSchema(ctx context.Context) error {
	v, err := d.schemaVersion(ctx, d.r)
	if err != nil {
		return d.fail("check schema", ctx, err)
	}
	latest := latestVersion()
	switch {
	case v > latest:
		return fmt.Errorf("sqlitestore: %w", &store.SchemaError{Found: v, Supported: latest})
	case v < latest:
		return ErrNotMigrated
	}
	d.migrated.Store(true)
	return nil
}
