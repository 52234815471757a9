-- Schema version 3: a stream's version is that of its last entry, read
-- through entries_stream_version_key, and no longer kept in its row. An
-- act used to rewrite its stream's row only to move the version on, which
-- cost a fifth of the act; the row is now written when the stream starts
-- and when its circle or status changes. status_version records the
-- version the row was last written at (for a reader of the tables; the
-- adapter does not read it). A copy of the adapter at schema 2 refuses a
-- schema migrated to 3 rather than read a version that no longer moves.
ALTER TABLE streams RENAME COLUMN version TO status_version;
