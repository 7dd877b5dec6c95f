-- Durable background jobs. A row is one unit of work: `payload` is JSON holding
-- identifiers only (never personal data). States: pending -> running -> done,
-- or back to pending with a later run_at after a retryable failure, or dead
-- after max_attempts / a permanent failure, or cancelled (user erasure).
-- `subject_user_id` names the person a job concerns so erasure can cancel it;
-- deliberately no foreign key (the job may outlive the row it names).
CREATE TABLE jobs (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    unique_key TEXT UNIQUE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'dead', 'cancelled')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
    run_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    locked_by TEXT,
    last_error TEXT,
    subject_user_id TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP
);
CREATE INDEX jobs_state_run_at ON jobs(state, run_at);
CREATE INDEX jobs_subject_user ON jobs(subject_user_id);
