package pgstore

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
)

func TestWithRetry(t *testing.T) {
	ctx := context.Background()
	serialization := &pgconn.PgError{Code: codeSerializationFailure}
	deadlock := &pgconn.PgError{Code: codeDeadlockDetected}

	t.Run("serialization failures and deadlocks are run again until success", func(t *testing.T) {
		calls := 0
		err := withRetry(ctx, "append", 5, func() error {
			calls++
			switch calls {
			case 1:
				return serialization
			case 2:
				return deadlock
			}
			return nil
		})
		require.NoError(t, err)
		assert.Equal(t, 3, calls)
	})

	t.Run("retries are bounded and the error is typed", func(t *testing.T) {
		calls := 0
		err := withRetry(ctx, "append", 3, func() error { calls++; return serialization })
		assert.Equal(t, 4, calls, "one attempt and three retries")
		assert.ErrorIs(t, err, store.ErrConflict)
		var re *RetryError
		require.ErrorAs(t, err, &re)
		assert.Equal(t, 4, re.Attempts)
		var pe *pgconn.PgError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, codeSerializationFailure, pe.Code)
	})

	t.Run("other errors are not retried", func(t *testing.T) {
		for _, e := range []error{io.ErrUnexpectedEOF, &pgconn.PgError{Code: codeUniqueViolation}, store.ErrNotFound} {
			calls := 0
			err := withRetry(ctx, "append", 5, func() error { calls++; return e })
			assert.Equal(t, 1, calls)
			assert.Same(t, e, err)
		}
	})

	t.Run("a done context ends the back-off", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		calls := 0
		err := withRetry(cctx, "append", 100, func() error { calls++; cancel(); return serialization })
		assert.Equal(t, 1, calls)
		assert.ErrorIs(t, err, context.Canceled)
	})
}

func TestTranslate(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		err        error
		sentinel   error
		constraint string
	}{
		{"unique stream version", &pgconn.PgError{Code: codeUniqueViolation, ConstraintName: "entries_stream_version_key"}, store.ErrConflict, "entries_stream_version_key"},
		{"unique log sequence", &pgconn.PgError{Code: codeUniqueViolation, ConstraintName: "entries_pkey"}, store.ErrConflict, "entries_pkey"},
		{"unique command", &pgconn.PgError{Code: codeUniqueViolation, ConstraintName: "commands_pkey"}, store.ErrConflict, "commands_pkey"},
		{"missing stream", &pgconn.PgError{Code: codeForeignKeyViolation, ConstraintName: "snapshots_stream_fkey"}, store.ErrNotFound, "snapshots_stream_fkey"},
		{"check", &pgconn.PgError{Code: codeCheckViolation, ConstraintName: "streams_kind_check"}, store.ErrInvalid, "streams_kind_check"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := translate(ctx, "append", tc.err)
			assert.ErrorIs(t, err, tc.sentinel)
			var ce *ConstraintError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.constraint, ce.Constraint)
			assert.ErrorIs(t, err, tc.err, "the PostgreSQL error stays reachable")
			for _, other := range []error{store.ErrConflict, store.ErrNotFound, store.ErrInvalid} {
				if other != tc.sentinel {
					assert.NotErrorIs(t, err, other)
				}
			}
		})
	}

	t.Run("store errors pass unchanged", func(t *testing.T) {
		e := &store.ConflictError{Expected: 1, Actual: 2}
		assert.Same(t, e, translate(ctx, "append", e))
	})
	t.Run("a done context is named", func(t *testing.T) {
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err := translate(cctx, "read log", errors.New("conn closed"))
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "pgstore: read log")
	})
	t.Run("other errors are wrapped with the operation", func(t *testing.T) {
		err := translate(ctx, "head", io.ErrUnexpectedEOF)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, "pgstore: head: unexpected EOF", err.Error())
	})
}

func TestMigrationsAreNumberedToSchemaVersion(t *testing.T) {
	ms, err := migrations()
	require.NoError(t, err)
	require.Len(t, ms, SchemaVersion)
	for i, m := range ms {
		assert.Equal(t, i+1, m.version)
		assert.NotEmpty(t, m.sql)
	}
}
