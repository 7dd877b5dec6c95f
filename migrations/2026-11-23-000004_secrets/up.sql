-- Server-side secrets generated on first start (e.g. the key that signs
-- one-click unsubscribe links), so a fresh install needs no manual setup.
CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
