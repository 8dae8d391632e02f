-- 担当者 (issue #17): one member per board, or none. A removed member's boards fall back to
-- unassigned (their posts keep their name; see messages.author_name).
ALTER TABLE boards ADD COLUMN assignee_member_id TEXT REFERENCES members (id) ON DELETE SET NULL;
CREATE INDEX boards_assignee ON boards (workspace_id, assignee_member_id, last_activity_at);
