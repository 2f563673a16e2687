-- What Warden's own API (/api/v1) keeps: settings, the audit log of changes made through the
-- API, and the indexes its lists and charts need on large stores (bench/api_bench.cc).

-- Settings as key/value text ("jira.baseUrl", "retentionDays"); the API owns the keys.
CREATE TABLE settings (
  key        TEXT    PRIMARY KEY,
  value      TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Every change made through the API: when, who (the API key's name), what, on what.
CREATE TABLE audit_log (
  id     INTEGER PRIMARY KEY,
  at     INTEGER NOT NULL,
  by     TEXT    NOT NULL,
  action TEXT    NOT NULL,  -- "event.update", "key.revoke", ...
  target TEXT    NOT NULL DEFAULT '',
  detail TEXT    NOT NULL DEFAULT '{}'  -- JSON object
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_action ON audit_log (action, at);
