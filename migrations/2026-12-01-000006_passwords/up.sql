-- A registration of an address that already had a live code is "contested":
-- its codes (and the earlier live ones) prove the mailbox but set no password,
-- so only the person who reads the mailbox ends up with a working password
-- (they choose it with a password reset).
ALTER TABLE verification_codes ADD COLUMN sets_password BOOLEAN NOT NULL DEFAULT TRUE;

-- Operator-made accounts (coordinators) must change their one-time password
-- at first sign-in; until then only GET /me, PUT /me/password and logout work.
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

-- One-time codes of POST /auth/password-reset (hashed with the user id).
CREATE TABLE password_reset_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX password_reset_codes_user ON password_reset_codes(user_id);
