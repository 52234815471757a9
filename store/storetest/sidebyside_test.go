package storetest_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store/storetest"
)

func TestSideBySideRunsBothInBlocksAndReportsTheRatio(t *testing.T) {
	var bares, acts int
	r := testing.Benchmark(func(b *testing.B) {
		bares, acts = 0, 0
		storetest.SideBySide(b,
			func() error { bares++; return nil },
			func() error {
				acts++
				// act runs only after a whole block of bare.
				if bares < storetest.SideBlock*((acts+storetest.SideBlock-1)/storetest.SideBlock) {
					b.Fatalf("act %d ran before its block of bare calls (%d so far)", acts, bares)
				}
				return nil
			})
	})
	require.Positive(t, r.N)
	require.Equal(t, r.N, acts, "one act per iteration")
	require.Equal(t, storetest.SideBlock*((r.N+storetest.SideBlock-1)/storetest.SideBlock), bares, "bare in whole blocks")
	for _, m := range []string{"bare-ns/op", "act-ns/op", "act/bare"} {
		require.Contains(t, r.Extra, m)
		require.Positive(t, r.Extra[m], m)
	}
	require.InDelta(t, r.Extra["act-ns/op"]/r.Extra["bare-ns/op"], r.Extra["act/bare"], 1e-9)
}
