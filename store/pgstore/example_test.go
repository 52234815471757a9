package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
)

// A host that already has a pool shares it with the adapter, migrates once
// at start-up and hands the driver to the portable Store. (Compiled, not
// run: it needs a database.)
func ExampleNew() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("DATABASE_URL")) // a role without SUPERUSER and BYPASSRLS
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()

	d, err := pgstore.New(pool, &pgstore.Options{Schema: "governance"})
	if err != nil {
		log.Fatal(err)
	}
	if err := d.Migrate(ctx); err != nil { // a no-op when up to date; refuses a newer schema
		log.Fatal(err)
	}
	s := store.New(d, nil)
	defer s.Close()
	// ... s.Found, s.ActOrg, s.StartProcess, s.Verify ...
}

// Open is the one-call start for small hosts and examples: its own pool,
// migrated; Close closes the pool.
func ExampleOpen() {
	ctx := context.Background()
	d, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL"), nil)
	if err != nil {
		log.Fatal(err)
	}
	s := store.New(d, nil)
	defer s.Close()
}
