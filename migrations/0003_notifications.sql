-- Notifications: the dev mailbox (mail kept in the database when no real transport is set up)
-- and the lookups the outbox sender and the board page need.

-- Mail "sent" through the dev mailbox, readable at /_dev/mail. Headers are stored decoded
-- (JSON object); idempotency_key dedupes like a real provider does.
CREATE TABLE dev_mail (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  idempotency_key TEXT NOT NULL UNIQUE,
  to_address TEXT NOT NULL,
  from_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  text TEXT NOT NULL,
  html TEXT NOT NULL,
  headers TEXT NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL
);
CREATE INDEX dev_mail_created ON dev_mail (created_at DESC, id DESC);

-- The board page lists a board's notifications that failed or are stuck.
CREATE INDEX outbox_board_status ON outbox (board_id, status, created_at);
-- Rows claimed by a sender that died are found by their expired lease.
CREATE INDEX outbox_lease ON outbox (status, locked_until);
