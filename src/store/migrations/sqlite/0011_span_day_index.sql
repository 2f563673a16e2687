-- Distinct actors of a range whose first day is partial: the actors whose last day of a kind is
-- that first day are found through this index instead of scanning every actor of the kind.
CREATE INDEX actor_spans_day ON actor_spans (kind, last_day);

-- The actors seen since a time with their countries (the actor filter values, actors per
-- country) come from this index alone instead of an actor row each. It replaces actors_seen,
-- its prefix.
DROP INDEX actors_seen;
CREATE INDEX actors_seen ON actors (last_seen, first_seen, country, id);
