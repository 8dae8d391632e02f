-- Statistics (issue #19), second part: indexes so every figure of the page is one index range
-- read, and the breakdowns per member and of ratings.

-- Boards past the unread warning (the list's 未読 filter and the statistics count): only boards
-- whose last public post is the shop's and still unread by the customer are in this index, so
-- the count reads those few entries instead of every board of the workspace.
CREATE INDEX boards_unread_warning ON boards (workspace_id, last_activity_at)
  WHERE last_public_author = 'member' AND status != 'closed' AND guest_read_no < last_no;

-- Boards assigned now per member and status (「担当中」 per member): counted from the index.
CREATE INDEX boards_assignee_status ON boards (workspace_id, assignee_member_id, status)
  WHERE assignee_member_id IS NOT NULL;

-- Ratings given in a period (満足度): average and distribution from the index alone.
CREATE INDEX boards_rated ON boards (workspace_id, rated_at, rating_score, assignee_member_id)
  WHERE rating_score IS NOT NULL;

-- A member's answers in a period: their public posts, counted per member from the index.
CREATE INDEX messages_member_answers ON messages (workspace_id, author_member_id, created_at)
  WHERE author_kind = 'member' AND internal = 0;

-- The period's durations with the assignee in the index too: the per-member medians and the page
-- narrowed to one member read these alone (the 0015 indexes would fetch every board's row for its
-- assignee). They replace the 0015 ones, which they cover.
DROP INDEX boards_first_response;
CREATE INDEX boards_first_response_by ON boards
  (workspace_id, first_response_at, first_response_ms, first_response_business_ms, first_guest_at,
   assignee_member_id)
  WHERE first_response_at IS NOT NULL;
DROP INDEX boards_decided;
CREATE INDEX boards_decided_by ON boards
  (workspace_id, decided_at, decision_ms, decision_business_ms, created_at, assignee_member_id)
  WHERE decided_at IS NOT NULL;
