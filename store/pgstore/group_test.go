package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/storetest"
)

// When the transaction a group of AppendLocked calls shares fails (here:
// one act's entry is refused by a trigger planted in the table, which only
// the database sees), every call runs again alone: the one that collides is
// refused, the others are written.
func TestAGroupWhoseTransactionFailsRunsItsCallsAlone(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	org := storetest.NewOrg()
	poisoned := storetest.NewKey(org, store.KindConsent)
	_, err := d.Append(ctx, storetest.One(poisoned, 0, storetest.Records(1, "p")...))
	require.NoError(t, err)
	// A trigger planted behind the driver's back refuses any later entry
	// of the poisoned stream as if its version were taken. (A planted
	// entry no longer does: it would simply be the stream's version.)
	fn := pg.schema + ".poison_" + strings.ReplaceAll(poisoned.ID.String(), "-", "")
	_, err = pg.admin.Exec(ctx, `create function `+fn+`() returns trigger language plpgsql as $$
		begin
			if new.stream = '`+poisoned.ID.String()+`' and new.version > 1 then
				raise exception 'planted' using errcode = 'unique_violation';
			end if;
			return new;
		end $$`)
	require.NoError(t, err)
	_, err = pg.admin.Exec(ctx, `create trigger poison before insert on `+pg.schema+`.entries for each row execute function `+fn+`()`)
	require.NoError(t, err)
	t.Cleanup(func() {
		_, err := pg.admin.Exec(context.Background(), `drop function `+fn+`() cascade`)
		assert.NoError(t, err)
	})

	const others, rounds = 15, 4
	keys := make([]store.StreamKey, others)
	for i := range keys {
		keys[i] = storetest.NewKey(org, store.KindConsent)
	}
	for round := range rounds {
		var wg sync.WaitGroup
		errs := make([]error, others+1)
		for i := range errs {
			key := poisoned
			if i < others {
				key = keys[i]
			}
			wg.Go(func() {
				_, errs[i] = d.AppendLocked(ctx, org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
					var v uint64
					info, err := r.Stream(ctx, key)
					switch {
					case err == nil:
						v = info.Version
					case !errors.Is(err, store.ErrNotFound):
						return nil, err
					}
					return storetest.One(key, v, storetest.Records(1, fmt.Sprintf("r%d", round))...), nil
				})
			})
		}
		wg.Wait()
		for i := range others {
			assert.NoError(t, errs[i], "round %d, writer %d", round, i)
		}
		assert.ErrorIs(t, errs[others], store.ErrConflict, "round %d: the planted row refuses the poisoned act", round)
	}
	info, err := d.Stream(ctx, poisoned)
	require.NoError(t, err)
	assert.Equal(t, uint64(1), info.Version)
	for _, k := range keys {
		info, err := d.Stream(ctx, k)
		require.NoError(t, err)
		assert.Equal(t, uint64(rounds), info.Version)
	}
	head, err := d.Head(ctx, org)
	require.NoError(t, err)
	assert.Equal(t, uint64(1+others*rounds), head.Seq)
}
