-- Schema 2: a stream's version is the greatest version among its entries,
-- read through the entries' UNIQUE (org, kind, stream, version) index. The
-- stream's row is written when the stream begins and when its circle or
-- status changes, not on every append, and status_version is the version
-- it was last written at. (An append to a stream is checked by its first
-- entry: the version it expects must be stored, and the next one free.)
ALTER TABLE streams RENAME COLUMN version TO status_version;
