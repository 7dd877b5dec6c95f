-- Coordinator alerts batched when they flood: one row per alert kind
-- (`report`, `needs_support`). The first alert of a kind is sent at once and
-- opens a window until `until_at`; alerts inside it only count up `held`,
-- and the `alert_summary` job at `until_at` sends one summary of them (then,
-- if any were held, the window runs on for another period). Counts only:
-- never who or what.
CREATE TABLE alert_windows (
    kind TEXT PRIMARY KEY NOT NULL,
    until_at TIMESTAMP NOT NULL,
    held BIGINT NOT NULL
);
