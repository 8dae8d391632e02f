-- 保存した検索 (saved views, issue #17.5): a named search shown as a tab above the board list.
-- A personal view belongs to one member (gone with them); a shared one (owner_member_id NULL) is
-- every member's, managed by admins and owners. The built-in views (自分の担当, 未割り当て, 要対応,
-- 今日の連絡) are not rows: src/saved-views/saved-views.rules.ts defines them.
CREATE TABLE saved_views (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  owner_member_id TEXT REFERENCES members (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  query TEXT NOT NULL,
  created_by TEXT REFERENCES members (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX saved_views_workspace ON saved_views (workspace_id, owner_member_id, created_at);

-- The 要対応 tab counts is:unanswered (the customer spoke last, the board is still open) on
-- every list view: an index, so the count reads only those boards.
CREATE INDEX boards_unanswered ON boards (workspace_id, last_public_author, status);
