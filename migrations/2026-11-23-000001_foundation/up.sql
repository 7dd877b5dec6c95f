-- Foundation: accounts, tokens, verification codes, taxonomy, profiles, mail outbox.
-- UUIDs are TEXT and times are UTC `TIMESTAMP` so one diesel schema serves both backends.
CREATE TABLE users (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT UNIQUE,
    password_hash TEXT,
    display_name TEXT NOT NULL,
    pronouns TEXT,
    verified_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('mentee', 'mentor', 'coordinator')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Each code carries the registration it proves: whoever registers an
-- unverified address gets a code sent to that address, and only the code's
-- own details (password, name, role) are applied when it is used, so a
-- second registration can never replace the first one's password.
CREATE TABLE verification_codes (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    password_hash TEXT NOT NULL,
    display_name TEXT NOT NULL,
    pronouns TEXT,
    role TEXT NOT NULL
);
CREATE INDEX verification_codes_user ON verification_codes(user_id);

CREATE TABLE auth_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE tags (
    slug TEXT PRIMARY KEY NOT NULL,
    label TEXT NOT NULL,
    category TEXT NOT NULL,
    sensitive BOOLEAN NOT NULL,
    retired BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE profiles (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('mentee', 'mentor')),
    bio TEXT NOT NULL,
    languages TEXT NOT NULL,
    timezone TEXT NOT NULL,
    availability TEXT NOT NULL,
    meeting_modes TEXT NOT NULL,
    region TEXT,
    goals TEXT,
    capacity INTEGER,
    accepting BOOLEAN NOT NULL DEFAULT FALSE,
    sensitive_consent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE profile_tags (
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tag_slug TEXT NOT NULL REFERENCES tags(slug),
    private BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind, tag_slug),
    FOREIGN KEY (user_id, kind) REFERENCES profiles(user_id, kind) ON DELETE CASCADE
);
CREATE INDEX profile_tags_tag ON profile_tags(tag_slug);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT REFERENCES users(id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    recipient TEXT NOT NULL,
    message TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX outbox_user ON outbox(user_id);
