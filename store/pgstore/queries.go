package pgstore

import "strings"

// queries holds every statement the driver sends, with the schema already
// in place (as a sanitised identifier), built once per driver.
type queries struct {
	begin, commit, rollback string

	setOrg string

	ensureOrg, lockHead, setHead string

	streamVersion, streamInfo, insertStream, updateStream string
	insertEntry, redact                                   string
	command, insertCommand                                string

	readStream, head string
	// updateStreamChecked is updateStream for a stream whose version was
	// not read under the lock: it fails (division by zero), aborting the
	// transaction, unless the stream was at the expected version ($7).
	updateStreamChecked string
	entryColumns        string
	streamsBase         string
	logBase             string

	putProfile, profile, profiles, eraseProfile, profileCount string
}

// orgSetting is the transaction-local setting the row-level security
// policies read (see migrations/0001_init.sql).
const orgSetting = "sociocracy.org"

func buildQueries(schema string) queries {
	r := strings.NewReplacer("S.", schema+".")
	s := func(q string) string { return r.Replace(q) }
	entryCols := "seq, kind, stream, version, type, circle, at_us, command, data, digest, redacted, hash"
	return queries{
		begin:    "begin isolation level read committed",
		commit:   "commit",
		rollback: "rollback",

		// The organisation the row-level security policies admit, and no
		// sorts: every query of the driver reads in the order of an index
		// (a log page is the next entries of the primary key, a stream's
		// the next of its unique key), and the planner must not trade that
		// for a sort of everything after the page's start because its
		// statistics say a new organisation has few rows (a fresh log
		// of 1,000,000 entries then took over 2.8 s to verify, and a read
		// of one page cost as much as reading the rest of the log).
		setOrg: "select set_config('" + orgSetting + "', $1, true), set_config('enable_sort', 'off', true)",

		ensureOrg: s("insert into S.orgs (org) values ($1) on conflict (org) do nothing"),
		lockHead:  s("select head_seq, head_hash from S.orgs where org = $1 for update"),
		setHead:   s("update S.orgs set head_seq = $2, head_hash = $3 where org = $1"),

		streamVersion: s("select version from S.streams where org = $1 and kind = $2 and id = $3"),
		streamInfo:    s("select version, circle, status from S.streams where org = $1 and kind = $2 and id = $3"),
		insertStream:  s("insert into S.streams (org, kind, id, version, circle, status) values ($1, $2, $3, $4, $5, $6)"),
		updateStream: s(`update S.streams set version = $4,
			circle = coalesce($5, circle), status = coalesce(nullif($6, ''), status)
			where org = $1 and kind = $2 and id = $3`),
		insertEntry: s("insert into S.entries (org, " + entryCols + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"),
		redact:      s("update S.entries set data = $3, redacted = true where org = $1 and seq = $2"),

		command:       s("select payload_hash, first_seq, last_seq from S.commands where org = $1 and id = $2"),
		insertCommand: s("insert into S.commands (org, id, payload_hash, first_seq, last_seq) values ($1, $2, $3, $4, $5)"),

		entryColumns: entryCols,
		readStream: s("select " + entryCols + " from S.entries where org = $1 and kind = $2 and stream = $3 and version > $4" +
			" order by version limit $5"),
		head: s("select head_seq, head_hash from S.orgs where org = $1"),
		updateStreamChecked: s(`with u as (update S.streams set version = $4,
			circle = coalesce($5, circle), status = coalesce(nullif($6, ''), status)
			where org = $1 and kind = $2 and id = $3 and version = $7 returning 1)
			select 1 / (select count(*)::int from u)`),
		streamsBase: s("select id, version, circle, status from S.streams where org = $1 and kind = $2"),
		logBase:     s("select " + entryCols + " from S.entries where org = $1 and seq > $2"),

		putProfile: s(`insert into S.profiles (org, person, data) values ($1, $2, $3)
			on conflict (org, person) do update set data = excluded.data`),
		profile:      s("select data from S.profiles where org = $1 and person = $2"),
		profiles:     s("select person, data from S.profiles where org = $1 and person = any($2)"),
		eraseProfile: s("delete from S.profiles where org = $1 and person = $2"),
		profileCount: s("select count(*) from S.profiles where org = $1 and person = $2"),
	}
}
