-- Inbound email (issue 8): customers' replies by email, and Resend webhook deliveries.

-- One row per inbound Message-ID, claimed by INSERT … ON CONFLICT DO NOTHING before anything is
-- posted: the same email delivered twice (a provider retry, the MTA and the webhook both) is
-- posted once. `outcome` records what became of it.
CREATE TABLE inbound_emails (
  message_id TEXT NOT NULL UNIQUE,
  workspace_id TEXT,
  board_id TEXT,
  from_address TEXT,
  subject TEXT NOT NULL DEFAULT '',
  -- processing | posted | skipped_auto | unknown_board | expired | closed | empty | invalid
  outcome TEXT NOT NULL,
  posted_message_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX inbound_emails_board ON inbound_emails (board_id, created_at);

-- svix-id of every accepted Resend webhook: a retried delivery is answered 200 and ignored.
CREATE TABLE webhook_receipts (
  id TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
);
CREATE INDEX webhook_receipts_age ON webhook_receipts (received_at);
