-- Team inbox, issue #17 (points 1 and 2): the assignment email, round-robin assignment and
-- mentions in internal notes.

-- Each member's own switches for the two team emails (on by default, like notify_email).
ALTER TABLE members ADD COLUMN notify_assigned INTEGER NOT NULL DEFAULT 1;
ALTER TABLE members ADD COLUMN notify_mention INTEGER NOT NULL DEFAULT 1;
-- フリガナ: optional, only for finding a member by reading when mentioning (@さとう → 佐藤)
ALTER TABLE members ADD COLUMN name_kana TEXT;
-- Round-robin: a member opts in; round_robin_turn is the workspace's turn counter value of the
-- member's last round-robin board (NULL: never picked, so picked first). The pick takes the
-- lowest turn, so everyone opted in gets one before anyone gets a second.
ALTER TABLE members ADD COLUMN round_robin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN round_robin_turn INTEGER;
ALTER TABLE workspaces ADD COLUMN round_robin INTEGER NOT NULL DEFAULT 0;

-- One row per member mentioned in an internal note, written in the note's batch. read_at is
-- when the member opened it from their メンション list (or the board).
CREATE TABLE mentions (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  author_member_id TEXT,
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  UNIQUE (message_id, member_id)
);
CREATE INDEX mentions_member ON mentions (member_id, created_at DESC);
CREATE INDEX mentions_unread ON mentions (member_id, read_at);
