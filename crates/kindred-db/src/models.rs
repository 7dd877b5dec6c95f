//! Row types. JSON-valued columns are plain `String`s here; the API layer
//! owns their shape.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kindred_core::{MatchState, RequestState, Role};

use crate::schema::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub email: Option<String>,
    pub password_hash: Option<String>,
    pub display_name: String,
    pub pronouns: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
    /// Set on operator-made accounts until their one-time password is changed.
    pub must_change_password: bool,
    /// The language of the person's emails and, once signed in, of the web
    /// app: a tag of `kindred_core::Lang` (`en`, `es`).
    pub preferred_language: String,
    /// When a coordinator's CSV import created the account (no password
    /// until the invitation code is used).
    pub invited_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = user_roles)]
pub struct UserRole {
    pub user_id: String,
    pub role: Role,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = verification_codes)]
pub struct VerificationCode {
    pub id: String,
    pub user_id: String,
    pub code_hash: String,
    pub attempts: i32,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    /// The registration this code proves, applied when it is used.
    pub password_hash: String,
    pub display_name: String,
    pub pronouns: Option<String>,
    pub role: Role,
    /// False when the registration was contested (another registration of the
    /// address had a live code): the code then proves the mailbox only.
    pub sets_password: bool,
    /// The registration's language, which becomes the account's preferred
    /// language when the code is used.
    pub language: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = password_reset_codes)]
pub struct PasswordResetCode {
    pub id: String,
    pub user_id: String,
    pub code_hash: String,
    pub attempts: i32,
    pub expires_at: NaiveDateTime,
    pub used_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = auth_tokens)]
pub struct AuthToken {
    pub id: String,
    pub user_id: String,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, PartialEq)]
#[diesel(table_name = tags)]
pub struct Tag {
    pub slug: String,
    pub label: String,
    pub category: String,
    pub sensitive: bool,
    pub retired: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = profiles)]
pub struct Profile {
    pub user_id: String,
    pub kind: String,
    pub bio: String,
    pub languages: String,
    pub timezone: String,
    pub availability: String,
    pub meeting_modes: String,
    pub region: Option<String>,
    pub goals: Option<String>,
    pub capacity: Option<i32>,
    pub accepting: bool,
    pub sensitive_consent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Facilitator profiles only.
    pub max_circles: Option<i32>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = profile_tags)]
pub struct ProfileTag {
    pub user_id: String,
    pub kind: String,
    pub tag_slug: String,
    pub private: bool,
    pub position: i32,
    /// Imported private or sensitive tag the person has not confirmed yet:
    /// kept on the profile, ignored by matching, never exported.
    pub pending: bool,
}

/// One CSV import (`POST /admin/imports`) and its progress.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = imports)]
pub struct ImportRow {
    pub id: String,
    pub started_by: Option<String>,
    pub dry_run: bool,
    pub state: String,
    /// The CSV text while the import runs; emptied when it ends.
    pub body: String,
    pub total_rows: i32,
    pub processed: i32,
    pub created: i32,
    pub updated: i32,
    /// JSON `[{row, errors: {column: [message]}}]`.
    pub failed: String,
    pub error: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, QueryableByName)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: String,
    pub user_id: Option<String>,
    pub kind: String,
    pub dedupe_key: Option<String>,
    pub recipient: String,
    pub message: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// The worker holding the lease (while `sending`; kept afterwards as history).
    pub locked_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = requests)]
pub struct Request {
    pub id: String,
    pub mentee_id: String,
    pub state: RequestState,
    pub required_tags: String,
    pub excluded_regions: String,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub matched_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = matching_runs)]
pub struct MatchingRun {
    pub id: String,
    pub mode: String,
    pub dry_run: bool,
    pub started_by: Option<String>,
    pub proposals: i32,
    pub unmatched: i32,
    pub total_score: i64,
    pub duration_ms: i64,
    pub report: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = matches)]
pub struct Match {
    pub id: String,
    pub request_id: String,
    pub mentor_id: String,
    pub mentee_id: String,
    pub run_id: Option<String>,
    pub state: MatchState,
    pub score: i64,
    pub explanation: String,
    pub note: Option<String>,
    pub ended_reason: Option<String>,
    pub awaiting_since: Option<NaiveDateTime>,
    pub activated_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = match_events)]
pub struct MatchEvent {
    pub id: String,
    pub match_id: String,
    pub from_state: Option<MatchState>,
    pub to_state: MatchState,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub reason: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = check_ins)]
pub struct CheckIn {
    pub id: String,
    pub match_id: String,
    pub author_id: String,
    pub rating: i32,
    pub note: Option<String>,
    pub needs_support: bool,
    pub created_at: NaiveDateTime,
    /// When a coordinator marked the support request handled (safety inbox).
    pub handled_at: Option<NaiveDateTime>,
    pub handled_by: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = blocks)]
pub struct Block {
    pub blocker_id: String,
    pub blocked_id: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reports)]
pub struct Report {
    pub id: String,
    pub reporter_id: Option<String>,
    pub about_user_id: String,
    pub match_id: Option<String>,
    pub reason: String,
    pub status: String,
    pub created_at: NaiveDateTime,
    /// When a coordinator marked the report handled (safety inbox).
    pub handled_at: Option<NaiveDateTime>,
    pub handled_by: Option<String>,
}

/// An account's email identity: `HMAC-SHA256(server secret, normalised email)`.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = safety_identities)]
pub struct SafetyIdentity {
    pub user_id: String,
    pub email_hash: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = notification_prefs)]
pub struct NotificationPrefs {
    pub user_id: String,
    pub checkin_reminders: bool,
    pub mentor_reminders: bool,
    pub digest: bool,
    pub updated_at: NaiveDateTime,
}
