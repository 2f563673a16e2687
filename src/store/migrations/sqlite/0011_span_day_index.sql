-- Distinct actors of a range whose first day is partial: the actors whose last day of a kind is
-- that first day are found through this index instead of scanning every actor of the kind.
CREATE INDEX actor_spans_day ON actor_spans (kind, last_day);

-- The actors seen since a time with their countries (the actor filter values, actors per
-- country) come from this index alone instead of an actor row each. It replaces actors_seen,
-- its prefix.
DROP INDEX actors_seen;
CREATE INDEX actors_seen ON actors (last_seen, first_seen, country, id);

-- The events of a range with the columns the totals, daily actor counts and actors per country
-- read: the partial days at the ends of a range come from this index alone instead of an index
-- entry and an event row each. It replaces events_detected_at (detected_at, id), its prefix,
-- which keeps serving the event list's order and keyset paging.
DROP INDEX events_detected_at;
CREATE INDEX events_detected_at ON events (detected_at, id, actor, severity, status, category,
                                           sub_category, successful_exploit);
