-- Rate-limit counters shared by every API instance on one PostgreSQL (on
-- SQLite, a single node, they stay in memory and this table is unused). One
-- row per limiter key: `key` is the hex HMAC-SHA256 (server secret
-- `rate_limit_key_hmac` in app_secrets) of "<limiter>|<key>", never a raw
-- email or client address; `tat_ms` is the GCRA's theoretical arrival time
-- in milliseconds since the Unix epoch. Rows whose tat_ms has passed hold
-- nothing and are purged by housekeeping.
CREATE TABLE rate_limit_cells (
    key TEXT PRIMARY KEY NOT NULL,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_limit_cells_tat_ms ON rate_limit_cells(tat_ms);
