package pgstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/coproduce/sociocracy/store"
)

// SQLSTATE codes the driver handles.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeCheckViolation       = "23514"
	codeNotNullViolation     = "23502"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
	codeDivisionByZero       = "22012" // a failed version check (queries.insertEntryAfter)
)

// ConstraintError reports a write that a database constraint refused. It
// matches the store sentinel for its kind with [errors.Is]: a unique
// constraint (stream version, log sequence, command ID, stream key)
// matches [store.ErrConflict]; a foreign key matches [store.ErrNotFound]; a
// check or not-null constraint matches [store.ErrInvalid]. Unwrap returns
// the [*pgconn.PgError].
type ConstraintError struct {
	Op         string // "append", "put profile", ...
	Constraint string // e.g. "entries_stream_version_key"
	Err        *pgconn.PgError
	sentinel   error
}

func (e *ConstraintError) Error() string {
	return fmt.Sprintf("pgstore: %s: constraint %s refused the write (%s)", e.Op, e.Constraint, e.sentinel)
}

// Is reports whether target is the store sentinel this constraint maps to.
func (e *ConstraintError) Is(target error) bool { return target == e.sentinel }

// Unwrap returns the PostgreSQL error.
func (e *ConstraintError) Unwrap() error { return e.Err }

// RetryError reports a transaction that kept failing with a serialization
// failure or a deadlock for every attempt the driver allows
// ([Options.MaxRetries]). It matches [store.ErrConflict] (the writes raced
// with others; nothing was written), and Unwrap returns the last
// PostgreSQL error.
type RetryError struct {
	Op       string
	Attempts int
	Err      error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("pgstore: %s: gave up after %d attempts: %v", e.Op, e.Attempts, e.Err)
}

// Is reports whether target is [store.ErrConflict].
func (e *RetryError) Is(target error) bool { return target == store.ErrConflict }

// Unwrap returns the last error.
func (e *RetryError) Unwrap() error { return e.Err }

// retryable reports whether err is a serialization failure or a deadlock:
// the transaction was rolled back by the server and may simply run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return false
	}
	return pe.Code == codeSerializationFailure || pe.Code == codeDeadlockDetected
}

// translate turns an error from pgx into the error the driver returns:
// store errors pass through; a done context is named (wrapping ctx.Err());
// constraint violations become a [*ConstraintError]; everything else is
// wrapped with the operation.
func translate(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if isStoreError(err) {
		return err
	}
	if ce := ctx.Err(); ce != nil {
		if errors.Is(err, ce) {
			return fmt.Errorf("pgstore: %s: %w", op, err)
		}
		return fmt.Errorf("pgstore: %s: %w: %w", op, ce, err)
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		var sentinel error
		switch pe.Code {
		case codeUniqueViolation:
			sentinel = store.ErrConflict
		case codeForeignKeyViolation:
			sentinel = store.ErrNotFound
		case codeCheckViolation, codeNotNullViolation:
			sentinel = store.ErrInvalid
		}
		if sentinel != nil {
			return &ConstraintError{Op: op, Constraint: pe.ConstraintName, Err: pe, sentinel: sentinel}
		}
	}
	return fmt.Errorf("pgstore: %s: %w", op, err)
}

func isStoreError(err error) bool {
	var (
		c  *store.ConflictError
		nf *store.NotFoundError
		cm *store.CommandError
		in *store.InvalidError
		ce *ConstraintError
		re *RetryError
	)
	return errors.As(err, &c) || errors.As(err, &nf) || errors.As(err, &cm) || errors.As(err, &in) ||
		errors.As(err, &ce) || errors.As(err, &re) || errors.Is(err, store.ErrClosed)
}

// withRetry runs fn, and runs it again after a serialization failure or a
// deadlock, at most max more times, waiting a short random back-off that
// grows with each attempt and honours ctx. fn must leave nothing written
// when it fails (each attempt is one transaction).
func withRetry(ctx context.Context, op string, max int, fn func() error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = fn()
		if err == nil || !retryable(err) {
			return err
		}
		if attempt >= max {
			return &RetryError{Op: op, Attempts: attempt + 1, Err: err}
		}
		wait := time.Duration(1+rand.IntN(1<<min(attempt, 6))) * 500 * time.Microsecond
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("pgstore: %s: %w (while retrying after: %v)", op, ctx.Err(), err)
		case <-t.C:
		}
	}
}
