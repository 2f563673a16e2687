-- Traffic rollups, events with their samples, and threat actors.
-- Times are Unix seconds. Enumerations are stored by name (as the API spells them), except
-- severity, which is stored as its rank (1 = LOW .. 4 = CRITICAL) so that it sorts.

-- The API inventory: one row per (collection, host, method, template), created on first sight.
CREATE TABLE endpoints (
  id             INTEGER PRIMARY KEY,
  collection_id  INTEGER NOT NULL,
  host           TEXT    NOT NULL,
  method         TEXT    NOT NULL,
  template       TEXT    NOT NULL,
  first_seen     INTEGER NOT NULL,
  last_seen      INTEGER NOT NULL,
  total_requests INTEGER NOT NULL DEFAULT 0,
  UNIQUE (collection_id, host, method, template)
);
CREATE INDEX endpoints_last_seen ON endpoints (last_seen);

-- Per-minute traffic of one endpoint. Writes add deltas.
CREATE TABLE endpoint_rollups (
  endpoint_id  INTEGER NOT NULL REFERENCES endpoints (id),
  minute       INTEGER NOT NULL,
  requests     INTEGER NOT NULL DEFAULT 0,
  status_2xx   INTEGER NOT NULL DEFAULT 0,
  status_3xx   INTEGER NOT NULL DEFAULT 0,
  status_4xx   INTEGER NOT NULL DEFAULT 0,
  status_5xx   INTEGER NOT NULL DEFAULT 0,
  status_other INTEGER NOT NULL DEFAULT 0,
  bytes_in     INTEGER NOT NULL DEFAULT 0,
  bytes_out    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (endpoint_id, minute)
) WITHOUT ROWID;
CREATE INDEX endpoint_rollups_minute ON endpoint_rollups (minute);

-- Per-minute calls of one actor to one endpoint. Writes add deltas.
CREATE TABLE actor_calls (
  actor       TEXT    NOT NULL,
  endpoint_id INTEGER NOT NULL REFERENCES endpoints (id),
  minute      INTEGER NOT NULL,
  requests    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (actor, endpoint_id, minute)
) WITHOUT ROWID;
CREATE INDEX actor_calls_endpoint ON actor_calls (endpoint_id, minute);
CREATE INDEX actor_calls_minute ON actor_calls (minute);

-- Raw samples behind events, keyed by Event::ref_id. Several events may share one sample.
CREATE TABLE samples (
  ref_id  TEXT PRIMARY KEY,
  payload TEXT NOT NULL
);

-- Threat events (Akto malicious events). The sample lives in `samples`.
CREATE TABLE events (
  id                 TEXT    PRIMARY KEY,
  ref_id             TEXT    NOT NULL,
  actor              TEXT    NOT NULL,
  filter_id          TEXT    NOT NULL,
  url                TEXT    NOT NULL,
  endpoint_template  TEXT    NOT NULL,
  method             TEXT    NOT NULL,
  host               TEXT    NOT NULL,
  ip                 TEXT    NOT NULL,
  country            TEXT    NOT NULL,
  collection_id      INTEGER NOT NULL,
  detection_type     TEXT    NOT NULL,  -- "Rule-Based" | "Anomaly"
  event_type         TEXT    NOT NULL,  -- "SINGLE" | "AGGREGATED"
  category           TEXT    NOT NULL,
  sub_category       TEXT    NOT NULL,
  severity           INTEGER NOT NULL,  -- rank
  location           TEXT    NOT NULL,
  matched            TEXT    NOT NULL,
  metadata           TEXT    NOT NULL,
  detected_at        INTEGER NOT NULL,
  status             TEXT    NOT NULL,  -- "ACTIVE" | "UNDER_REVIEW" | "IGNORED" | "TRAINING"
  successful_exploit INTEGER,           -- 0/1; NULL = not recorded
  count              INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX events_detected_at ON events (detected_at, id);
CREATE INDEX events_actor ON events (actor, detected_at, id);
CREATE INDEX events_filter_id ON events (filter_id, detected_at);
CREATE INDEX events_url ON events (url);
CREATE INDEX events_template ON events (endpoint_template);
CREATE INDEX events_host ON events (host, detected_at);
CREATE INDEX events_status ON events (status, detected_at);
CREATE INDEX events_severity ON events (severity, detected_at);
CREATE INDEX events_ip ON events (ip);
CREATE INDEX events_ref_id ON events (ref_id);
CREATE INDEX events_endpoint ON events (collection_id, host, method, endpoint_template, detected_at);

-- Threat actors: one row per actor id, maintained by upserts from ActorTouch.
CREATE TABLE actors (
  id                  TEXT    PRIMARY KEY,
  kind                TEXT    NOT NULL,  -- "ip" | "user"
  latest_ip           TEXT    NOT NULL DEFAULT '',
  country             TEXT    NOT NULL DEFAULT '',
  first_seen          INTEGER NOT NULL,
  last_seen           INTEGER NOT NULL,
  latest_api_endpoint TEXT    NOT NULL DEFAULT '',
  latest_api_method   TEXT    NOT NULL DEFAULT '',
  latest_api_host     TEXT    NOT NULL DEFAULT '',
  latest_attack       TEXT    NOT NULL DEFAULT '',
  latest_sub_category TEXT    NOT NULL DEFAULT '',
  max_severity        INTEGER NOT NULL DEFAULT 1,  -- rank
  event_count         INTEGER NOT NULL DEFAULT 0,
  score               REAL    NOT NULL DEFAULT 0,
  threat_level        TEXT    NOT NULL DEFAULT 'LOW',
  status              TEXT    NOT NULL DEFAULT 'ACTIVE',
  status_expires_at   INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actors_first_seen ON actors (first_seen, id);
CREATE INDEX actors_last_seen ON actors (last_seen);
CREATE INDEX actors_country ON actors (country);

-- Every IP an actor was seen from.
CREATE TABLE actor_ips (
  actor      TEXT    NOT NULL REFERENCES actors (id),
  ip         TEXT    NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (actor, ip)
) WITHOUT ROWID;
CREATE INDEX actor_ips_ip ON actor_ips (ip);
