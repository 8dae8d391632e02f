-- The view tabs' counts (issue #17.5) from an index alone, over 100k boards
-- (test/bench/search.bench.ts):
-- 未割り当て (assignee:none, open boards): the assignee index now carries the status, so the
-- count reads index entries only (50 ms → 11 ms for 53k boards); the list's assignee:me order
-- by last activity still comes straight from it.
DROP INDEX boards_assignee;
CREATE INDEX boards_assignee ON boards (workspace_id, assignee_member_id, last_activity_at, status);
-- 今日の連絡 (next:due: a next contact date today or overdue, open boards): the status beside the
-- date, so boards done or closed long ago are skipped in the index (64 ms → 2 ms).
CREATE INDEX boards_contact_status ON boards (workspace_id, contact_sort, status);
