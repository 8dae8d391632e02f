-- What the customer is told to expect: business hours, the automatic answer, the welcome
-- message and the rating question, one row per workspace (absent: every default below).
-- Texts left NULL use the built-in wording in the workspace's language.
CREATE TABLE care_settings (
  workspace_id TEXT PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
  -- JSON: seven arrays of [open, close] minutes from local midnight, Sunday first
  week TEXT NOT NULL,
  -- Japanese public holidays are closed days (the workspace's own closed_days always are)
  japanese_holidays INTEGER NOT NULL DEFAULT 1,
  -- automatic answer to a customer post: outside business hours at once …
  auto_answer INTEGER NOT NULL DEFAULT 0,
  -- … and, when set (1–120), within business hours after this many minutes without an answer
  auto_answer_delay_minutes INTEGER CHECK (
    auto_answer_delay_minutes IS NULL OR auto_answer_delay_minutes BETWEEN 1 AND 120
  ),
  auto_answer_text TEXT,
  welcome INTEGER NOT NULL DEFAULT 0,
  welcome_text TEXT,
  rating INTEGER NOT NULL DEFAULT 0,
  rating_question TEXT,
  updated_at INTEGER NOT NULL
);
