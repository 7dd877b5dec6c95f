-- Coordinator CSV imports (POST /api/v1/admin/imports).
--
-- An imported tag that is private, or sensitive in the taxonomy, is stored
-- `pending`: it is on the person's profile but matching ignores it until the
-- person confirms their consent after signing in (POST /me/consents).
ALTER TABLE profile_tags ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
-- When an import created the account (no password yet; the invitation code
-- sets one through POST /auth/password-reset/confirm, which also verifies it).
ALTER TABLE users ADD COLUMN invited_at TIMESTAMP;

-- One uploaded file and its progress. `body` holds the CSV only until the
-- import has finished (it is emptied then: it names people); `failed` is
-- JSON `[{row, errors: {column: [message]}}]` with row numbers and messages
-- only, never cell values.
CREATE TABLE imports (
    id TEXT PRIMARY KEY NOT NULL,
    started_by TEXT REFERENCES users(id) ON DELETE SET NULL,
    dry_run BOOLEAN NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed')),
    body TEXT NOT NULL,
    total_rows INTEGER NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    failed TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    created_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
