package pgstore

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/coproduce/sociocracy/circle"
	"github.com/coproduce/sociocracy/store"
)

// inTx sends one pipelined transaction, in one round trip: the
// organisation setting for row-level security, the statements build
// queues (with their result callbacks) and, for writes, BEGIN and COMMIT
// around them. A batch is sent with one Sync, so even without BEGIN its
// statements run in one implicit transaction, which bounds the
// transaction-local setting; each read statement sees the data committed
// when it starts. Writes are run again after a serialization failure or
// deadlock (see withRetry); build and its callbacks must therefore be safe
// to run more than once.
func (d *Driver) inTx(ctx context.Context, op string, org circle.OrgID, write bool, build func(b *pgx.Batch)) error {
	if !write {
		return d.sendTx(ctx, org, false, build)
	}
	return withRetry(ctx, op, d.retries, func() error { return d.sendTx(ctx, org, true, build) })
}

func (d *Driver) sendTx(ctx context.Context, org circle.OrgID, write bool, build func(b *pgx.Batch)) error {
	var bt pgx.Batch
	if write {
		bt.Queue(d.q.begin)
	}
	bt.Queue(d.q.setOrg, org.String())
	build(&bt)
	if write {
		bt.Queue(d.q.commit)
	}
	// The pool releases the connection on Close, and destroys it if a
	// failure left it inside the transaction.
	return d.pool.SendBatch(ctx, &bt).Close()
}

func (d *Driver) checkKey(op string, k store.StreamKey) error {
	if err := d.checkOpen(op); err != nil {
		return err
	}
	return store.ValidateKey(op, k)
}

func (d *Driver) checkOrg(op string, org circle.OrgID) error {
	if err := d.checkOpen(op); err != nil {
		return err
	}
	if org.IsZero() {
		return &store.InvalidError{Op: op, Detail: "no organisation"}
	}
	return nil
}

// ReadStream implements [store.Driver.ReadStream].
func (d *Driver) ReadStream(ctx context.Context, key store.StreamKey, after uint64, limit int) ([]store.Entry, error) {
	const op = "read stream"
	if err := d.checkKey(op, key); err != nil {
		return nil, err
	}
	var (
		found bool
		out   []store.Entry
	)
	org, kind, id := pgUUID(key.Org), string(key.Kind), pgUUID(key.ID)
	err := d.inTx(ctx, op, key.Org, false, func(b *pgx.Batch) {
		b.Queue(d.q.streamVersion, org, kind, id).QueryRow(func(row pgx.Row) error {
			var v uint64
			err := row.Scan(&v)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
		b.Queue(d.q.readStream, org, kind, id, clampSeq(after), limitArg(limit)).Query(func(rows pgx.Rows) error {
			var err error
			out, err = scanEntries(rows, key.Org, limit)
			return err
		})
	})
	if err != nil {
		return nil, translate(ctx, op, err)
	}
	if !found {
		return nil, store.StreamNotFound(key)
	}
	if out == nil {
		out = []store.Entry{}
	}
	return out, nil
}

// Stream implements [store.Driver.Stream].
func (d *Driver) Stream(ctx context.Context, key store.StreamKey) (store.StreamInfo, error) {
	const op = "stream"
	if err := d.checkKey(op, key); err != nil {
		return store.StreamInfo{}, err
	}
	info := store.StreamInfo{Key: key}
	found := false
	err := d.inTx(ctx, op, key.Org, false, func(b *pgx.Batch) {
		b.Queue(d.q.streamInfo, pgUUID(key.Org), string(key.Kind), pgUUID(key.ID)).QueryRow(func(row pgx.Row) error {
			var c pgtype.UUID
			err := row.Scan(&info.Version, &c, &info.Status)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			info.Circle = circle.CircleID(c.Bytes)
			return err
		})
	})
	if err != nil {
		return store.StreamInfo{}, translate(ctx, op, err)
	}
	if !found {
		return store.StreamInfo{}, store.StreamNotFound(key)
	}
	return info, nil
}

// Streams implements [store.Driver.Streams].
func (d *Driver) Streams(ctx context.Context, q store.StreamQuery) ([]store.StreamInfo, error) {
	const op = "streams"
	if err := d.checkOrg(op, q.Org); err != nil {
		return nil, err
	}
	if err := store.ValidateKey(op, store.StreamKey{Org: q.Org, Kind: q.Kind, ID: uuid.UUID{1}}); err != nil {
		return nil, err
	}
	var sql strings.Builder
	sql.WriteString(d.q.streamsBase)
	args := []any{pgUUID(q.Org), string(q.Kind)}
	if !q.Circle.IsZero() {
		args = append(args, pgUUID(q.Circle))
		sql.WriteString(" and circle = $" + strconv.Itoa(len(args)))
	}
	if q.Status != "" {
		args = append(args, q.Status)
		sql.WriteString(" and status = $" + strconv.Itoa(len(args)))
	}
	if q.After != (uuid.UUID{}) {
		args = append(args, pgUUID(q.After))
		sql.WriteString(" and id > $" + strconv.Itoa(len(args)))
	}
	sql.WriteString(" order by id")
	if q.Limit > 0 {
		args = append(args, q.Limit)
		sql.WriteString(" limit $" + strconv.Itoa(len(args)))
	}
	out := []store.StreamInfo{}
	err := d.inTx(ctx, op, q.Org, false, func(b *pgx.Batch) {
		b.Queue(sql.String(), args...).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var id, c pgtype.UUID
				info := store.StreamInfo{Key: store.StreamKey{Org: q.Org, Kind: q.Kind}}
				if err := rows.Scan(&id, &info.Version, &c, &info.Status); err != nil {
					return err
				}
				info.Key.ID = id.Bytes
				info.Circle = circle.CircleID(c.Bytes)
				out = append(out, info)
			}
			return rows.Err()
		})
	})
	if err != nil {
		return nil, translate(ctx, op, err)
	}
	return out, nil
}

// ReadLog implements [store.Driver.ReadLog].
func (d *Driver) ReadLog(ctx context.Context, q store.LogQuery) ([]store.Entry, error) {
	const op = "read log"
	if err := d.checkOrg(op, q.Org); err != nil {
		return nil, err
	}
	var sql strings.Builder
	sql.WriteString(d.q.logBase)
	args := []any{pgUUID(q.Org), clampSeq(q.After)}
	if !q.Circle.IsZero() {
		args = append(args, pgUUID(q.Circle))
		sql.WriteString(" and circle = $" + strconv.Itoa(len(args)))
	}
	if !q.Since.IsZero() {
		args = append(args, microsCeil(q.Since))
		sql.WriteString(" and at_us >= $" + strconv.Itoa(len(args)))
	}
	if !q.Until.IsZero() {
		args = append(args, microsCeil(q.Until))
		sql.WriteString(" and at_us < $" + strconv.Itoa(len(args)))
	}
	sql.WriteString(" order by seq")
	if q.Limit > 0 {
		args = append(args, q.Limit)
		sql.WriteString(" limit $" + strconv.Itoa(len(args)))
	}
	var out []store.Entry
	err := d.inTx(ctx, op, q.Org, false, func(b *pgx.Batch) {
		b.Queue(sql.String(), args...).Query(func(rows pgx.Rows) error {
			var err error
			out, err = scanEntries(rows, q.Org, q.Limit)
			return err
		})
	})
	if err != nil {
		return nil, translate(ctx, op, err)
	}
	if out == nil {
		out = []store.Entry{}
	}
	return out, nil
}

// Head implements [store.Driver.Head].
func (d *Driver) Head(ctx context.Context, org circle.OrgID) (store.Head, error) {
	const op = "head"
	if err := d.checkOrg(op, org); err != nil {
		return store.Head{}, err
	}
	var (
		h    store.Head
		hash []byte
	)
	err := d.inTx(ctx, op, org, false, func(b *pgx.Batch) {
		b.Queue(d.q.head, pgUUID(org)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&h.Seq, &hash)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			return err
		})
	})
	if err != nil {
		return store.Head{}, translate(ctx, op, err)
	}
	if hash != nil {
		if h.Hash, err = toHash(hash); err != nil {
			return store.Head{}, err
		}
	}
	return h, nil
}

// Command implements [store.Driver.Command].
func (d *Driver) Command(ctx context.Context, org circle.OrgID, id store.CommandID) (store.CommandRecord, error) {
	const op = "command"
	if err := d.checkOrg(op, org); err != nil {
		return store.CommandRecord{}, err
	}
	rec := store.CommandRecord{Org: org, ID: id}
	var payload []byte
	found := false
	err := d.inTx(ctx, op, org, false, func(b *pgx.Batch) {
		b.Queue(d.q.command, pgUUID(org), pgUUID(id)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&payload, &rec.First, &rec.Last)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
	})
	if err != nil {
		return store.CommandRecord{}, translate(ctx, op, err)
	}
	if !found {
		return store.CommandRecord{}, &store.NotFoundError{What: "command", Key: id.String()}
	}
	if rec.PayloadHash, err = toHash(payload); err != nil {
		return store.CommandRecord{}, err
	}
	return rec, nil
}

// PutProfile implements [store.Driver.PutProfile].
func (d *Driver) PutProfile(ctx context.Context, org circle.OrgID, person circle.PersonID, data []byte) error {
	const op = "put profile"
	if err := d.checkOrg(op, org); err != nil {
		return err
	}
	if person.IsZero() {
		return &store.InvalidError{Op: op, Detail: "no person"}
	}
	if data == nil {
		data = []byte{}
	}
	err := d.inTx(ctx, op, org, true, func(b *pgx.Batch) {
		b.Queue(d.q.putProfile, pgUUID(org), pgUUID(person), data)
	})
	return translate(ctx, op, err)
}

// Profile implements [store.Driver.Profile].
func (d *Driver) Profile(ctx context.Context, org circle.OrgID, person circle.PersonID) ([]byte, error) {
	const op = "profile"
	if err := d.checkOrg(op, org); err != nil {
		return nil, err
	}
	var data []byte
	found := false
	err := d.inTx(ctx, op, org, false, func(b *pgx.Batch) {
		b.Queue(d.q.profile, pgUUID(org), pgUUID(person)).QueryRow(func(row pgx.Row) error {
			err := row.Scan(&data)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil
			}
			found = err == nil
			return err
		})
	})
	if err != nil {
		return nil, translate(ctx, op, err)
	}
	if !found {
		return nil, &store.NotFoundError{What: "profile", Key: person.String()}
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// EraseProfile implements [store.Driver.EraseProfile]: the row is deleted.
func (d *Driver) EraseProfile(ctx context.Context, org circle.OrgID, person circle.PersonID) error {
	const op = "erase profile"
	if err := d.checkOrg(op, org); err != nil {
		return err
	}
	var n int64
	err := d.inTx(ctx, op, org, true, func(b *pgx.Batch) {
		b.Queue(d.q.eraseProfile, pgUUID(org), pgUUID(person)).Exec(func(ct pgconn.CommandTag) error {
			n = ct.RowsAffected()
			return nil
		})
	})
	if err != nil {
		return translate(ctx, op, err)
	}
	if n == 0 {
		return &store.NotFoundError{What: "profile", Key: person.String()}
	}
	return nil
}

// clampSeq keeps a sequence number or version inside bigint; no stored one
// is larger.
func clampSeq(v uint64) int64 {
	if v > 1<<63-1 {
		return 1<<63 - 1
	}
	return int64(v)
}

func limitArg(limit int) any {
	if limit <= 0 {
		return nil
	}
	return limit
}

// microsCeil returns the smallest whole microsecond at or after t, so that
// "at >= Since" and "at < Until" on microsecond times mean the same as on
// t itself.
func microsCeil(t time.Time) int64 {
	us := t.UnixMicro()
	if time.UnixMicro(us).Before(t) {
		us++
	}
	return us
}

// Profiles implements [store.ProfilesReader]: one query, in one
// transaction, whatever the number of people.
func (d *Driver) Profiles(ctx context.Context, org circle.OrgID, people []circle.PersonID) (map[circle.PersonID][]byte, error) {
	const op = "profiles"
	if err := store.ValidatePeople(op, org, people); err != nil {
		return nil, err
	}
	if err := d.checkOrg(op, org); err != nil {
		return nil, err
	}
	ids := make([]pgtype.UUID, len(people))
	for i, p := range people {
		ids[i] = pgUUID(p)
	}
	out := make(map[circle.PersonID][]byte, len(people))
	err := d.inTx(ctx, op, org, false, func(b *pgx.Batch) {
		b.Queue(d.q.profiles, pgUUID(org), ids).Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var person pgtype.UUID
				var data []byte
				if err := rows.Scan(&person, &data); err != nil {
					return err
				}
				if data == nil {
					data = []byte{}
				}
				out[circle.PersonID(person.Bytes)] = data
			}
			return rows.Err()
		})
	})
	if err != nil {
		return nil, translate(ctx, op, err)
	}
	return out, nil
}
