-- Automatic answers to customer posts (設定 → 営業時間と自動応答). One row per answer, sent at
-- once outside business hours or pending until `due_at` within them; the unique key allows at
-- most one per board and opening period (`period_start`: the start of the period it answers
-- for, epoch ms). A staff answer turns a pending row 'cancelled'.
CREATE TABLE auto_answers (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  board_id TEXT NOT NULL REFERENCES boards (id) ON DELETE CASCADE,
  period_start INTEGER NOT NULL,
  customer_message_id TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'cancelled')),
  -- the text as sent (filled in), NULL until sent
  body TEXT,
  sent_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (board_id, period_start)
);
CREATE INDEX auto_answers_due ON auto_answers (state, due_at);
