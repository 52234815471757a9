-- Schema version 1 of the sociocracy PostgreSQL adapter.
-- Migrate runs this inside one transaction, with search_path set to the
-- adapter's schema, after taking the migration advisory lock.

-- One row per organisation: the head of its log. Every append locks this
-- row first (SELECT ... FOR UPDATE), which serialises the appends of one
-- organisation and never those of two.
CREATE TABLE orgs (
    org       uuid   NOT NULL,
    head_seq  bigint NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
    head_hash bytea  NOT NULL DEFAULT decode(repeat('00', 32), 'hex') CHECK (length(head_hash) = 32),
    CONSTRAINT orgs_pkey PRIMARY KEY (org)
);

-- One row per event stream (aggregate).
CREATE TABLE streams (
    org     uuid   NOT NULL,
    kind    text   NOT NULL CHECK (kind ~ '^[a-z_]{1,32}$'),
    id      uuid   NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    circle  uuid   NOT NULL,
    status  text   NOT NULL CHECK (octet_length(status) <= 32),
    CONSTRAINT streams_pkey PRIMARY KEY (org, kind, id)
);
CREATE INDEX streams_circle_idx ON streams (org, kind, circle, id);
CREATE INDEX streams_status_idx ON streams (org, kind, status, id);

-- The logbook: one row per event, gapless seq per organisation, gapless
-- version per stream, both enforced by constraints. (No foreign key to
-- streams: the adapter writes both in one transaction, and the check cost a
-- quarter of an append.)
CREATE TABLE entries (
    org      uuid    NOT NULL,
    seq      bigint  NOT NULL CHECK (seq >= 1),
    kind     text    NOT NULL,
    stream   uuid    NOT NULL,
    version  bigint  NOT NULL CHECK (version >= 1),
    type     text    NOT NULL CHECK (octet_length(type) BETWEEN 1 AND 128),
    circle   uuid    NOT NULL,
    at_us    bigint  NOT NULL,
    command  uuid    NOT NULL,
    data     bytea   NOT NULL,
    digest   bytea   NOT NULL CHECK (length(digest) = 32),
    redacted boolean NOT NULL DEFAULT false,
    hash     bytea   NOT NULL CHECK (length(hash) = 32),
    CONSTRAINT entries_pkey PRIMARY KEY (org, seq),
    CONSTRAINT entries_stream_version_key UNIQUE (org, kind, stream, version)
);
CREATE INDEX entries_circle_idx ON entries (org, circle, seq);

-- Idempotency records: one per (organisation, command).
CREATE TABLE commands (
    org          uuid   NOT NULL,
    id           uuid   NOT NULL,
    payload_hash bytea  NOT NULL CHECK (length(payload_hash) = 32),
    first_seq    bigint NOT NULL,
    last_seq     bigint NOT NULL,
    CONSTRAINT commands_pkey PRIMARY KEY (org, id)
);

-- Erasable personal profiles, kept apart from the log.
CREATE TABLE profiles (
    org    uuid  NOT NULL,
    person uuid  NOT NULL,
    data   bytea NOT NULL,
    CONSTRAINT profiles_pkey PRIMARY KEY (org, person)
);

-- Snapshots: a cache of an aggregate's state at a stream version.
CREATE TABLE snapshots (
    org     uuid   NOT NULL,
    kind    text   NOT NULL,
    id      uuid   NOT NULL,
    version bigint NOT NULL CHECK (version >= 1),
    data    bytea  NOT NULL,
    CONSTRAINT snapshots_pkey PRIMARY KEY (org, kind, id),
    CONSTRAINT snapshots_stream_fkey FOREIGN KEY (org, kind, id) REFERENCES streams (org, kind, id)
);

-- Row-level security, as defence in depth behind the adapter's own
-- "WHERE org = $1": a session sees and writes only the rows of the
-- organisation named by the transaction-local setting sociocracy.org, which
-- the adapter sets at the start of every transaction. FORCE applies the
-- policy to the table owner too; only superusers and BYPASSRLS roles escape
-- it, so the adapter must connect as a role that is neither.
ALTER TABLE orgs ENABLE ROW LEVEL SECURITY;
ALTER TABLE orgs FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON orgs
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);

ALTER TABLE streams ENABLE ROW LEVEL SECURITY;
ALTER TABLE streams FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON streams
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);

ALTER TABLE entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE entries FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON entries
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);

ALTER TABLE commands ENABLE ROW LEVEL SECURITY;
ALTER TABLE commands FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON commands
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);

ALTER TABLE profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE profiles FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON profiles
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);

ALTER TABLE snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY org_isolation ON snapshots
    USING (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid)
    WITH CHECK (org = NULLIF(current_setting('sociocracy.org', true), '')::uuid);
