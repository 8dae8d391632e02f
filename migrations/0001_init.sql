-- Orderboard initial schema. Times are epoch milliseconds (INTEGER); calendar dates are
-- 'YYYY-MM-DD' text in the workspace time zone. Every row carries workspace_id so every
-- query can be scoped by tenant.

CREATE TABLE workspaces (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  time_zone TEXT NOT NULL DEFAULT 'Asia/Tokyo',
  locale TEXT NOT NULL DEFAULT 'ja' CHECK (locale IN ('ja', 'en')),
  expiry_days INTEGER NOT NULL DEFAULT 30,
  contact_email TEXT,
  contact_phone TEXT,
  -- JSON array of 'YYYY-MM-DD' company closures (年末年始, お盆) skipped by business-day counting
  closed_days TEXT NOT NULL DEFAULT '[]',
  digest_time TEXT NOT NULL DEFAULT '08:00',
  -- JSON object { status code: label } overriding the default labels
  status_labels TEXT NOT NULL DEFAULT '{}',
  attachment_retention_days INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE members (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
  -- NULL follows the workspace locale
  locale TEXT CHECK (locale IS NULL OR locale IN ('ja', 'en')),
  notify_email INTEGER NOT NULL DEFAULT 1,
  digest_enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL
);
CREATE INDEX members_workspace ON members (workspace_id);

-- The session id itself is never stored, only its SHA-256.
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);

-- Fixed-window counters for throttling (login, guest link guesses, API keys).
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);

CREATE TABLE boards (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  customer_email TEXT NOT NULL,
  dedupe_key TEXT,
  -- RFC 5322 Message-ID given at creation that notifications thread under
  thread_message_id TEXT,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'waiting', 'replied', 'on_hold', 'done', 'closed')),
  next_contact_on TEXT,
  next_contact_time TEXT,
  -- Sort key for "next contact" ordering: boards without a date sort last.
  contact_sort TEXT GENERATED ALWAYS AS
    (coalesce(next_contact_on, '9999-12-31') || coalesce(next_contact_time, '')) VIRTUAL,
  expires_at INTEGER NOT NULL,
  decision_no INTEGER,
  -- last public number handed out (No.1, No.2 …) and a sequence over every message
  last_no INTEGER NOT NULL DEFAULT 0,
  message_seq INTEGER NOT NULL DEFAULT 0,
  -- 'guest' | 'member' | NULL: author of the latest public message (orange marker)
  last_public_author TEXT,
  last_activity_at INTEGER NOT NULL,
  guest_link_version INTEGER NOT NULL DEFAULT 1,
  -- highest public number the customer has seen (read receipts)
  guest_read_no INTEGER NOT NULL DEFAULT 0,
  guest_read_at INTEGER,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX boards_dedupe ON boards (workspace_id, dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX boards_activity ON boards (workspace_id, last_activity_at DESC, id DESC);
CREATE INDEX boards_status_activity ON boards (workspace_id, status, last_activity_at DESC, id DESC);
CREATE INDEX boards_contact ON boards (workspace_id, contact_sort, id);
CREATE INDEX boards_status_contact ON boards (workspace_id, status, contact_sort, id);
CREATE INDEX boards_updated ON boards (workspace_id, updated_at, id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  -- public number; NULL for internal notes
  no INTEGER,
  seq INTEGER NOT NULL,
  internal INTEGER NOT NULL DEFAULT 0,
  author_kind TEXT NOT NULL CHECK (author_kind IN ('member', 'guest', 'api')),
  author_member_id TEXT,
  author_name TEXT NOT NULL,
  body TEXT NOT NULL,
  -- the public number this message confirms as the decision
  decides_no INTEGER,
  -- the phrase that set the board's next contact date, shown to members only
  next_contact_phrase TEXT,
  next_contact_on TEXT,
  next_contact_time TEXT,
  notify_guest INTEGER NOT NULL DEFAULT 1,
  edited_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX messages_board_no ON messages (board_id, no) WHERE no IS NOT NULL;
CREATE UNIQUE INDEX messages_board_seq ON messages (board_id, seq);

-- How far each member has read each board (blue unread marker).
CREATE TABLE board_reads (
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  read_at INTEGER NOT NULL,
  PRIMARY KEY (member_id, board_id)
) WITHOUT ROWID;

-- Frozen record of what was decided: the decided message's text and its SHA-256.
CREATE TABLE decisions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  decision_no INTEGER NOT NULL,
  decided_message_id TEXT NOT NULL,
  confirming_message_id TEXT NOT NULL,
  decided_body TEXT NOT NULL,
  decided_sha256 TEXT NOT NULL,
  decided_by_member_id TEXT,
  decided_by_name TEXT NOT NULL,
  decided_at INTEGER NOT NULL
);
CREATE INDEX decisions_board ON decisions (board_id, decided_at);

CREATE TABLE template_sets (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX template_sets_workspace ON template_sets (workspace_id, position);

CREATE TABLE templates (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  set_id TEXT NOT NULL REFERENCES template_sets (id) ON DELETE CASCADE,
  label TEXT NOT NULL,
  body TEXT NOT NULL,
  status TEXT CHECK (status IS NULL OR status IN ('new', 'waiting', 'replied', 'on_hold', 'done', 'closed')),
  kind TEXT NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'decision')),
  position INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX templates_set ON templates (set_id, position);

-- Side effects (emails, webhooks) written in the same batch as the change they belong to.
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  -- unique per effect: the provider idempotency key, e.g. notify/<message>/<recipient>
  idempotency_key TEXT NOT NULL UNIQUE,
  board_id TEXT,
  message_id TEXT,
  payload TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  locked_until INTEGER,
  provider_id TEXT,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_board ON outbox (board_id, created_at);
