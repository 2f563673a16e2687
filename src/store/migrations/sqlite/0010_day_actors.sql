-- Distinct actors over weeks without counting them row by row.
--
-- day_actors: per UTC day, the distinct actors with an event that day (any status), those with a
-- CRITICAL event, and the day's event and successful-exploit totals. Daily actor counts read
-- one row per day instead of counting actor_days.
--
-- actor_spans: per actor and kind, the last UTC day with an event of that kind: '*' (any event),
-- 'CRITICAL' (a CRITICAL event) or an event status. The distinct actors of a range that reaches
-- the newest event are the actors whose last day of the kind is inside it, counted per day in
-- span_days.
--
-- Both are kept by triggers on actor_days (0009), which triggers on events keep, so every write
-- path (batches, folds, status changes, retention) keeps them exact. actor_days_actor finds an
-- actor's other rows of a day and its last day again when one goes; the triggers name it
-- (INDEXED BY) because inside them the planner walked the whole day by primary key instead,
-- which made writing an event several times dearer.

CREATE INDEX actor_days_actor ON actor_days (actor, day);

CREATE TABLE day_actors (
  day             INTEGER PRIMARY KEY,  -- UTC midnight, Unix seconds
  actors          INTEGER NOT NULL,
  critical_actors INTEGER NOT NULL,
  events          INTEGER NOT NULL,
  exploits        INTEGER NOT NULL
);

CREATE TABLE actor_spans (
  kind     TEXT    NOT NULL,  -- '*', 'CRITICAL' or an event status
  actor    TEXT    NOT NULL,
  last_day INTEGER NOT NULL,
  PRIMARY KEY (kind, actor)
) WITHOUT ROWID;

-- Actors per kind and last day: counting the actors whose last day is in a range reads a row
-- per day instead of an index entry per actor. Kept by triggers on actor_spans.
CREATE TABLE span_days (
  kind     TEXT    NOT NULL,
  last_day INTEGER NOT NULL,
  actors   INTEGER NOT NULL,
  PRIMARY KEY (kind, last_day)
) WITHOUT ROWID;

INSERT INTO day_actors (day, actors, critical_actors, events, exploits)
SELECT day, count(DISTINCT actor), count(DISTINCT CASE WHEN critical_events > 0 THEN actor END),
       sum(events), sum(exploits)
FROM actor_days GROUP BY day;

INSERT INTO actor_spans (kind, actor, last_day)
SELECT '*', actor, max(day) FROM actor_days GROUP BY actor;
INSERT INTO actor_spans (kind, actor, last_day)
SELECT status, actor, max(day) FROM actor_days GROUP BY status, actor;
INSERT INTO actor_spans (kind, actor, last_day)
SELECT 'CRITICAL', actor, max(day) FROM actor_days WHERE critical_events > 0 GROUP BY actor;

INSERT INTO span_days (kind, last_day, actors)
SELECT kind, last_day, count(*) FROM actor_spans GROUP BY kind, last_day;

CREATE TRIGGER span_days_insert AFTER INSERT ON actor_spans BEGIN
  INSERT INTO span_days (kind, last_day, actors) VALUES (new.kind, new.last_day, 1)
  ON CONFLICT (kind, last_day) DO UPDATE SET actors = actors + 1;
END;

CREATE TRIGGER span_days_update AFTER UPDATE OF last_day ON actor_spans
WHEN old.last_day IS NOT new.last_day BEGIN
  UPDATE span_days SET actors = actors - 1 WHERE kind = old.kind AND last_day = old.last_day;
  DELETE FROM span_days WHERE kind = old.kind AND last_day = old.last_day AND actors <= 0;
  INSERT INTO span_days (kind, last_day, actors) VALUES (new.kind, new.last_day, 1)
  ON CONFLICT (kind, last_day) DO UPDATE SET actors = actors + 1;
END;

CREATE TRIGGER span_days_delete AFTER DELETE ON actor_spans BEGIN
  UPDATE span_days SET actors = actors - 1 WHERE kind = old.kind AND last_day = old.last_day;
  DELETE FROM span_days WHERE kind = old.kind AND last_day = old.last_day AND actors <= 0;
END;

-- A new (day, status, actor) row: a new actor of the day unless it has a row of another status
-- that day; likewise for CRITICAL.
CREATE TRIGGER day_actors_insert AFTER INSERT ON actor_days BEGIN
  INSERT INTO day_actors (day, actors, critical_actors, events, exploits)
  VALUES (new.day,
          NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
              WHERE d.actor = new.actor AND d.day = new.day
                      AND d.status <> new.status),
          new.critical_events > 0 AND
          NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
              WHERE d.actor = new.actor AND d.day = new.day
                      AND d.status <> new.status AND d.critical_events > 0),
          new.events, new.exploits)
  ON CONFLICT (day) DO UPDATE SET
    actors = actors + excluded.actors,
    critical_actors = critical_actors + excluded.critical_actors,
    events = events + excluded.events,
    exploits = exploits + excluded.exploits;
  INSERT INTO actor_spans (kind, actor, last_day) VALUES ('*', new.actor, new.day)
  ON CONFLICT (kind, actor) DO UPDATE SET last_day = max(last_day, excluded.last_day);
  INSERT INTO actor_spans (kind, actor, last_day) VALUES (new.status, new.actor, new.day)
  ON CONFLICT (kind, actor) DO UPDATE SET last_day = max(last_day, excluded.last_day);
  INSERT INTO actor_spans (kind, actor, last_day)
  SELECT 'CRITICAL', new.actor, new.day WHERE new.critical_events > 0
  ON CONFLICT (kind, actor) DO UPDATE SET last_day = max(last_day, excluded.last_day);
END;

-- Counts of a row change (actor_days rows never change key): the day's totals move (every event
-- written runs this, so it is one update by key) ...
CREATE TRIGGER day_actors_update AFTER UPDATE OF events, exploits ON actor_days
WHEN old.events IS NOT new.events OR old.exploits IS NOT new.exploits BEGIN
  UPDATE day_actors SET events = events + new.events - old.events,
                        exploits = exploits + new.exploits - old.exploits
  WHERE day = new.day;
END;

-- ... and when the row starts or stops having CRITICAL events, the actor starts or stops counting
-- as CRITICAL that day unless another row of the day says so, and its last CRITICAL day moves.
CREATE TRIGGER day_actors_critical AFTER UPDATE OF critical_events ON actor_days
WHEN (old.critical_events > 0) IS NOT (new.critical_events > 0) BEGIN
  UPDATE day_actors SET
    critical_actors = critical_actors +
      ((new.critical_events > 0) - (old.critical_events > 0)) *
      NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
          WHERE d.actor = new.actor AND d.day = new.day
                  AND d.status <> new.status AND d.critical_events > 0)
  WHERE day = new.day;
  INSERT INTO actor_spans (kind, actor, last_day)
  SELECT 'CRITICAL', new.actor, new.day WHERE new.critical_events > 0
  ON CONFLICT (kind, actor) DO UPDATE SET last_day = max(last_day, excluded.last_day);
  DELETE FROM actor_spans
  WHERE kind = 'CRITICAL' AND actor = new.actor AND new.critical_events <= 0
    AND NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
        WHERE d.actor = new.actor AND d.critical_events > 0);
  UPDATE actor_spans SET last_day = (SELECT max(d.day) FROM actor_days d INDEXED BY actor_days_actor
                                     WHERE d.actor = new.actor AND d.critical_events > 0)
  WHERE kind = 'CRITICAL' AND actor = new.actor AND last_day = new.day
    AND new.critical_events <= 0;
END;

-- A row goes (its events reached zero): the reverse of the insert, and the actor's last day of
-- each kind is looked up again when it was this row's day; kinds with no row left go.
CREATE TRIGGER day_actors_delete AFTER DELETE ON actor_days BEGIN
  UPDATE day_actors SET
    actors = actors -
      NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
          WHERE d.actor = old.actor AND d.day = old.day),
    critical_actors = critical_actors -
      (old.critical_events > 0 AND
       NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
           WHERE d.actor = old.actor AND d.day = old.day
                   AND d.critical_events > 0)),
    events = events - old.events,
    exploits = exploits - old.exploits
  WHERE day = old.day;
  DELETE FROM day_actors WHERE day = old.day AND actors <= 0 AND events <= 0;
  DELETE FROM actor_spans
  WHERE kind = '*' AND actor = old.actor
    AND NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
        WHERE d.actor = old.actor);
  UPDATE actor_spans SET last_day = (SELECT max(d.day) FROM actor_days d INDEXED BY actor_days_actor
      WHERE d.actor = old.actor)
  WHERE kind = '*' AND actor = old.actor AND last_day = old.day;
  DELETE FROM actor_spans
  WHERE kind = old.status AND actor = old.actor
    AND NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
        WHERE d.actor = old.actor AND d.status = old.status);
  UPDATE actor_spans SET last_day = (SELECT max(d.day) FROM actor_days d INDEXED BY actor_days_actor
                                     WHERE d.actor = old.actor AND d.status = old.status)
  WHERE kind = old.status AND actor = old.actor AND last_day = old.day;
  DELETE FROM actor_spans
  WHERE kind = 'CRITICAL' AND actor = old.actor AND old.critical_events > 0
    AND NOT EXISTS (SELECT 1 FROM actor_days d INDEXED BY actor_days_actor
        WHERE d.actor = old.actor AND d.critical_events > 0);
  UPDATE actor_spans SET last_day = (SELECT max(d.day) FROM actor_days d INDEXED BY actor_days_actor
                                     WHERE d.actor = old.actor AND d.critical_events > 0)
  WHERE kind = 'CRITICAL' AND actor = old.actor AND last_day = old.day AND old.critical_events > 0;
END;
