package review

import (
	"encoding/binary"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// Property: the chunked index behaves like a sorted slice under any
// sequence of inserts, removes and range walks, and keeps its own
// invariants (chunks non-empty, within the size bound, sorted across chunk
// boundaries, count right). Chunks are made small relative to the keys by
// drawing many keys with few distinct due instants.
func TestPropertyIndexMatchesSortedSlice(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var x index
		var model []key
		genKey := rapid.Custom(func(t *rapid.T) key {
			var id ItemID
			binary.BigEndian.PutUint32(id[12:], uint32(rapid.IntRange(0, 3000).Draw(t, "id")))
			return key{due: int64(rapid.IntRange(0, 50).Draw(t, "due")), id: id}
		})
		pick := func(t *rapid.T) key {
			if len(model) > 0 && rapid.Bool().Draw(t, "existing") {
				return model[rapid.IntRange(0, len(model)-1).Draw(t, "i")]
			}
			return genKey.Draw(t, "key")
		}
		t.Repeat(map[string]func(*rapid.T){
			"insert": func(t *rapid.T) {
				for range rapid.IntRange(1, 300).Draw(t, "n") {
					k := genKey.Draw(t, "key")
					x.insert(k)
					if i, found := slices.BinarySearchFunc(model, k, key.compare); !found {
						model = slices.Insert(model, i, k)
					}
				}
			},
			"remove": func(t *rapid.T) {
				k := pick(t)
				x.remove(k)
				if i, found := slices.BinarySearchFunc(model, k, key.compare); found {
					model = slices.Delete(model, i, i+1)
				}
			},
			"ascend": func(t *rapid.T) {
				from := pick(t)
				limit := rapid.IntRange(0, 40).Draw(t, "limit")
				var got []key
				x.ascend(from, func(k key) bool {
					got = append(got, k)
					return len(got) < limit
				})
				i, _ := slices.BinarySearchFunc(model, from, key.compare)
				want := model[i:min(len(model), i+limit)]
				if limit == 0 && len(model) > i {
					want = model[i : i+1] // yield is called once before it can say stop
				}
				if !slices.Equal(got, want) {
					t.Fatalf("ascend from %v: got %d keys, want %d", from, len(got), len(want))
				}
			},
			"": func(t *rapid.T) {
				if x.n != len(model) {
					t.Fatalf("count %d, model %d", x.n, len(model))
				}
				var all []key
				for _, c := range x.chunks {
					if len(c) == 0 || len(c) > maxChunk {
						t.Fatalf("chunk of %d keys", len(c))
					}
					all = append(all, c...)
				}
				if !slices.Equal(all, model) {
					t.Fatalf("contents differ from the model")
				}
			},
		})
	})
}

func TestIndexBuildThenInsert(t *testing.T) {
	var x index
	keys := make([]key, 5000)
	for i := range keys {
		keys[i] = key{due: int64(2 * i)}
	}
	x.build(keys)
	x.insert(key{due: 1001})
	x.remove(key{due: 0})
	var got []int64
	x.ascend(key{due: 998}, func(k key) bool { got = append(got, k.due); return len(got) < 4 })
	if !slices.Equal(got, []int64{998, 1000, 1001, 1002}) || x.n != 5000 {
		t.Fatalf("got %v, n=%d", got, x.n)
	}
}
