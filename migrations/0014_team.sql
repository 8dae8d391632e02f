-- The team from the browser (issue #16): invitations, account links (password reset, email
-- change), two-factor sign-in and the audit log.

ALTER TABLE members ADD COLUMN last_login_at INTEGER;
-- base32 TOTP secret (RFC 6238); set while enrolling, live once totp_enabled_at is set
ALTER TABLE members ADD COLUMN totp_secret TEXT;
ALTER TABLE members ADD COLUMN totp_enabled_at INTEGER;
-- the last accepted 30-second step: a code is never accepted twice
ALTER TABLE members ADD COLUMN totp_last_step INTEGER;
ALTER TABLE workspaces ADD COLUMN require_2fa INTEGER NOT NULL DEFAULT 0;

-- Only the SHA-256 of a link's token is stored; the token is derived again from APP_SECRET,
-- the row id and its version when the email is sent, so resending (version + 1) voids the old.
CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email TEXT NOT NULL COLLATE NOCASE,
  role TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  token_hash TEXT NOT NULL UNIQUE,
  version INTEGER NOT NULL DEFAULT 1,
  invited_by TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  accepted_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX invitations_workspace ON invitations (workspace_id, created_at);

-- Password reset (1 hour) and email change (24 hours) links: single use, stored hashed.
CREATE TABLE account_tokens (
  id TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('password_reset', 'email_change')),
  token_hash TEXT NOT NULL UNIQUE,
  new_email TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX account_tokens_member ON account_tokens (member_id);

-- Ten single-use recovery codes per member, stored hashed.
CREATE TABLE recovery_codes (
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  PRIMARY KEY (member_id, code_hash)
);

-- Between the password and the second factor: a short-lived, hashed login challenge.
CREATE TABLE login_challenges (
  id_hash TEXT PRIMARY KEY,
  member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0
);

-- Who did what, when, from which address; kept one year (the janitor deletes older rows).
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  at INTEGER NOT NULL,
  actor_id TEXT,
  actor_name TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT,
  ip TEXT
);
CREATE INDEX audit_log_workspace ON audit_log (workspace_id, at);
CREATE INDEX audit_log_at ON audit_log (at);
