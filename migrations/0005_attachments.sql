-- Attachments (issue 6): resumable upload sessions, their stored parts, and the finished files.
-- Blob contents live in the blob store (DATA_DIR/blobs or R2) under server-generated keys;
-- these rows only name them.

-- One row per file being uploaded; removed once completed-and-attached or cleaned up.
CREATE TABLE uploads (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  -- a member id, or 'guest' for the board's customer
  uploader TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL CHECK (size > 0),
  type TEXT NOT NULL,
  part_size INTEGER NOT NULL,
  part_count INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'completing', 'complete')),
  blob_key TEXT NOT NULL UNIQUE,
  -- the blob store's multipart upload id
  multipart_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- pushed forward by every stored part; an open session past it is abandoned
  expires_at INTEGER NOT NULL
);
CREATE INDEX uploads_board ON uploads (board_id, uploader, status);
CREATE INDEX uploads_expiry ON uploads (expires_at);

CREATE TABLE upload_parts (
  upload_id TEXT NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
  part_number INTEGER NOT NULL,
  size INTEGER NOT NULL,
  etag TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  PRIMARY KEY (upload_id, part_number)
) WITHOUT ROWID;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  -- NULL until the message it was uploaded for is sent
  message_id TEXT REFERENCES messages (id) ON DELETE CASCADE,
  upload_id TEXT NOT NULL UNIQUE,
  uploader TEXT NOT NULL,
  name TEXT NOT NULL,
  size INTEGER NOT NULL,
  type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  blob_key TEXT NOT NULL,
  -- copied from the message when attached: internal-note files never reach the customer
  internal INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  -- contents removed (retention); the row stays as a "file removed" stub
  deleted_at INTEGER
);
CREATE INDEX attachments_board ON attachments (board_id, message_id);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE INDEX attachments_pending ON attachments (created_at) WHERE message_id IS NULL;
