-- Actors per UTC day and event status, with their event, CRITICAL-event and successful-exploit
-- counts, for the totals that count distinct actors over weeks (stats summary, Akto daily actor
-- counts): whole days in a range are read here, the partial days at its ends from `events`. Kept
-- by triggers on events (insert, status/severity/exploit change, delete), as event_days is
-- (0007).

CREATE TABLE actor_days (
  day             INTEGER NOT NULL,  -- UTC midnight, Unix seconds
  status          TEXT    NOT NULL,
  actor           TEXT    NOT NULL,
  events          INTEGER NOT NULL,
  critical_events INTEGER NOT NULL,  -- severity = 4 (CRITICAL)
  exploits        INTEGER NOT NULL,  -- successful_exploit = 1
  PRIMARY KEY (day, status, actor)
) WITHOUT ROWID;

INSERT INTO actor_days (day, status, actor, events, critical_events, exploits)
SELECT (detected_at / 86400) * 86400, status, actor, count(*),
       count(CASE WHEN severity = 4 THEN 1 END),
       count(CASE WHEN successful_exploit = 1 THEN 1 END)
FROM events GROUP BY 1, 2, 3;

CREATE TRIGGER actor_days_insert AFTER INSERT ON events BEGIN
  INSERT INTO actor_days (day, status, actor, events, critical_events, exploits)
  VALUES ((new.detected_at / 86400) * 86400, new.status, new.actor, 1, new.severity = 4,
          new.successful_exploit IS 1)
  ON CONFLICT (day, status, actor) DO UPDATE SET
    events = events + 1,
    critical_events = critical_events + excluded.critical_events,
    exploits = exploits + excluded.exploits;
END;

CREATE TRIGGER actor_days_delete AFTER DELETE ON events BEGIN
  UPDATE actor_days SET events = events - 1,
                        critical_events = critical_events - (old.severity = 4),
                        exploits = exploits - (old.successful_exploit IS 1)
  WHERE day = (old.detected_at / 86400) * 86400 AND status = old.status AND actor = old.actor;
  DELETE FROM actor_days
  WHERE day = (old.detected_at / 86400) * 86400 AND status = old.status AND actor = old.actor
    AND events <= 0;
END;

-- Folding a repeat into an event updates successful_exploit on every write; the WHEN clause
-- keeps the trigger to the updates that move the event between rows or change its counts.
CREATE TRIGGER actor_days_update AFTER UPDATE OF status, severity, successful_exploit, actor,
                                                 detected_at ON events
WHEN old.status IS NOT new.status OR old.severity IS NOT new.severity
  OR (old.successful_exploit IS 1) IS NOT (new.successful_exploit IS 1)
  OR old.actor IS NOT new.actor
  OR (old.detected_at / 86400) IS NOT (new.detected_at / 86400)
BEGIN
  UPDATE actor_days SET events = events - 1,
                        critical_events = critical_events - (old.severity = 4),
                        exploits = exploits - (old.successful_exploit IS 1)
  WHERE day = (old.detected_at / 86400) * 86400 AND status = old.status AND actor = old.actor;
  DELETE FROM actor_days
  WHERE day = (old.detected_at / 86400) * 86400 AND status = old.status AND actor = old.actor
    AND events <= 0;
  INSERT INTO actor_days (day, status, actor, events, critical_events, exploits)
  VALUES ((new.detected_at / 86400) * 86400, new.status, new.actor, 1, new.severity = 4,
          new.successful_exploit IS 1)
  ON CONFLICT (day, status, actor) DO UPDATE SET
    events = events + 1,
    critical_events = critical_events + excluded.critical_events,
    exploits = exploits + excluded.exploits;
END;
