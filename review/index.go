package review

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// key orders the open items: by due instant (Unix microseconds), then by ID.
type key struct {
	due int64
	id  ItemID
}

func (a key) compare(b key) int {
	if a.due != b.due {
		return cmp.Compare(a.due, b.due)
	}
	// The bytes of the IDs in order, as two big-endian halves.
	if ah, bh := binary.BigEndian.Uint64(a.id[:8]), binary.BigEndian.Uint64(b.id[:8]); ah != bh {
		return cmp.Compare(ah, bh)
	}
	return cmp.Compare(binary.BigEndian.Uint64(a.id[8:]), binary.BigEndian.Uint64(b.id[8:]))
}

// index is an ordered set of keys kept as a list of sorted chunks, each
// holding at most maxChunk keys: a lookup is two binary searches, an insert
// or delete moves at most maxChunk keys plus one chunk pointer per
// maxChunk keys in the set. It answers "the first keys at or after k"
// without scanning.
type index struct {
	chunks [][]key // every chunk non-empty and sorted; chunk i's keys all precede chunk i+1's
	n      int
}

const maxChunk = 512

// locate returns the chunk that holds k or would receive it.
func (x *index) locate(k key) int {
	// The first chunk whose last key is ≥ k; the last chunk if none is.
	i, _ := slices.BinarySearchFunc(x.chunks, k, func(c []key, k key) int { return c[len(c)-1].compare(k) })
	return min(i, len(x.chunks)-1)
}

func (x *index) insert(k key) {
	if len(x.chunks) == 0 {
		x.chunks = append(x.chunks, []key{k})
		x.n++
		return
	}
	ci := x.locate(k)
	c := x.chunks[ci]
	j, found := slices.BinarySearchFunc(c, k, key.compare)
	if found {
		return
	}
	c = slices.Insert(c, j, k)
	x.n++
	if len(c) <= maxChunk {
		x.chunks[ci] = c
		return
	}
	half := len(c) / 2
	right := slices.Clone(c[half:])
	x.chunks[ci] = slices.Clip(c[:half])
	x.chunks = slices.Insert(x.chunks, ci+1, right)
}

func (x *index) remove(k key) {
	if len(x.chunks) == 0 {
		return
	}
	ci := x.locate(k)
	c := x.chunks[ci]
	j, found := slices.BinarySearchFunc(c, k, key.compare)
	if !found {
		return
	}
	x.n--
	if len(c) == 1 {
		x.chunks = slices.Delete(x.chunks, ci, ci+1)
		return
	}
	x.chunks[ci] = slices.Delete(c, j, j+1)
}

// ascend calls yield with every key ≥ from, in order, until yield returns false.
func (x *index) ascend(from key, yield func(key) bool) {
	if len(x.chunks) == 0 {
		return
	}
	ci := x.locate(from)
	j, _ := slices.BinarySearchFunc(x.chunks[ci], from, key.compare)
	for ; ci < len(x.chunks); ci, j = ci+1, 0 {
		for _, k := range x.chunks[ci][j:] {
			if !yield(k) {
				return
			}
		}
	}
}

// build replaces the contents with keys, which must be sorted and unique.
func (x *index) build(keys []key) {
	x.chunks = x.chunks[:0]
	x.n = len(keys)
	for len(keys) > 0 {
		n := min(len(keys), maxChunk/2)
		x.chunks = append(x.chunks, slices.Clone(keys[:n]))
		keys = keys[n:]
	}
}
