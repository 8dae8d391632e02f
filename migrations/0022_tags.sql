-- タグ / カテゴリ (issue #17): free tags per board from the workspace's tag list, and one
-- category per board from the workspace's list of categories.

-- A tag of the workspace. `name` is shown as written (NFKC, no bidi controls, no # or spaces);
-- `name_key` is its lower-case form: unique per workspace, so #Proof and #proof are one tag.
-- `colour` is one of the fixed palette's names (src/tags/tags.rules.ts).
CREATE TABLE tags (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  colour TEXT NOT NULL DEFAULT 'grey',
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX tags_name ON tags (workspace_id, name_key);

-- A board's tags. Deleting a board or a tag removes its rows.
CREATE TABLE board_tags (
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  tag_id TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (board_id, tag_id)
);
CREATE INDEX board_tags_tag ON board_tags (tag_id, board_id);

-- The workspace's categories (名刺, チラシ, 冊子 …), in the order of `position`.
CREATE TABLE categories (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  position INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX categories_name ON categories (workspace_id, name_key);

-- One category per board, or none; deleting a category leaves its boards without one.
ALTER TABLE boards ADD COLUMN category_id TEXT REFERENCES categories (id) ON DELETE SET NULL;
CREATE INDEX boards_category ON boards (workspace_id, category_id, last_activity_at);
