-- Threat state: burst folding, aggregated samples and tags on events; suppression rules; the
-- actor score ledger, status log, enriched IPs and hosts; aggregation windows.

-- Events: the newest folded finding, and when a sample was stored (for orphan retention).
ALTER TABLE events ADD COLUMN last_detected_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE samples ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX samples_created_at ON samples (created_at);

-- OWASP API 2023 / OWASP 2021 / CWE tags of each event's policy at detection time.
CREATE TABLE event_tags (
  event_id TEXT NOT NULL,
  scheme   TEXT NOT NULL,  -- "owasp_api_2023" | "owasp_2021" | "cwe"
  tag      TEXT NOT NULL,
  PRIMARY KEY (event_id, scheme, tag)
) WITHOUT ROWID;
CREATE INDEX event_tags_scheme ON event_tags (scheme, tag);

-- The recent samples an AGGREGATED event carries, newest first (position 0).
CREATE TABLE event_samples (
  event_id TEXT    NOT NULL,
  position INTEGER NOT NULL,
  ref_id   TEXT    NOT NULL,
  PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_samples_ref_id ON event_samples (ref_id);

-- Ignores: findings of filter_id on (host, endpoint_template) [from actor] make no event.
CREATE TABLE suppressions (
  id                TEXT    PRIMARY KEY,
  filter_id         TEXT    NOT NULL,
  endpoint_template TEXT    NOT NULL,
  host              TEXT    NOT NULL DEFAULT '',  -- '' = any
  actor             TEXT    NOT NULL DEFAULT '',  -- '' = any
  created_at        INTEGER NOT NULL,
  created_by        TEXT    NOT NULL,
  reason            TEXT    NOT NULL DEFAULT '',
  expires_at        INTEGER NOT NULL DEFAULT 0,   -- 0 = never
  hits              INTEGER NOT NULL DEFAULT 0,   -- findings hidden
  last_hit_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX suppressions_key ON suppressions (filter_id, endpoint_template, host, actor);

-- Actors: the running score (value as of score_at), its last reset, status bookkeeping.
ALTER TABLE actors ADD COLUMN score_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN score_reset_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actors ADD COLUMN status_changed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX actors_status ON actors (status, status_expires_at);

-- Every score contribution, kept: what each event added.
CREATE TABLE actor_score_ledger (
  id                 INTEGER PRIMARY KEY,
  actor              TEXT    NOT NULL,
  event_id           TEXT    NOT NULL,
  at                 INTEGER NOT NULL,
  severity           INTEGER NOT NULL,  -- rank
  successful_exploit INTEGER NOT NULL,
  points             REAL    NOT NULL,
  reason             TEXT    NOT NULL
);
CREATE INDEX actor_score_ledger_actor ON actor_score_ledger (actor, at);
CREATE INDEX actor_score_ledger_event ON actor_score_ledger (event_id);

-- Status changes: when, from → to, why, by whom ("system" or an API key name).
CREATE TABLE actor_status_log (
  id          INTEGER PRIMARY KEY,
  actor       TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  from_status TEXT    NOT NULL,
  to_status   TEXT    NOT NULL,
  expires_at  INTEGER NOT NULL DEFAULT 0,
  comment     TEXT    NOT NULL DEFAULT '',
  by          TEXT    NOT NULL
);
CREATE INDEX actor_status_log_actor ON actor_status_log (actor, at);
CREATE INDEX actor_status_log_at ON actor_status_log (at);

-- What enrichment knew about each IP of an actor.
ALTER TABLE actor_ips ADD COLUMN country TEXT NOT NULL DEFAULT '';
ALTER TABLE actor_ips ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE actor_ips ADD COLUMN region TEXT NOT NULL DEFAULT '';
ALTER TABLE actor_ips ADD COLUMN asn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE actor_ips ADD COLUMN org TEXT NOT NULL DEFAULT '';
ALTER TABLE actor_ips ADD COLUMN ip_type TEXT NOT NULL DEFAULT '';
ALTER TABLE actor_ips ADD COLUMN reputation TEXT NOT NULL DEFAULT '';

-- The hosts an actor called.
CREATE TABLE actor_hosts (
  actor      TEXT    NOT NULL REFERENCES actors (id),
  host       TEXT    NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen  INTEGER NOT NULL,
  PRIMARY KEY (actor, host)
) WITHOUT ROWID;

-- Aggregation windows (behave/windows.h), one row per (actor, policy, rule); `state` is JSON.
CREATE TABLE windows (
  actor      TEXT    NOT NULL,
  policy_id  TEXT    NOT NULL,
  rule       TEXT    NOT NULL,
  state      TEXT    NOT NULL,
  version    INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (actor, policy_id, rule)
) WITHOUT ROWID;
CREATE INDEX windows_updated_at ON windows (updated_at);
