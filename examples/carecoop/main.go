// Command carecoop tells the governance story of a care co-operative, kept
// in the embedded SQLite store, in eight steps:
//
//  1. build the organisation and check its double links (a care team has no
//     delegate yet); the secretary opens the register of members;
//  2. decide by consent in that care team: a person who receives support
//     objects, and the objection is integrated with a measure and a shorter
//     term before the proposal is adopted;
//  3. select the team's delegate: nominations, a change round, a proposal,
//     consent with the nominee answering last; the links are whole again;
//  4. another care team takes on a new worker by consent: the person it
//     supports answers through his advocate, another by phone, and the
//     adoption adds the worker to the team in the same append;
//  5. a care team meets: a checkpoint is reviewed and a proposal adopted in
//     the meeting, and its minutes are printed as a member outside the team
//     may read them, the confidential item withheld;
//  6. the annual general meeting passes a special resolution on a vote in
//     which the investors' votes count for at most 10%;
//  7. print the review agenda of the coming months;
//  8. print the end of the logbook and verify its hash chain.
//
// Every act carries a command ID, so running the program again on the same
// file continues from what is stored instead of failing or doing anything
// twice.
//
//	go run ./examples/carecoop            # the file is under your cache directory
//	go run ./examples/carecoop -db my.db  # or wherever you like
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/coproduce/sociocracy/examples/internal/story"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
)

func main() {
	db := flag.String("db", defaultPath(), "SQLite file that keeps the co-operative's records")
	flag.Parse()
	ctx := context.Background()
	fmt.Printf("Records are kept in %s\n", *db)
	if err := os.MkdirAll(filepath.Dir(*db), 0o755); err != nil {
		fail(err)
	}
	d, err := sqlitestore.OpenMigrated(ctx, *db, nil)
	if err != nil {
		fail(err)
	}
	s := store.New(d, nil)
	defer s.Close()
	if err := story.Run(ctx, os.Stdout, s); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "carecoop:", err)
	os.Exit(1)
}

// defaultPath puts the file under the user's cache directory, or the
// temporary directory where there is none.
func defaultPath() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "sociocracy", "carecoop.db")
}
