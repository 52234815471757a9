package pgstore

import "strings"

// queries holds every statement the driver sends, with the schema already
// in place (as a sanitised identifier), built once per driver.
type queries struct {
	begin, commit, rollback string

	setOrg string

	ensureOrg, lockHead, setHead string

	streamVersion, streamInfo, insertStream, updateStream string
	insertEntry, insertEntryAfter, redact                 string
	command, insertCommand                                string

	readStream, head string
	entryColumns     string
	streamsBase      string
	logBase          string

	putProfile, profile, profiles, eraseProfile, profileCount string
}

// lastVersion is the version of stream s: that of its last entry.
const lastVersion = "(select e.version from S.entries e where e.org = s.org and e.kind = s.kind and e.stream = s.id order by e.version desc limit 1)"

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

		// A stream's version is its last entry's (schema 3): a stream
		// exists when it has a row, and its row is written when it starts
		// and when its circle or status changes.
		streamVersion: s("select " + lastVersion + " from S.streams s where s.org = $1 and s.kind = $2 and s.id = $3"),
		streamInfo:    s("select " + lastVersion + ", s.circle, s.status from S.streams s where s.org = $1 and s.kind = $2 and s.id = $3"),
		insertStream:  s("insert into S.streams (org, kind, id, status_version, circle, status) values ($1, $2, $3, $4, $5, $6)"),
		// updateStream returns the row it leaves, so that the driver knows
		// it (see Driver.rows).
		updateStream: s(`update S.streams set status_version = $4,
			circle = coalesce($5, circle), status = coalesce(nullif($6, ''), status)
			where org = $1 and kind = $2 and id = $3 returning circle, status`),
		insertEntry: s("insert into S.entries (org, " + entryCols + ") values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"),
		// insertEntryAfter is insertEntry for the first entry of an append
		// whose stream's version was not read under the lock: the entry of
		// the version expected ($5 - 1) must be stored, or it fails
		// (division by zero), aborting the transaction; its own version
		// being free (the unique key) proves that it is the last.
		insertEntryAfter: s(`with e as (insert into S.entries (org, ` + entryCols + `)
			select $1::uuid, $2::bigint, $3::text, $4::uuid, $5::bigint, $6::text, $7::uuid, $8::bigint, $9::uuid, $10::bytea, $11::bytea, $12::boolean, $13::bytea
			where exists (select 1 from S.entries where org = $1 and kind = $3 and stream = $4 and version = $5 - 1)
			returning 1)
			select 1 / (select count(*)::int from e)`),
		redact: s("update S.entries set data = $3, redacted = true where org = $1 and seq = $2"),

		command:       s("select payload_hash, first_seq, last_seq from S.commands where org = $1 and id = $2"),
		insertCommand: s("insert into S.commands (org, id, payload_hash, first_seq, last_seq) values ($1, $2, $3, $4, $5)"),

		entryColumns: entryCols,
		readStream: s("select " + entryCols + " from S.entries where org = $1 and kind = $2 and stream = $3 and version > $4" +
			" order by version limit $5"),
		head:        s("select head_seq, head_hash from S.orgs where org = $1"),
		streamsBase: s("select s.id, " + lastVersion + ", s.circle, s.status from S.streams s where s.org = $1 and s.kind = $2"),
		logBase:     s("select " + entryCols + " from S.entries where org = $1 and seq > $2"),

		putProfile: s(`insert into S.profiles (org, person, data) values ($1, $2, $3)
			on conflict (org, person) do update set data = excluded.data`),
		profile:      s("select data from S.profiles where org = $1 and person = $2"),
		profiles:     s("select person, data from S.profiles where org = $1 and person = any($2)"),
		eraseProfile: s("delete from S.profiles where org = $1 and person = $2"),
		profileCount: s("select count(*) from S.profiles where org = $1 and person = $2"),
	}
}
