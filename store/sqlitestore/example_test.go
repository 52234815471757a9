package sqlitestore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/coproduce/sociocracy/circle/circletest"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

// The embedded default: a file, migrated on open, behind a Store. A second
// Store (a second process) over the same file sees what the first wrote.
func ExampleOpenMigrated() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "coop")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "coop.db")

	d, err := sqlitestore.OpenMigrated(ctx, path, nil)
	if err != nil {
		panic(err)
	}
	s := store.New(d, nil)
	defer s.Close()
	f := circletest.Founding(1)
	if _, err := s.Found(ctx, f, nil); err != nil {
		panic(err)
	}

	d2, err := sqlitestore.OpenMigrated(ctx, path, nil)
	if err != nil {
		panic(err)
	}
	other := store.New(d2, nil)
	defer other.Close()
	o, err := other.Organisation(ctx, f.Org)
	if err != nil {
		panic(err)
	}
	head, err := other.Verify(ctx, f.Org)
	fmt.Printf("%s: %d entries verified: %v\n", o.Name(), head.Seq, err == nil)
	// Output: Organisation 1: 2 entries verified: true
}
