//! Diesel schema shared by both backends. Kept portable on purpose: text UUIDs,
//! UTC `Timestamp`s and JSON stored as text, so one `MultiConnection` serves both.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Nullable<Text>,
        password_hash -> Nullable<Text>,
        display_name -> Text,
        pronouns -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
        must_change_password -> Bool,
        preferred_language -> Text,
        invited_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    verification_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        attempts -> Integer,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        password_hash -> Text,
        display_name -> Text,
        pronouns -> Nullable<Text>,
        role -> Text,
        sets_password -> Bool,
        language -> Text,
    }
}

diesel::table! {
    password_reset_codes (id) {
        id -> Text,
        user_id -> Text,
        code_hash -> Text,
        attempts -> Integer,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    auth_tokens (id) {
        id -> Text,
        user_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tags (slug) {
        slug -> Text,
        label -> Text,
        category -> Text,
        sensitive -> Bool,
        retired -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    profiles (user_id, kind) {
        user_id -> Text,
        kind -> Text,
        bio -> Text,
        languages -> Text,
        timezone -> Text,
        availability -> Text,
        meeting_modes -> Text,
        region -> Nullable<Text>,
        goals -> Nullable<Text>,
        capacity -> Nullable<Integer>,
        accepting -> Bool,
        sensitive_consent_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        max_circles -> Nullable<Integer>,
    }
}

diesel::table! {
    profile_tags (user_id, kind, tag_slug) {
        user_id -> Text,
        kind -> Text,
        tag_slug -> Text,
        private -> Bool,
        position -> Integer,
        pending -> Bool,
    }
}

diesel::table! {
    imports (id) {
        id -> Text,
        started_by -> Nullable<Text>,
        dry_run -> Bool,
        state -> Text,
        body -> Text,
        total_rows -> Integer,
        processed -> Integer,
        created -> Integer,
        updated -> Integer,
        failed -> Text,
        error -> Nullable<Text>,
        created_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    outbox (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        kind -> Text,
        dedupe_key -> Nullable<Text>,
        recipient -> Text,
        message -> Text,
        state -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
    }
}

diesel::table! {
    requests (id) {
        id -> Text,
        mentee_id -> Text,
        state -> Text,
        required_tags -> Text,
        excluded_regions -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        matched_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    matching_runs (id) {
        id -> Text,
        mode -> Text,
        dry_run -> Bool,
        started_by -> Nullable<Text>,
        proposals -> Integer,
        unmatched -> Integer,
        total_score -> BigInt,
        duration_ms -> BigInt,
        report -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    matches (id) {
        id -> Text,
        request_id -> Text,
        mentor_id -> Text,
        mentee_id -> Text,
        run_id -> Nullable<Text>,
        state -> Text,
        score -> BigInt,
        explanation -> Text,
        note -> Nullable<Text>,
        ended_reason -> Nullable<Text>,
        awaiting_since -> Nullable<Timestamp>,
        activated_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    match_events (id) {
        id -> Text,
        match_id -> Text,
        from_state -> Nullable<Text>,
        to_state -> Text,
        actor_id -> Nullable<Text>,
        actor_role -> Text,
        reason -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    check_ins (id) {
        id -> Text,
        match_id -> Text,
        author_id -> Text,
        rating -> Integer,
        note -> Nullable<Text>,
        needs_support -> Bool,
        created_at -> Timestamp,
        handled_at -> Nullable<Timestamp>,
        handled_by -> Nullable<Text>,
    }
}

diesel::table! {
    blocks (blocker_id, blocked_id) {
        blocker_id -> Text,
        blocked_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reports (id) {
        id -> Text,
        reporter_id -> Nullable<Text>,
        about_user_id -> Text,
        match_id -> Nullable<Text>,
        reason -> Text,
        status -> Text,
        created_at -> Timestamp,
        handled_at -> Nullable<Timestamp>,
        handled_by -> Nullable<Text>,
    }
}

diesel::table! {
    /// A keyed hash of each account's normalised email, kept after erasure
    /// only where a block or a report needs it (see docs/privacy.md).
    safety_identities (user_id) {
        user_id -> Text,
        email_hash -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    notification_prefs (user_id) {
        user_id -> Text,
        checkin_reminders -> Bool,
        mentor_reminders -> Bool,
        digest -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    app_secrets (name) {
        name -> Text,
        value -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    /// Shared GCRA cells (PostgreSQL deployments); `key` is a keyed hash.
    rate_limit_cells (key) {
        key -> Text,
        tat_ms -> BigInt,
    }
}

diesel::table! {
    /// One batching window per coordinator alert kind.
    alert_windows (kind) {
        kind -> Text,
        until_at -> Timestamp,
        held -> BigInt,
    }
}

diesel::table! {
    /// Facilitators' training records (the role itself is in `user_roles`).
    facilitators (user_id) {
        user_id -> Text,
        trained_on -> Text,
        training -> Text,
        granted_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    circle_requests (id) {
        id -> Text,
        user_id -> Text,
        state -> Text,
        topics -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    circle_runs (id) {
        id -> Text,
        dry_run -> Bool,
        started_by -> Nullable<Text>,
        min_size -> Integer,
        max_size -> Integer,
        circles -> Integer,
        placed -> Integer,
        unplaced -> Integer,
        total_score -> BigInt,
        upper_bound -> BigInt,
        duration_ms -> BigInt,
        report -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    circles (id) {
        id -> Text,
        run_id -> Nullable<Text>,
        state -> Text,
        facilitator_id -> Text,
        language -> Text,
        meeting_mode -> Text,
        region -> Nullable<Text>,
        slot_day -> Text,
        slot_start -> Integer,
        slot_end -> Integer,
        topics -> Text,
        score -> BigInt,
        explanation -> Text,
        note -> Nullable<Text>,
        meeting_details -> Nullable<Text>,
        reason -> Nullable<Text>,
        flagged_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        started_at -> Nullable<Timestamp>,
        ended_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    circle_members (circle_id, request_id) {
        circle_id -> Text,
        request_id -> Text,
        user_id -> Text,
        state -> Text,
        explanation -> Text,
        invited_at -> Nullable<Timestamp>,
        joined_at -> Nullable<Timestamp>,
        left_at -> Nullable<Timestamp>,
        missed_in_row -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    circle_attendance (circle_id, session_n, user_id) {
        circle_id -> Text,
        session_n -> Integer,
        user_id -> Text,
        present -> Bool,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    circle_check_ins (id) {
        id -> Text,
        circle_id -> Text,
        author_id -> Text,
        rating -> Integer,
        note -> Nullable<Text>,
        needs_support -> Bool,
        handled_at -> Nullable<Timestamp>,
        handled_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(auth_tokens -> users (user_id));
diesel::joinable!(verification_codes -> users (user_id));
diesel::joinable!(password_reset_codes -> users (user_id));
diesel::joinable!(profile_tags -> tags (tag_slug));
diesel::joinable!(match_events -> matches (match_id));
diesel::joinable!(check_ins -> matches (match_id));
diesel::joinable!(matches -> requests (request_id));
diesel::joinable!(circle_members -> circles (circle_id));
diesel::joinable!(circle_members -> circle_requests (request_id));
diesel::joinable!(circles -> circle_runs (run_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    user_roles,
    verification_codes,
    password_reset_codes,
    auth_tokens,
    tags,
    profiles,
    profile_tags,
    outbox,
    requests,
    matching_runs,
    matches,
    match_events,
    check_ins,
    blocks,
    reports,
    safety_identities,
    notification_prefs,
    imports,
    facilitators,
    circle_requests,
    circle_runs,
    circles,
    circle_members,
    circle_attendance,
    circle_check_ins,
);
