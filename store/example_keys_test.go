package store_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/memstore"
)

// A host keys its logbook with a secret it keeps outside the database, and
// verifies it with the same key; an entry an insider adds without the key
// is caught.
func ExampleVerifyLog() {
	ctx := context.Background()
	d := memstore.New()
	key, err := store.NewChainKey([]byte("0123456789abcdef0123456789abcdef")) // from a secrets manager, never the database
	if err != nil {
		panic(err)
	}
	org := circle.OrgID(uuid.MustParse("0a000000-0000-4000-8000-000000000001"))
	stream := store.StreamKey{Org: org, Kind: store.KindConsent, ID: uuid.MustParse("0b000000-0000-4000-8000-000000000001")}
	at := time.Date(2026, 3, 2, 18, 0, 0, 0, time.UTC)
	b := &store.Batch{Org: org, Key: key, Streams: []store.StreamAppend{{Stream: stream, Records: []store.Record{
		{Type: "consent.presented", Data: []byte(`{}`), At: at},
		{Type: "consent.consented", Data: []byte(`{}`), At: at},
	}}}}
	if _, err := d.Append(ctx, b); err != nil {
		panic(err)
	}
	head, err := store.VerifyLog(ctx, d, org, &store.VerifyOptions{Key: key})
	fmt.Println("keyed log verifies:", err == nil, "head", head.Seq)

	// An insider appends an entry with a plain hash: they have no key.
	insider := &store.Batch{Org: org, Streams: []store.StreamAppend{{Stream: stream, Expected: 2, Records: []store.Record{
		{Type: "consent.consented", Data: []byte(`{"forged":true}`), At: at},
	}}}}
	if _, err := d.Append(ctx, insider); err != nil {
		panic(err)
	}
	_, err = store.VerifyLog(ctx, d, org, &store.VerifyOptions{Key: key})
	var ce *store.ChainError
	fmt.Println("forged entry caught:", errors.Is(err, store.ErrCorrupt), errors.As(err, &ce) && ce.Seq == 3)
	// Output:
	// keyed log verifies: true head 2
	// forged entry caught: true true
}
