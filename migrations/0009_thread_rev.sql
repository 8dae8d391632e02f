-- Counts changes to a board's existing messages and files (an edit, a file removed by
-- retention). New messages move message_seq; together they say whether the thread a page
-- rendered earlier is still the thread (views/boards/board.tsx keeps it by that key).
ALTER TABLE boards ADD COLUMN thread_rev INTEGER NOT NULL DEFAULT 0;
