-- A board's own search row now holds its dedupe key too (issue #17: a free word matches the
-- dedupe key in part and in any case, ord-2026 finds ORD-2026-1001). Boards with a key lose
-- their own row's grams here, and the search-backfill job (src/search/search.backfill.ts)
-- writes them again, key included, newest first; the messages' cursor stays where it is.
DELETE FROM search_index WHERE rowid IN (
  SELECT sr.id FROM search_rows sr JOIN boards b ON b.id = sr.board_id
  WHERE sr.message_id IS NULL AND b.dedupe_key IS NOT NULL
);
UPDATE search_backfill SET boards_below = COALESCE((SELECT MAX(rowid) FROM boards), 0) + 1
WHERE id = 1;
