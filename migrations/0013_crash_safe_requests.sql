-- Requests that survive a crash (issue #13): a retry finds what its first attempt committed.

-- The process that holds an in-flight Idempotency-Key claim (Node: a random id per start). A
-- claim held by another id belongs to a process that died and is taken over at once.
ALTER TABLE api_idempotency ADD COLUMN owner TEXT;
-- The board the stored answer is about: its customer link is rebuilt from it on replay, so the
-- stored body never holds the link's secret (DESIGN.md §4).
ALTER TABLE api_idempotency ADD COLUMN board_id TEXT;
UPDATE api_idempotency
SET board_id = json_extract(response_body, '$.board.id'),
    response_body = json_remove(response_body, '$.guest_url', '$.board.guest_url')
WHERE response_body IS NOT NULL AND json_valid(response_body)
  AND json_extract(response_body, '$.guest_url') IS NOT NULL;

-- What an Idempotency-Key request committed, written in the SAME batch as the effect (the
-- board, the message). No ON CONFLICT: a second commit under one key fails its whole batch, so
-- two attempts that both ran can never both write.
CREATE TABLE api_idempotency_commits (
  api_key_id TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  board_id TEXT NOT NULL,
  -- the message posted (POST …/messages, or a new board's first message once it is posted)
  message_id TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (api_key_id, key)
) WITHOUT ROWID;
CREATE INDEX api_idempotency_commits_created ON api_idempotency_commits (created_at);

-- The customer's reply form carries a random key per submit; the post's batch inserts it (no
-- ON CONFLICT), so a double tap or a resend after a timeout posts once.
CREATE TABLE guest_submissions (
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  submit_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, submit_key)
) WITHOUT ROWID;
CREATE INDEX guest_submissions_created ON guest_submissions (created_at);
