-- Blocks and reports outlive erasure. Every verified account has a row here:
-- a keyed hash (HMAC-SHA256 under the server secret `safety_email_hmac_key`
-- in app_secrets) of its normalised email. When an account is erased, its row
-- stays only if a block (either way) or a report about it needs it, so that a
-- new account with the same email inherits the block and the report history
-- (counts and dates, never the erased text). See docs/privacy.md.
CREATE TABLE safety_identities (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id),
    email_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX safety_identities_email_hash ON safety_identities(email_hash);
