package outbox

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestRecordsOnlyAfterTheFirstTake(t *testing.T) {
	var b Box[int]
	b.Record(1, 2)
	assert.Nil(t, b.Take(), "nothing is kept before anyone asked")
	b.Record(3)
	b.Record(4, 5)
	assert.Equal(t, []int{3, 4, 5}, b.Take())
	assert.Nil(t, b.Take(), "taken events are gone")
	b.Record(6)
	assert.Equal(t, []int{6}, b.Take())
}
