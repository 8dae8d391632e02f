-- Days the latest staff message may stay unread by the customer before the board warns to
-- reach them another way (0 turns the warning off).
ALTER TABLE workspaces ADD COLUMN unread_warning_days INTEGER NOT NULL DEFAULT 3;
