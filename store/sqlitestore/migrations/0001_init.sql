-- Schema 1: streams, the hash-chained log, commands, profiles, snapshots.
-- IDs are 16-byte UUID blobs; a zero blob means "none". Times are Unix
-- microseconds (UTC). Kinds, types and statuses are text.

CREATE TABLE streams (
    org     BLOB    NOT NULL CHECK (length(org) = 16),
    kind    TEXT    NOT NULL CHECK (length(kind) BETWEEN 1 AND 32 AND kind NOT GLOB '*[^a-z_]*'),
    id      BLOB    NOT NULL CHECK (length(id) = 16),
    version INTEGER NOT NULL CHECK (version >= 1),
    circle  BLOB    NOT NULL CHECK (length(circle) = 16),
    status  TEXT    NOT NULL CHECK (length(status) <= 32),
    PRIMARY KEY (org, kind, id)
) WITHOUT ROWID;


CREATE TABLE entries (
    org      BLOB    NOT NULL CHECK (length(org) = 16),
    seq      INTEGER NOT NULL CHECK (seq >= 1),
    kind     TEXT    NOT NULL,
    stream   BLOB    NOT NULL,
    version  INTEGER NOT NULL CHECK (version >= 1),
    type     TEXT    NOT NULL CHECK (length(type) BETWEEN 1 AND 128),
    circle   BLOB    NOT NULL CHECK (length(circle) = 16),
    at       INTEGER NOT NULL,
    command  BLOB    NOT NULL CHECK (length(command) = 16),
    data     BLOB    NOT NULL,
    digest   BLOB    NOT NULL CHECK (length(digest) = 32),
    redacted INTEGER NOT NULL DEFAULT 0 CHECK (redacted IN (0, 1)),
    hash     BLOB    NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (org, seq),
    UNIQUE (org, kind, stream, version),
    FOREIGN KEY (org, kind, stream) REFERENCES streams (org, kind, id)
) WITHOUT ROWID;

CREATE INDEX entries_by_circle ON entries (org, circle, seq);

CREATE TABLE commands (
    org          BLOB    NOT NULL CHECK (length(org) = 16),
    id           BLOB    NOT NULL CHECK (length(id) = 16),
    payload_hash BLOB    NOT NULL CHECK (length(payload_hash) = 32),
    first_seq    INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL CHECK (last_seq >= first_seq),
    PRIMARY KEY (org, id)
) WITHOUT ROWID;

CREATE TABLE profiles (
    org    BLOB NOT NULL CHECK (length(org) = 16),
    person BLOB NOT NULL CHECK (length(person) = 16),
    data   BLOB NOT NULL,
    PRIMARY KEY (org, person)
) WITHOUT ROWID;

CREATE TABLE snapshots (
    org     BLOB    NOT NULL,
    kind    TEXT    NOT NULL,
    id      BLOB    NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    data    BLOB    NOT NULL,
    PRIMARY KEY (org, kind, id),
    FOREIGN KEY (org, kind, id) REFERENCES streams (org, kind, id)
) WITHOUT ROWID;
