//! The values of each email. Times are UTC (`date_utc`) or local with their
//! zone (`date_local`); durations are seconds (`duration`); tags are the
//! taxonomy's labels ("Coming out at work", not slugs) of tags both people
//! show publicly.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Serialize;

use super::Email;

/// The one-time code sent on registration. The text part holds the exact
/// line `Verification code: <code>` (in English).
///
/// It goes to an address nobody has proven yet, so it carries no text the
/// registrant chose (no name greeting): anyone can register anyone's
/// address, and this email must not become a way to mail them one's own
/// words.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationCode<'a> {
    pub code: &'a str,
    pub ttl_secs: u64,
}

impl Email for VerificationCode<'_> {
    const NAME: &'static str = "verification_code";
}

/// Sent instead of a code when someone registers with an address that
/// already has an account. Like the code email it carries no text the
/// registrant chose. `reset_route` is where to choose a new password (the web app's
/// `https://…/password/forgot`).
#[derive(Debug, Clone, Serialize)]
pub struct AlreadyRegistered<'a> {
    pub reset_route: &'a str,
}

impl Email for AlreadyRegistered<'_> {
    const NAME: &'static str = "already_registered";
}

/// The one-time code of a password reset. The text part holds the exact
/// line `Reset code: <code>` (in English). Only sent to the address of an
/// existing account.
#[derive(Debug, Clone, Serialize)]
pub struct PasswordResetCode<'a> {
    pub code: &'a str,
    pub ttl_secs: u64,
}

impl Email for PasswordResetCode<'_> {
    const NAME: &'static str = "password_reset_code";
}

/// Sent to each new address of a coordinator's CSV import: the account
/// exists without a password, and this one-time code chooses one through
/// the password-reset confirmation. The text part holds the exact line
/// `Invitation code: <code>` (in English). `role` is `mentee` or `mentor`;
/// `accept_url` is the web app's page that takes the code
/// (`<public_url>/invitation`); `confirm_route` and `consent_route` name
/// the API's routes for apps. No name or other cell of the file is in it.
#[derive(Debug, Clone, Serialize)]
pub struct Invitation<'a> {
    pub code: &'a str,
    pub ttl_secs: u64,
    pub role: &'a str,
    pub accept_url: &'a str,
    pub confirm_route: &'a str,
    pub consent_route: &'a str,
}

impl Email for Invitation<'_> {
    const NAME: &'static str = "invitation";
}

/// One public component of a match explanation (never the private
/// overlap): its `name` and English `detail` as the engine wrote them, and
/// for `shared_experience` the labels of the shared public tags. Shown as
/// a sentence in the reader's language (`reason_sentence`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub name: String,
    pub detail: String,
    pub tags: Vec<String>,
}

/// Tells a mentor about a proposed mentee, why they were matched, and by
/// when to answer.
#[derive(Debug, Clone, Serialize)]
pub struct MentorNotice<'a> {
    pub mentor_name: &'a str,
    pub mentee_name: &'a str,
    pub reasons: Vec<Reason>,
    pub shared_tags: &'a [String],
    pub respond_by: DateTime<Utc>,
    pub link: &'a str,
}

impl Email for MentorNotice<'_> {
    const NAME: &'static str = "mentor_notice";
}

/// A reminder to a mentor who has not answered a proposal yet.
#[derive(Debug, Clone, Serialize)]
pub struct MentorReminder<'a> {
    pub mentor_name: &'a str,
    pub mentee_name: &'a str,
    pub respond_by: DateTime<Utc>,
    pub link: &'a str,
}

impl Email for MentorReminder<'_> {
    const NAME: &'static str = "mentor_reminder";
}

/// Tells a mentor that a proposal expired without an answer.
#[derive(Debug, Clone, Serialize)]
pub struct MatchExpiredMentor<'a> {
    pub mentor_name: &'a str,
    pub mentee_name: &'a str,
    pub link: &'a str,
}

impl Email for MatchExpiredMentor<'_> {
    const NAME: &'static str = "match_expired_mentor";
}

/// Tells coordinators that a proposal expired unanswered after
/// `waited_secs`.
#[derive(Debug, Clone, Serialize)]
pub struct MatchExpiredCoordinator<'a> {
    pub match_id: &'a str,
    pub waited_secs: u64,
    pub link: &'a str,
}

impl Email for MatchExpiredCoordinator<'_> {
    const NAME: &'static str = "match_expired_coordinator";
}

/// A local time and the abbreviation of its zone ("CET").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalTime {
    pub at: NaiveDateTime,
    pub zone: String,
}

/// Introduces a mentor and a mentee to each other once the match is
/// accepted: the other's name, pronouns and contact, what they share, the
/// first steps and, when a common free time was found, the first meeting
/// (the calendar invitation is attached by the caller).
#[derive(Debug, Clone, Serialize)]
pub struct Introduction<'a> {
    pub recipient_name: &'a str,
    pub other_name: &'a str,
    pub other_pronouns: Option<&'a str>,
    pub other_email: &'a str,
    pub shared_tags: &'a [String],
    pub checkin_interval_secs: u64,
    pub first_meeting: Option<LocalTime>,
}

impl Email for Introduction<'_> {
    const NAME: &'static str = "introduction";
}

/// Asks one person for their regular check-in.
#[derive(Debug, Clone, Serialize)]
pub struct CheckinReminder<'a> {
    pub recipient_name: &'a str,
    pub other_name: &'a str,
    pub link: &'a str,
}

impl Email for CheckinReminder<'_> {
    const NAME: &'static str = "checkin_reminder";
}

/// Tells coordinators that nobody in a match checked in for `quiet_secs`.
#[derive(Debug, Clone, Serialize)]
pub struct MatchStalledCoordinator<'a> {
    pub match_id: &'a str,
    pub quiet_secs: u64,
    pub link: &'a str,
}

impl Email for MatchStalledCoordinator<'_> {
    const NAME: &'static str = "match_stalled";
}

/// Alerts coordinators to a new report. Neither the subject nor the body
/// names the reporter or the reported person, and what was reported stays
/// in Kindred.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinatorAlertReport<'a> {
    pub report_id: &'a str,
    pub link: &'a str,
}

impl Email for CoordinatorAlertReport<'_> {
    const NAME: &'static str = "alert_report";
}

/// Alerts coordinators that a check-in answer asked for support.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinatorAlertNeedsSupport<'a> {
    pub match_id: &'a str,
    pub rating: i32,
    pub link: &'a str,
}

impl Email for CoordinatorAlertNeedsSupport<'_> {
    const NAME: &'static str = "alert_needs_support";
}

/// The kinds of coordinator alert that are summed up when they flood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SummaryKind {
    Report,
    NeedsSupport,
}

/// Coordinators were alerted about one `kind` at once; `count` more came
/// within `window_secs` and are summed up here. Only a count and a link:
/// never the text of what was reported, nor who.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinatorAlertSummary<'a> {
    pub kind: SummaryKind,
    pub count: i64,
    pub window_secs: u64,
    pub link: &'a str,
}

impl Email for CoordinatorAlertSummary<'_> {
    const NAME: &'static str = "alert_summary";
}

/// The coordinators' periodic summary of what needs attention.
#[derive(Debug, Clone, Serialize)]
pub struct CoordinatorDigest<'a> {
    pub pending_proposals: usize,
    pub long_waiting: usize,
    pub stalled: usize,
    pub dead_jobs: usize,
    pub link: &'a str,
}

impl Email for CoordinatorDigest<'_> {
    const NAME: &'static str = "coordinator_digest";
}
