-- Akto compatibility: a ticket link per event (updateMaliciousEventStatus `jiraTicketUrl`, kept
-- apart from the status so that both can be set together) and who created / last changed a
-- policy through the API (fetchFilterYamlTemplate `author`, `createdAt`, `updatedAt`).
ALTER TABLE events ADD COLUMN ticket_url TEXT NOT NULL DEFAULT '';

CREATE TABLE policy_authors (
  policy_id  TEXT    PRIMARY KEY,
  created_by TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_by TEXT    NOT NULL,
  updated_at INTEGER NOT NULL
);
