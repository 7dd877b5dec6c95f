-- Match lifecycle: requests, matching runs, matches with their audit trail,
-- check-ins, blocks, reports and notification preferences.
CREATE TABLE requests (
    id TEXT PRIMARY KEY NOT NULL,
    mentee_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'matched', 'withdrawn', 'closed')),
    required_tags TEXT NOT NULL,
    excluded_regions TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    matched_at TIMESTAMP
);
-- At most one open (or matched) request per mentee.
CREATE UNIQUE INDEX requests_one_live_per_mentee ON requests(mentee_id) WHERE state IN ('open', 'matched');
CREATE INDEX requests_state_created ON requests(state, created_at);

CREATE TABLE matching_runs (
    id TEXT PRIMARY KEY NOT NULL,
    mode TEXT NOT NULL,
    dry_run BOOLEAN NOT NULL,
    started_by TEXT REFERENCES users(id),
    proposals INTEGER NOT NULL,
    unmatched INTEGER NOT NULL,
    total_score BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    report TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE matches (
    id TEXT PRIMARY KEY NOT NULL,
    request_id TEXT NOT NULL REFERENCES requests(id),
    mentor_id TEXT NOT NULL REFERENCES users(id),
    mentee_id TEXT NOT NULL REFERENCES users(id),
    run_id TEXT REFERENCES matching_runs(id),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'awaiting_mentor', 'active', 'rejected', 'declined', 'expired', 'ended')),
    score BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    note TEXT,
    ended_reason TEXT,
    awaiting_since TIMESTAMP,
    activated_at TIMESTAMP,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A request has at most one match in proposed, awaiting_mentor or active.
CREATE UNIQUE INDEX matches_one_open_per_request ON matches(request_id) WHERE state IN ('proposed', 'awaiting_mentor', 'active');
CREATE INDEX matches_mentor_state ON matches(mentor_id, state);
CREATE INDEX matches_mentee_state ON matches(mentee_id, state);
CREATE INDEX matches_state ON matches(state, updated_at);

CREATE TABLE match_events (
    id TEXT PRIMARY KEY NOT NULL,
    match_id TEXT NOT NULL REFERENCES matches(id),
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor_id TEXT REFERENCES users(id),
    actor_role TEXT NOT NULL,
    reason TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX match_events_match ON match_events(match_id, created_at);

CREATE TABLE check_ins (
    id TEXT PRIMARY KEY NOT NULL,
    match_id TEXT NOT NULL REFERENCES matches(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    note TEXT,
    needs_support BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX check_ins_match ON check_ins(match_id, created_at);

CREATE TABLE blocks (
    blocker_id TEXT NOT NULL REFERENCES users(id),
    blocked_id TEXT NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE INDEX blocks_blocked ON blocks(blocked_id);

CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    reporter_id TEXT REFERENCES users(id),
    about_user_id TEXT NOT NULL REFERENCES users(id),
    match_id TEXT REFERENCES matches(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX reports_created ON reports(created_at);

CREATE TABLE notification_prefs (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    checkin_reminders BOOLEAN NOT NULL,
    mentor_reminders BOOLEAN NOT NULL,
    digest BOOLEAN NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
