// Command postgres tells the care co-operative's story (see
// examples/carecoop) on PostgreSQL instead of the embedded SQLite file: the
// switch is the one line that opens the driver.
//
//	SOCIOCRACY_PG_DSN=postgres://user:pass@127.0.0.1:5432/db go run ./examples/postgres
//
// The adapter keeps its tables in the schema "sociocracy" and migrates it on
// start. Running it again on the same database continues from what is stored.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/coproduce/sociocracy/examples/internal/story"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/pgstore"
)

func main() {
	dsn := os.Getenv("SOCIOCRACY_PG_DSN")
	if dsn == "" {
		fmt.Fprintln(os.Stderr, "postgres: set SOCIOCRACY_PG_DSN to a PostgreSQL connection string (scripts/test starts a throwaway server and sets it)")
		os.Exit(2)
	}
	ctx := context.Background()
	d, err := pgstore.Open(ctx, dsn, nil) // the one line that differs from examples/carecoop
	if err != nil {
		fail(err)
	}
	s := store.New(d, nil)
	defer s.Close()
	fmt.Println("Records are kept in PostgreSQL (schema sociocracy)")
	if err := story.Run(ctx, os.Stdout, s); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "postgres:", err)
	os.Exit(1)
}
