-- Search over boards and the text of every message (issue #17). Japanese has no spaces, so the
-- text is cut into overlapping two-character grams after NFKC normalisation (as Groonga's
-- default bigram tokenizer does), written as space-separated tokens into an FTS5 table whose
-- tokenizer then only splits on the spaces. See src/search/search.text.ts.
--
-- search_rows says what each FTS row belongs to; its id is the FTS row's rowid. A board's own
-- row (name, customer name, email) has message_id NULL.
CREATE TABLE search_rows (
  -- AUTOINCREMENT: an id is never reused, so an FTS row left behind by a deleted board (its
  -- search_rows row goes with the board) can never collide with a new row's rowid
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  message_id TEXT UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
  internal INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX search_rows_board ON search_rows (board_id);
CREATE UNIQUE INDEX search_rows_board_own ON search_rows (board_id) WHERE message_id IS NULL;

CREATE VIRTUAL TABLE search_index USING fts5 (grams, tokenize = 'unicode61 remove_diacritics 0');

-- Boards and messages written before this migration are indexed by the `search-backfill` job,
-- newest first, below these rowids; rows written after it are indexed with their own write.
CREATE TABLE search_backfill (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  boards_below INTEGER NOT NULL,
  messages_below INTEGER NOT NULL
);
INSERT INTO search_backfill (id, boards_below, messages_below)
VALUES (
  1,
  COALESCE((SELECT MAX(rowid) FROM boards), 0) + 1,
  COALESCE((SELECT MAX(rowid) FROM messages), 0) + 1
);
