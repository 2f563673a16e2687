-- Counting actors active in a time range (fetchThreatActors' startTs / endTs, the /api/v1/actors
-- range) reads last_seen and first_seen from this index alone instead of every actor row.
-- It replaces actors_last_seen, its prefix.
CREATE INDEX actors_seen ON actors (last_seen, first_seen);
DROP INDEX actors_last_seen;
