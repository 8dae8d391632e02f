-- The customer's rating of a board once it is done (満足度, issue #18), and who changed a
-- board's status by hand (a member, an API key, or the customer's 「解決しました」).

-- One rating per board, kept on the board itself so the list, the API and the webhooks read it
-- with the row. `first_rated_at` starts the 7 days in which the customer may change it;
-- `rating_event_id` is the id of the latest rating write: the statements written in the same
-- batch (webhook deliveries, the low-rating alert) are gated on it, so a refused or repeated
-- write adds nothing.
ALTER TABLE boards ADD COLUMN rating_score INTEGER CHECK (
  rating_score IS NULL OR rating_score BETWEEN 1 AND 5
);
ALTER TABLE boards ADD COLUMN rating_comment TEXT;
ALTER TABLE boards ADD COLUMN rated_at INTEGER;
ALTER TABLE boards ADD COLUMN first_rated_at INTEGER;
ALTER TABLE boards ADD COLUMN rating_event_id TEXT;

-- Status changes made through the side panel, the API or the customer's page (a post's own
-- status change is told by the post). Written in the batch of the change, only when the status
-- really changes.
CREATE TABLE status_changes (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  previous_status TEXT NOT NULL,
  actor_kind TEXT NOT NULL CHECK (actor_kind IN ('member', 'api', 'guest')),
  actor_member_id TEXT,
  actor_name TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX status_changes_board ON status_changes (board_id, at);
