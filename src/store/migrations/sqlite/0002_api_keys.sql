-- API keys. Only the SHA-256 of the secret is stored.
CREATE TABLE api_keys (
  id            TEXT    PRIMARY KEY,
  name          TEXT    NOT NULL,
  role          TEXT    NOT NULL,  -- "viewer" | "sensor" | "analyst" | "admin"
  secret_sha256 TEXT    NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER NOT NULL DEFAULT 0,
  revoked       INTEGER NOT NULL DEFAULT 0
);
