-- Statistics (issue #19): the moments a board's figures are measured from, written with the
-- event itself (src/statistics/statistics.effects.ts, in the post's batch; closed_at by the
-- status change), so the statistics page reads these indexed columns and never scans messages.
-- Durations are milliseconds: *_ms on the calendar, *_business_ms inside the workspace's business
-- hours as they were when the event happened (NULL while the workspace had no hours set).

-- the customer's first post on the board
ALTER TABLE boards ADD COLUMN first_guest_at INTEGER;
-- the first public staff post after it (automatic answers are not posts and do not count)
ALTER TABLE boards ADD COLUMN first_response_at INTEGER;
ALTER TABLE boards ADD COLUMN first_response_ms INTEGER;
ALTER TABLE boards ADD COLUMN first_response_business_ms INTEGER;
-- the board's first decision (決定), measured from the board's creation
ALTER TABLE boards ADD COLUMN decided_at INTEGER;
ALTER TABLE boards ADD COLUMN decision_ms INTEGER;
ALTER TABLE boards ADD COLUMN decision_business_ms INTEGER;
-- when the board was closed (終了); NULL again once it is reopened
ALTER TABLE boards ADD COLUMN closed_at INTEGER;

-- Covering indexes: a period's figures are one range read each, no table rows fetched.
CREATE INDEX boards_created ON boards (workspace_id, created_at, id);
CREATE INDEX boards_first_response ON boards
  (workspace_id, first_response_at, first_response_ms, first_response_business_ms, first_guest_at)
  WHERE first_response_at IS NOT NULL;
CREATE INDEX boards_decided ON boards
  (workspace_id, decided_at, decision_ms, decision_business_ms, created_at)
  WHERE decided_at IS NOT NULL;
CREATE INDEX boards_closed ON boards (workspace_id, closed_at) WHERE closed_at IS NOT NULL;
-- The messages CSV for a period reads messages by workspace and time, keyset-paged.
CREATE INDEX messages_workspace_created ON messages (workspace_id, created_at, id);

-- Backfill the boards that existed before. Business-hour durations need the calendar (holidays,
-- the time zone) and stay NULL here; the statistics page works them out from the two moments.
UPDATE boards SET first_guest_at = (
  SELECT MIN(m.created_at) FROM messages m
  WHERE m.board_id = boards.id AND m.author_kind = 'guest' AND m.internal = 0
);
UPDATE boards SET first_response_at = (
  SELECT MIN(m.created_at) FROM messages m
  WHERE m.board_id = boards.id AND m.internal = 0 AND m.author_kind != 'guest'
    AND m.seq > (
      SELECT MIN(g.seq) FROM messages g
      WHERE g.board_id = boards.id AND g.author_kind = 'guest' AND g.internal = 0
    )
)
WHERE first_guest_at IS NOT NULL;
UPDATE boards SET first_response_ms = first_response_at - first_guest_at
WHERE first_response_at IS NOT NULL;
UPDATE boards SET decided_at = (
  SELECT MIN(d.decided_at) FROM decisions d WHERE d.board_id = boards.id
);
UPDATE boards SET decision_ms = decided_at - created_at WHERE decided_at IS NOT NULL;
-- The moment of closing was not kept before: the board's last change is the best there is.
UPDATE boards SET closed_at = updated_at WHERE status = 'closed';
