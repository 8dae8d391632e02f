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

-- Delivery status from Resend's webhooks (delivered, delivery_delayed, bounced, complained),
-- kept apart from the outbox's own send status: 'sent' means the provider took it.
ALTER TABLE outbox ADD COLUMN delivery_status TEXT;
ALTER TABLE outbox ADD COLUMN delivery_updated_at INTEGER;
CREATE INDEX outbox_provider ON outbox (provider_id) WHERE provider_id IS NOT NULL;

-- The customer's address bounced or they marked our mail as spam: shown on the board and list
-- until the address changes.
ALTER TABLE boards ADD COLUMN guest_email_problem TEXT;
ALTER TABLE boards ADD COLUMN guest_email_problem_at INTEGER;
