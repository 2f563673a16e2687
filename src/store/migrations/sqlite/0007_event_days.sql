-- Event counts per UTC day, policy, status, severity and category, for the charts that count
-- events over weeks (severity and category counts, the activity timeline): whole days in a
-- range are read here, the partial days at its ends from `events`. Kept by triggers on events
-- (insert, status change, delete), as threat_apis is (0006).

CREATE TABLE event_days (
  day          INTEGER NOT NULL,  -- UTC midnight, Unix seconds
  filter_id    TEXT    NOT NULL,
  status       TEXT    NOT NULL,
  severity     INTEGER NOT NULL,
  category     TEXT    NOT NULL,
  sub_category TEXT    NOT NULL,
  events       INTEGER NOT NULL,
  PRIMARY KEY (day, filter_id, status, severity, category, sub_category)
) WITHOUT ROWID;

INSERT INTO event_days (day, filter_id, status, severity, category, sub_category, events)
SELECT (detected_at / 86400) * 86400, filter_id, status, severity, category, sub_category,
       count(*)
FROM events GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER event_days_insert AFTER INSERT ON events BEGIN
  INSERT INTO event_days (day, filter_id, status, severity, category, sub_category, events)
  VALUES ((new.detected_at / 86400) * 86400, new.filter_id, new.status, new.severity,
          new.category, new.sub_category, 1)
  ON CONFLICT (day, filter_id, status, severity, category, sub_category)
  DO UPDATE SET events = events + 1;
END;

CREATE TRIGGER event_days_delete AFTER DELETE ON events BEGIN
  UPDATE event_days SET events = events - 1
  WHERE day = (old.detected_at / 86400) * 86400 AND filter_id = old.filter_id
    AND status = old.status AND severity = old.severity AND category = old.category
    AND sub_category = old.sub_category;
  DELETE FROM event_days
  WHERE day = (old.detected_at / 86400) * 86400 AND filter_id = old.filter_id
    AND status = old.status AND severity = old.severity AND category = old.category
    AND sub_category = old.sub_category AND events <= 0;
END;

CREATE TRIGGER event_days_update AFTER UPDATE OF status, severity, category, sub_category,
                                                 filter_id, detected_at ON events BEGIN
  UPDATE event_days SET events = events - 1
  WHERE day = (old.detected_at / 86400) * 86400 AND filter_id = old.filter_id
    AND status = old.status AND severity = old.severity AND category = old.category
    AND sub_category = old.sub_category;
  DELETE FROM event_days
  WHERE day = (old.detected_at / 86400) * 86400 AND filter_id = old.filter_id
    AND status = old.status AND severity = old.severity AND category = old.category
    AND sub_category = old.sub_category AND events <= 0;
  INSERT INTO event_days (day, filter_id, status, severity, category, sub_category, events)
  VALUES ((new.detected_at / 86400) * 86400, new.filter_id, new.status, new.severity,
          new.category, new.sub_category, 1)
  ON CONFLICT (day, filter_id, status, severity, category, sub_category)
  DO UPDATE SET events = events + 1;
END;
