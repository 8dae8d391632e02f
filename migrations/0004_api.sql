-- Shop API (issue 5): API keys, Idempotency-Key records, the first-message claim of boards
-- created through the API, and outgoing webhook endpoints.

-- Only the SHA-256 of a key is stored; `prefix` (ob_live_ + 4 characters) is for display.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  -- 'write' may create and change boards; 'read' may only read (403 on POST/PATCH)
  scope TEXT NOT NULL DEFAULT 'write' CHECK (scope IN ('read', 'write')),
  created_by TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);

-- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header), scoped to the API key. A row
-- is claimed 'in_flight' with INSERT … ON CONFLICT DO NOTHING, so two concurrent repeats can
-- never both run; it becomes 'done' with the response to replay.
CREATE TABLE api_idempotency (
  api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  -- SHA-256 of method, path and body
  fingerprint TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('in_flight', 'done')),
  response_status INTEGER,
  response_body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (api_key_id, key)
) WITHOUT ROWID;
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

-- A board created through the API with `first_message` posts it once: this row is inserted
-- (no ON CONFLICT) in the same batch as the message, so a concurrent or later retry fails the
-- whole batch instead of posting twice.
CREATE TABLE api_first_messages (
  board_id TEXT PRIMARY KEY REFERENCES boards (id) ON DELETE CASCADE,
  -- SHA-256 of the first message's body and template, to tell a retry from a conflict
  fingerprint TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Outgoing webhooks. The secret must be usable for signing, so it is stored — encrypted with
-- a key derived from APP_SECRET (AES-GCM), and shown to the member only once.
CREATE TABLE webhook_endpoints (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url TEXT NOT NULL,
  -- JSON array of event types
  events TEXT NOT NULL,
  secret TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_by TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX webhook_endpoints_workspace ON webhook_endpoints (workspace_id, active);
-- Deliveries are outbox rows (kind 'webhook', idempotency key webhook/<endpoint>/<event>).
CREATE INDEX outbox_kind_workspace ON outbox (workspace_id, kind, created_at);
