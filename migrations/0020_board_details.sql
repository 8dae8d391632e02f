-- The decision both sides can trust, and details that can be corrected (issue #15, points 4 and 5).

-- The decided message's files as they were when it was decided: a JSON array of
-- { "id", "name", "size", "sha256" }. NULL on decisions recorded before this column existed
-- (their files are read from the attachments table instead).
ALTER TABLE decisions ADD COLUMN decided_files TEXT;

-- What happened to a board besides its messages, shown to members as system lines in the
-- thread: a corrected board name, customer name or customer email, a notification re-sent to a
-- corrected address. Never shown to the customer.
CREATE TABLE board_events (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  -- the board's message_seq when it happened: the line follows that message in the thread
  after_seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('detail_changed', 'notification_resent')),
  -- detail_changed: 'name' | 'customer_name' | 'customer_email'
  field TEXT,
  old_value TEXT,
  new_value TEXT,
  -- detail_changed of a customer email whose old address bounced: the message whose customer
  -- notification may be re-sent to the new address (once); notification_resent: that message
  message_id TEXT,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('member', 'api')),
  actor_member_id TEXT,
  actor_name TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX board_events_board ON board_events (board_id, at);
