-- Peer-support circles (API.md "Peer-support circles").
--
-- The `facilitator` role and the facilitator profile widen two CHECK
-- constraints. Neither backend can change a CHECK in place portably
-- (SQLite cannot at all), so `user_roles`, `profiles` and `profile_tags`
-- (which references `profiles`) are rebuilt with the same statements on
-- both backends: copy aside, drop, create, copy back.
CREATE TABLE user_roles_v13 (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('mentee', 'mentor', 'coordinator', 'facilitator')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, role)
);
INSERT INTO user_roles_v13 (user_id, role, created_at) SELECT user_id, role, created_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_v13 RENAME TO user_roles;

CREATE TABLE profile_tags_v13_copy (
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tag_slug TEXT NOT NULL,
    private BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    pending BOOLEAN NOT NULL
);
INSERT INTO profile_tags_v13_copy (user_id, kind, tag_slug, private, position, pending)
    SELECT user_id, kind, tag_slug, private, position, pending FROM profile_tags;
DROP TABLE profile_tags;

CREATE TABLE profiles_v13 (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('mentee', 'mentor', 'facilitator')),
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
    -- Facilitators only: how many circles they lead at most (1..=5).
    max_circles INTEGER,
    PRIMARY KEY (user_id, kind)
);
INSERT INTO profiles_v13 (user_id, kind, bio, languages, timezone, availability, meeting_modes,
        region, goals, capacity, accepting, sensitive_consent_at, created_at, updated_at)
    SELECT user_id, kind, bio, languages, timezone, availability, meeting_modes,
        region, goals, capacity, accepting, sensitive_consent_at, created_at, updated_at FROM profiles;
DROP TABLE profiles;
ALTER TABLE profiles_v13 RENAME TO profiles;

CREATE TABLE profile_tags (
    user_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    tag_slug TEXT NOT NULL REFERENCES tags(slug),
    private BOOLEAN NOT NULL,
    position INTEGER NOT NULL,
    pending BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_id, kind, tag_slug),
    FOREIGN KEY (user_id, kind) REFERENCES profiles(user_id, kind) ON DELETE CASCADE
);
INSERT INTO profile_tags (user_id, kind, tag_slug, private, position, pending)
    SELECT user_id, kind, tag_slug, private, position, pending FROM profile_tags_v13_copy;
DROP TABLE profile_tags_v13_copy;
CREATE INDEX profile_tags_tag ON profile_tags(tag_slug);

-- Training records. The row stays when the role is revoked (`revoked_at`),
-- so coordinators keep the history.
CREATE TABLE facilitators (
    user_id TEXT PRIMARY KEY NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    trained_on TEXT NOT NULL,
    training TEXT NOT NULL,
    granted_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE circle_requests (
    id TEXT PRIMARY KEY NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('open', 'placed', 'withdrawn', 'closed')),
    topics TEXT NOT NULL,
    note TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- At most one open (or placed) circle request per person.
CREATE UNIQUE INDEX circle_requests_one_live ON circle_requests(user_id) WHERE state IN ('open', 'placed');
CREATE INDEX circle_requests_state_created ON circle_requests(state, created_at);

CREATE TABLE circle_runs (
    id TEXT PRIMARY KEY NOT NULL,
    dry_run BOOLEAN NOT NULL,
    started_by TEXT REFERENCES users(id),
    min_size INTEGER NOT NULL,
    max_size INTEGER NOT NULL,
    circles INTEGER NOT NULL,
    placed INTEGER NOT NULL,
    unplaced INTEGER NOT NULL,
    total_score BIGINT NOT NULL,
    upper_bound BIGINT NOT NULL,
    duration_ms BIGINT NOT NULL,
    report TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- `slot_day` is mon..sun and `slot_start`/`slot_end` minutes in UTC (the
-- end may pass 1440 into the next day). `explanation` is the engine's
-- whole explanation (coordinators only); members see its public part.
CREATE TABLE circles (
    id TEXT PRIMARY KEY NOT NULL,
    run_id TEXT REFERENCES circle_runs(id),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'approved', 'rejected', 'active', 'ended')),
    facilitator_id TEXT NOT NULL REFERENCES users(id),
    language TEXT NOT NULL,
    meeting_mode TEXT NOT NULL,
    region TEXT,
    slot_day TEXT NOT NULL,
    slot_start INTEGER NOT NULL,
    slot_end INTEGER NOT NULL,
    topics TEXT NOT NULL,
    score BIGINT NOT NULL,
    explanation TEXT NOT NULL,
    note TEXT,
    meeting_details TEXT,
    reason TEXT,
    flagged_at TIMESTAMP,
    approved_at TIMESTAMP,
    started_at TIMESTAMP,
    ended_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX circles_state ON circles(state, created_at);
CREATE INDEX circles_facilitator ON circles(facilitator_id, state);

-- One row per request placed in a circle. `state`: proposed (circle not yet
-- approved), invited, joined, left, declined (the circle was rejected),
-- expired (did not join in time), removed (erasure, or the circle ended
-- before they joined). `missed_in_row` counts consecutive absences.
CREATE TABLE circle_members (
    circle_id TEXT NOT NULL REFERENCES circles(id),
    request_id TEXT NOT NULL REFERENCES circle_requests(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    state TEXT NOT NULL CHECK (state IN ('proposed', 'invited', 'joined', 'left', 'declined', 'expired', 'removed')),
    explanation TEXT NOT NULL,
    invited_at TIMESTAMP,
    joined_at TIMESTAMP,
    left_at TIMESTAMP,
    missed_in_row INTEGER NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (circle_id, request_id)
);
CREATE INDEX circle_members_user ON circle_members(user_id, state);

-- Attendance per session: session `n` (1-based) starts `n - 1` cadences
-- after the first session.
CREATE TABLE circle_attendance (
    circle_id TEXT NOT NULL REFERENCES circles(id),
    session_n INTEGER NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id),
    present BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (circle_id, session_n, user_id)
);

CREATE TABLE circle_check_ins (
    id TEXT PRIMARY KEY NOT NULL,
    circle_id TEXT NOT NULL REFERENCES circles(id),
    author_id TEXT NOT NULL REFERENCES users(id),
    rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
    note TEXT,
    needs_support BOOLEAN NOT NULL,
    handled_at TIMESTAMP,
    handled_by TEXT REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX circle_check_ins_circle ON circle_check_ins(circle_id, created_at);
