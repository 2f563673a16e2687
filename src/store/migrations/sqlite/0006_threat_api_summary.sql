-- The APIs-under-threat lists (Akto fetchThreatApis, /api/v1/endpoints/threats) without a filter
-- group every event by endpoint and count distinct actors: seconds on a million events. These
-- tables keep that grouping up to date instead, one row per endpoint (and per endpoint and
-- actor, and per endpoint and policy). Triggers on `events` maintain them, so every write path
-- (pipeline batches, folds, retention, deletes) keeps them exact without knowing about them.
-- Filtered lists still read `events`. bench/api_bench.cc measures both.

CREATE TABLE threat_apis (
  collection_id  INTEGER NOT NULL,
  host           TEXT    NOT NULL,
  method         TEXT    NOT NULL,
  template       TEXT    NOT NULL,
  first_at       INTEGER NOT NULL,  -- oldest event
  last_at        INTEGER NOT NULL,  -- newest event
  last_event_id  TEXT    NOT NULL,  -- the newest event (ties: the greatest id), for last_filter_id
  last_filter_id TEXT    NOT NULL,
  events         INTEGER NOT NULL,
  detections     INTEGER NOT NULL,  -- sum of events.count
  actors         INTEGER NOT NULL,  -- rows in threat_api_actors
  PRIMARY KEY (collection_id, host, method, template)
) WITHOUT ROWID;

CREATE TABLE threat_api_actors (
  collection_id INTEGER NOT NULL,
  host          TEXT    NOT NULL,
  method        TEXT    NOT NULL,
  template      TEXT    NOT NULL,
  actor         TEXT    NOT NULL,
  events        INTEGER NOT NULL,
  PRIMARY KEY (collection_id, host, method, template, actor)
) WITHOUT ROWID;

CREATE TABLE threat_api_rules (
  collection_id INTEGER NOT NULL,
  host          TEXT    NOT NULL,
  method        TEXT    NOT NULL,
  template      TEXT    NOT NULL,
  filter_id     TEXT    NOT NULL,
  events        INTEGER NOT NULL,
  PRIMARY KEY (collection_id, host, method, template, filter_id)
) WITHOUT ROWID;

-- What is already stored (before the triggers exist, so nothing is counted twice).
INSERT INTO threat_apis (collection_id, host, method, template, first_at, last_at, last_event_id,
                         last_filter_id, events, detections, actors)
SELECT collection_id, host, method, endpoint_template, min(detected_at), max(detected_at), '', '',
       count(*), sum(count), count(DISTINCT actor)
FROM events GROUP BY collection_id, host, method, endpoint_template;

UPDATE threat_apis SET (last_event_id, last_filter_id) = (
  SELECT e.id, e.filter_id FROM events e
  WHERE e.collection_id = threat_apis.collection_id AND e.host = threat_apis.host
    AND e.method = threat_apis.method AND e.endpoint_template = threat_apis.template
  ORDER BY e.detected_at DESC, e.id DESC LIMIT 1);

INSERT INTO threat_api_actors (collection_id, host, method, template, actor, events)
SELECT collection_id, host, method, endpoint_template, actor, count(*)
FROM events GROUP BY collection_id, host, method, endpoint_template, actor;

INSERT INTO threat_api_rules (collection_id, host, method, template, filter_id, events)
SELECT collection_id, host, method, endpoint_template, filter_id, count(*)
FROM events GROUP BY collection_id, host, method, endpoint_template, filter_id;

CREATE TRIGGER threat_apis_event_insert AFTER INSERT ON events BEGIN
  INSERT INTO threat_apis (collection_id, host, method, template, first_at, last_at,
                           last_event_id, last_filter_id, events, detections, actors)
  VALUES (new.collection_id, new.host, new.method, new.endpoint_template, new.detected_at,
          new.detected_at, new.id, new.filter_id, 1, new.count, 0)
  ON CONFLICT (collection_id, host, method, template) DO UPDATE SET
    first_at = min(first_at, excluded.first_at),
    last_event_id = CASE WHEN excluded.last_at > last_at OR
                              (excluded.last_at = last_at AND excluded.last_event_id > last_event_id)
                         THEN excluded.last_event_id ELSE last_event_id END,
    last_filter_id = CASE WHEN excluded.last_at > last_at OR
                               (excluded.last_at = last_at AND excluded.last_event_id > last_event_id)
                          THEN excluded.last_filter_id ELSE last_filter_id END,
    last_at = max(last_at, excluded.last_at),
    events = events + 1,
    detections = detections + excluded.detections;
  INSERT INTO threat_api_actors (collection_id, host, method, template, actor, events)
  VALUES (new.collection_id, new.host, new.method, new.endpoint_template, new.actor, 1)
  ON CONFLICT (collection_id, host, method, template, actor) DO UPDATE SET events = events + 1;
  INSERT INTO threat_api_rules (collection_id, host, method, template, filter_id, events)
  VALUES (new.collection_id, new.host, new.method, new.endpoint_template, new.filter_id, 1)
  ON CONFLICT (collection_id, host, method, template, filter_id) DO UPDATE SET events = events + 1;
END;

-- A new (endpoint, actor) pair is one more distinct actor; a removed one is one fewer.
CREATE TRIGGER threat_api_actors_insert AFTER INSERT ON threat_api_actors BEGIN
  UPDATE threat_apis SET actors = actors + 1
  WHERE collection_id = new.collection_id AND host = new.host AND method = new.method
    AND template = new.template;
END;

CREATE TRIGGER threat_api_actors_delete AFTER DELETE ON threat_api_actors BEGIN
  UPDATE threat_apis SET actors = actors - 1
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.template;
END;

-- Folded findings add to an event's count.
CREATE TRIGGER threat_apis_event_count AFTER UPDATE OF count ON events BEGIN
  UPDATE threat_apis SET detections = detections + new.count - old.count
  WHERE collection_id = new.collection_id AND host = new.host AND method = new.method
    AND template = new.endpoint_template;
END;

-- Deleted events (retention): counts go down, rows at zero go, and the oldest / newest event is
-- looked up again when the deleted one was it (an index seek on events_endpoint).
CREATE TRIGGER threat_apis_event_delete AFTER DELETE ON events BEGIN
  UPDATE threat_api_actors SET events = events - 1
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND actor = old.actor;
  DELETE FROM threat_api_actors
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND actor = old.actor AND events <= 0;
  UPDATE threat_api_rules SET events = events - 1
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND filter_id = old.filter_id;
  DELETE FROM threat_api_rules
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND filter_id = old.filter_id AND events <= 0;
  UPDATE threat_apis SET events = events - 1, detections = detections - old.count
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template;
  DELETE FROM threat_apis
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND events <= 0;
  UPDATE threat_apis SET first_at = (
    SELECT min(e.detected_at) FROM events e
    WHERE e.collection_id = old.collection_id AND e.host = old.host AND e.method = old.method
      AND e.endpoint_template = old.endpoint_template)
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND first_at = old.detected_at;
  UPDATE threat_apis SET (last_at, last_event_id, last_filter_id) = (
    SELECT e.detected_at, e.id, e.filter_id FROM events e
    WHERE e.collection_id = old.collection_id AND e.host = old.host AND e.method = old.method
      AND e.endpoint_template = old.endpoint_template
    ORDER BY e.detected_at DESC, e.id DESC LIMIT 1)
  WHERE collection_id = old.collection_id AND host = old.host AND method = old.method
    AND template = old.endpoint_template AND last_event_id = old.id;
END;

-- The filtered lists group events by endpoint: with the actor, policy and count in the index
-- they never touch the table.
CREATE INDEX events_endpoint_cover ON events (collection_id, host, method, endpoint_template,
                                              detected_at, actor, filter_id, count);
DROP INDEX events_endpoint;
