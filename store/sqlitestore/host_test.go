package sqlitestore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/coproduce/sociocracy/store"
	"github.com/coproduce/sociocracy/store/sqlitestore"
	"github.com/coproduce/sociocracy/store/storetest"
)

func hostDB(t testing.TB, dsn string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func newOnHostDB(t testing.TB, db *sql.DB) *sqlitestore.Driver {
	t.Helper()
	ctx := context.Background()
	d, err := sqlitestore.New(ctx, db, nil)
	require.NoError(t, err)
	require.NoError(t, d.Migrate(ctx))
	t.Cleanup(func() { _ = d.Close() })
	return d
}

// The whole contract holds on a driver over the host's own *sql.DB.
func TestConformanceOnTheHostsDB(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Driver {
		return newOnHostDB(t, hostDB(t, sqlitestore.DSN(filepath.Join(t.TempDir(), "host.db"), nil)))
	})
}

func TestNewLeavesTheHostsDBOpenAndItsTablesAlone(t *testing.T) {
	ctx := context.Background()
	db := hostDB(t, sqlitestore.DSN(filepath.Join(t.TempDir(), "host.db"), nil))
	_, err := db.Exec(`CREATE TABLE host_rota (day TEXT NOT NULL)`)
	require.NoError(t, err)
	d := newOnHostDB(t, db)
	key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	_, err = d.Append(ctx, storetest.One(key, 0, storetest.Records(2, "h")...))
	require.NoError(t, err)
	require.NoError(t, d.Close())
	require.NoError(t, db.PingContext(ctx), "Close leaves the host's handle open")
	_, err = db.Exec(`INSERT INTO host_rota (day) VALUES ('friday')`)
	require.NoError(t, err)
	var n int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM entries`).Scan(&n))
	assert.Equal(t, 2, n)
}

// A handle without one of the settings is refused with a typed error
// naming it.
func TestNewRefusesAHandleWithoutTheSettings(t *testing.T) {
	ctx := context.Background()
	full := map[string]string{
		"journal_mode":  "journal_mode(WAL)",
		"synchronous":   "synchronous(FULL)",
		"foreign_keys":  "foreign_keys(1)",
		"secure_delete": "secure_delete(1)",
		"busy_timeout":  "busy_timeout(5000)",
	}
	wrong := map[string]string{
		"journal_mode":  "journal_mode(DELETE)",
		"synchronous":   "synchronous(NORMAL)",
		"foreign_keys":  "foreign_keys(0)",
		"secure_delete": "secure_delete(0)",
		"busy_timeout":  "busy_timeout(0)",
	}
	for setting := range full {
		t.Run(setting, func(t *testing.T) {
			q := url.Values{}
			for s, p := range full {
				if s == setting {
					p = wrong[s]
				}
				q.Add("_pragma", p)
			}
			db := hostDB(t, "file:"+filepath.Join(t.TempDir(), "bad.db")+"?"+q.Encode())
			_, err := sqlitestore.New(ctx, db, nil)
			require.ErrorIs(t, err, sqlitestore.ErrUnsuitableDB)
			var se *sqlitestore.SettingError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, setting, se.Setting)
			assert.True(t, strings.HasPrefix(err.Error(), "sqlitestore: "), err.Error())
			assert.Contains(t, err.Error(), "_pragma=", "the message says what to set")
		})
	}
	t.Run("synchronous EXTRA is enough", func(t *testing.T) {
		dsn := strings.Replace(sqlitestore.DSN(filepath.Join(t.TempDir(), "x.db"), nil), "synchronous%28FULL%29", "synchronous%28EXTRA%29", 1)
		require.Contains(t, dsn, "EXTRA")
		_, err := sqlitestore.New(ctx, hostDB(t, dsn), nil)
		assert.NoError(t, err)
	})
	t.Run("another database driver", func(t *testing.T) {
		db := sql.OpenDB(fakeConnector{})
		defer db.Close()
		_, err := sqlitestore.New(ctx, db, nil)
		var se *sqlitestore.SettingError
		require.ErrorAs(t, err, &se)
		assert.Equal(t, "driver", se.Setting)
	})
	_, err := sqlitestore.New(ctx, nil, nil)
	assert.ErrorIs(t, err, store.ErrInvalid)
}

type fakeConnector struct{}

func (fakeConnector) Connect(context.Context) (driver.Conn, error) { return nil, errors.New("fake") }
func (fakeConnector) Driver() driver.Driver                        { return fakeDriver{} }

type fakeDriver struct{}

func (fakeDriver) Open(string) (driver.Conn, error) { return nil, errors.New("fake") }

// Two drivers over two handles of one file without _txlock=immediate (two
// processes, as far as SQLite can tell), their writers reading then
// appending on one stream: each write transaction takes the write lock
// before its first read, so no read goes stale and none fails.
func TestTwoHandlesWithoutTxlockShareAStream(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "two.db")
	dsn := strings.Replace(sqlitestore.DSN(path, nil), "&_txlock=immediate", "", 1)
	require.NotContains(t, dsn, "_txlock")
	a := newOnHostDB(t, hostDB(t, dsn))
	b := newOnHostDB(t, hostDB(t, dsn))
	key := storetest.NewKey(storetest.NewOrg(), store.KindConsent)
	var wg sync.WaitGroup
	const per = 16
	errs := make([]error, 2*per)
	for i := range errs {
		d := a
		if i%2 == 1 {
			d = b
		}
		wg.Go(func() {
			_, errs[i] = d.AppendLocked(ctx, key.Org, func(ctx context.Context, r store.Reader) (*store.Batch, error) {
				var v uint64
				info, err := r.Stream(ctx, key)
				switch {
				case err == nil:
					v = info.Version
				case !errors.Is(err, store.ErrNotFound):
					return nil, err
				}
				return storetest.One(key, v, storetest.Records(1, fmt.Sprintf("w%d", i))...), nil
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "writer %d", i)
	}
	info, err := a.Stream(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, uint64(2*per), info.Version)
}
