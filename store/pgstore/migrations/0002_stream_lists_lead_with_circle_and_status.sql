-- Schema version 2: the indexes that list a kind's streams by circle or by
-- status lead with the circle or the status. Led by (org, kind) they
-- competed with the primary key for a lookup of one stream: without
-- statistics (a new table, or many writes since the last ANALYZE) the
-- planner took streams_status_idx for "org = $1 and kind = $2 and id = $3"
-- and scanned every stream of the kind, on every act.
DROP INDEX streams_circle_idx;
CREATE INDEX streams_circle_idx ON streams (circle, org, kind, id);
DROP INDEX streams_status_idx;
CREATE INDEX streams_status_idx ON streams (status, org, kind, id);
