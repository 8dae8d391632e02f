-- Mail sending that behaves (issue 13): mail whose fate is unknown, and the shared send rate.

-- A failed outbox row whose mail may or may not have gone out (Resend's 409
-- invalid_idempotent_request, an SMTP connection lost after the final "." of DATA): members see
-- it as needing attention, and nothing retries it automatically. A flag beside status 'failed'
-- rather than a new status value, because SQLite cannot change a CHECK constraint without
-- rebuilding the table, and every query that skips failed rows must keep skipping these.
ALTER TABLE outbox ADD COLUMN needs_attention INTEGER NOT NULL DEFAULT 0;
-- Times a member sent such a mail again by hand; from 1 on the provider's idempotency key gets a
-- suffix (Resend would refuse the old key with another body for 24 hours).
ALTER TABLE outbox ADD COLUMN manual_resends INTEGER NOT NULL DEFAULT 0;

-- The send-rate schedule per mail provider, shared by every sender of this database (the Node
-- process, every Workers isolate): next_at is when the next send may start (ms since the epoch).
CREATE TABLE send_slots (
  provider TEXT PRIMARY KEY,
  next_at INTEGER NOT NULL
);
