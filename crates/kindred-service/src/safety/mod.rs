//! The safety side of a match: check-ins, blocks and reports; the
//! coordinators' safety inbox is in `inbox`.

pub mod inbox;

use chrono::{DateTime, Utc};
use kindred_core::FieldErrors;
use kindred_db::models::{CheckIn, Report};
use kindred_db::DbConnection;
use serde::{Deserialize, Serialize};

use kindred_config::Settings;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::transitions::{close_open_matches, Actor};
use crate::matches::views::{visible_match, BLOCK_REASON};
use crate::pagination::{Page, PageQuery};

/// Domain separation for the email identity HMAC.
const IDENTITY_CONTEXT: &[u8] = b"kindred-safety-identity\0";

/// `HMAC-SHA256(server secret, normalised email)`, hex: the identity that lets
/// a block and the report history follow a person across erasure and
/// re-registration without keeping their email. The secret
/// (`safety_email_hmac_key` in `app_secrets`) is created on first use.
pub fn email_identity(conn: &mut DbConnection, email: &str) -> kindred_db::DbResult<String> {
    use hmac::{Hmac, Mac};
    let hex_key = kindred_db::secrets::get_or_create(conn, "safety_email_hmac_key", || {
        use rand::RngCore;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes)
    })?;
    let key = hex::decode(hex_key)
        .map_err(|e| kindred_db::DbError::Corrupt(format!("safety identity key: {e}")))?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&key)
        .map_err(|e| kindred_db::DbError::Corrupt(format!("safety identity key: {e}")))?;
    mac.update(IDENTITY_CONTEXT);
    mac.update(kindred_core::Email::normalize(email).as_bytes());
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// Records the email identity of a live account (a no-op when it has one,
/// or has no email). Written at verification, and on demand for accounts
/// older than the identity table when a block, report or erasure needs it.
pub fn record_identity(
    conn: &mut DbConnection,
    user_id: &str,
    email: Option<&str>,
) -> kindred_db::DbResult<()> {
    if let Some(email) = email {
        let hash = email_identity(conn, email)?;
        kindred_db::safety::record_identity(conn, user_id, &hash)?;
    }
    Ok(())
}

/// What coordinators see on a new account whose email belonged to an
/// erased account that was reported: how many reports, and when the last
/// one was filed. Never their text.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EarlierReports {
    pub count: i64,
    pub last_at: DateTime<Utc>,
}

/// Reports about earlier (erased) accounts with the same email as `user_id`.
pub fn earlier_reports(
    conn: &mut DbConnection,
    user_id: &str,
) -> ServiceResult<Option<EarlierReports>> {
    let (count, last) = kindred_db::safety::earlier_reports(conn, user_id)?;
    Ok(last.filter(|_| count > 0).map(|last| EarlierReports {
        count,
        last_at: last.and_utc(),
    }))
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// 1 (struggling) to 5 (going well).
    #[serde(deserialize_with = "kindred_core::serde_util::integer")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub rating: i64,
    /// Seen by coordinators and the author only; ≤ 2000 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
    /// Asks a coordinator to get in touch; they are alerted at once (or, while alerts flood, in one summary at the end of `safety.alert_batch_window`).
    #[serde(default)]
    pub needs_support: bool,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckInView {
    pub id: String,
    pub match_id: String,
    pub author_id: String,
    pub rating: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the author asked a coordinator for support. A check-in is
    /// shown only to its author and to coordinators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub needs_support: Option<bool>,
    pub created_at: DateTime<Utc>,
    /// When a coordinator marked this request for support handled (the
    /// safety inbox); `null` while it is open.
    pub handled_at: Option<DateTime<Utc>>,
}

pub fn check_in_view(c: CheckIn) -> CheckInView {
    CheckInView {
        id: c.id,
        match_id: c.match_id,
        author_id: c.author_id,
        rating: c.rating,
        note: c.note,
        needs_support: Some(c.needs_support),
        created_at: c.created_at.and_utc(),
        handled_at: c.handled_at.map(|t| t.and_utc()),
    }
}

fn check_in_errors(input: &CheckInInput) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !(1..=5).contains(&input.rating) {
        errors.add("rating", "must be from 1 to 5");
    }
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        errors.add("note", "at most 2000 characters");
    }
    errors
}

/// A participant of an active match reports how it is going; a request for
/// support alerts the coordinators at once (batched like report alerts when
/// they flood, see `emails::alerts`).
pub fn create_check_in(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    match_id: &str,
    input: &CheckInInput,
) -> ServiceResult<CheckInView> {
    let errors = check_in_errors(input);
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let m = visible_match(conn, caller, match_id)?;
        if m.mentor_id != caller.id() && m.mentee_id != caller.id() {
            return Err(ServiceError::Forbidden(
                "only the two participants check in".into(),
            ));
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if m.state != kindred_core::MatchState::Active {
            return Err(ServiceError::conflict_in(
                "check-ins are for active matches",
                m.state,
            ));
        }
        let c = CheckIn {
            id: kindred_db::new_id(),
            match_id: m.id.clone(),
            author_id: caller.id().to_string(),
            rating: i32::try_from(input.rating).unwrap_or(1),
            note: input
                .note
                .as_ref()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty()),
            needs_support: input.needs_support,
            created_at: kindred_db::now(),
            handled_at: None,
            handled_by: None,
        };
        kindred_db::safety::insert_check_in(conn, &c)?;
        if c.needs_support {
            crate::emails::needs_support_alert(conn, settings, &m, &c.id, c.rating)?;
        }
        Ok(check_in_view(c))
    })
}

/// Check-ins of a match: its participants and coordinators. Check-in
/// answers are seen by their author and coordinators only, so a participant
/// (even one who is also a coordinator) gets their own check-ins and
/// nothing of the other person's, not even that one exists.
pub fn list_check_ins(
    conn: &mut DbConnection,
    caller: &Caller,
    match_id: &str,
) -> ServiceResult<Vec<CheckInView>> {
    let m = visible_match(conn, caller, match_id)?;
    let participant = m.mentor_id == caller.id() || m.mentee_id == caller.id();
    let rows = kindred_db::safety::check_ins_for_match(conn, &m.id)?;
    Ok(rows
        .into_iter()
        .filter(|c| c.author_id == caller.id() || (caller.is_coordinator() && !participant))
        .map(check_in_view)
        .collect())
}

/// Check-ins that asked for support, newest first (coordinators; the only
/// filter is `needs_support = true`).
pub fn support_queue(
    conn: &mut DbConnection,
    caller: &Caller,
    needs_support: Option<bool>,
) -> ServiceResult<Vec<CheckInView>> {
    caller.require_coordinator()?;
    if needs_support != Some(true) {
        return Err(ServiceError::field(
            "needs_support",
            "only needs_support=true is supported",
        ));
    }
    let rows = kindred_db::safety::needs_support(conn, 200)?;
    Ok(rows.into_iter().map(check_in_view).collect())
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    /// The person to block; `404` if there is no such person.
    #[cfg_attr(feature = "openapi", schema(format = "uuid"))]
    pub user_id: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlockView {
    pub user_id: String,
    pub created: bool,
}

/// Blocks someone: the pair is never proposed again, in either direction,
/// and any open match between them is closed.
pub fn block(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &BlockInput,
) -> ServiceResult<BlockView> {
    let target = input.user_id.as_str();
    if target == caller.id() {
        return Err(ServiceError::field("user_id", "you cannot block yourself"));
    }
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let Some(blocked) = kindred_db::users::find(conn, target)? else {
            return Err(ServiceError::NotFound);
        };
        record_identity(conn, caller.id(), caller.user.email.as_deref())?;
        record_identity(conn, &blocked.id, blocked.email.as_deref())?;
        let created = kindred_db::safety::insert_block(conn, caller.id(), target)?;
        let open = kindred_db::matches::open_matches_between(conn, caller.id(), target)?;
        let actor = Actor {
            user_id: Some(caller.id()),
            role: "participant",
        };
        close_open_matches(conn, settings, open, &actor, BLOCK_REASON)?;
        crate::circles::safety::on_block(conn, settings, caller.id(), target)?;
        Ok(BlockView {
            user_id: target.to_string(),
            created,
        })
    })
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    /// The person the report is about; `404` if there is no such person.
    #[cfg_attr(feature = "openapi", schema(format = "uuid"))]
    pub about_user_id: String,
    /// A match of the reported person's that the caller can see.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(format = "uuid"))]
    pub match_id: Option<String>,
    /// What happened (not blank, ≤ 5000 characters). Seen by coordinators only.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 5000,
            pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
        )
    )]
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportView {
    pub id: String,
    pub reporter_id: Option<String>,
    pub about_user_id: String,
    pub match_id: Option<String>,
    pub reason: String,
    /// `open`, or `resolved` once a coordinator marked it handled.
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// When a coordinator marked the report handled (the safety inbox);
    /// `null` while it is open.
    pub handled_at: Option<DateTime<Utc>>,
}

pub fn report_view(r: Report) -> ReportView {
    ReportView {
        id: r.id,
        reporter_id: r.reporter_id,
        about_user_id: r.about_user_id,
        match_id: r.match_id,
        reason: r.reason,
        status: r.status,
        created_at: r.created_at.and_utc(),
        handled_at: r.handled_at.map(|t| t.and_utc()),
    }
}

fn report_errors(caller: &Caller, input: &ReportInput, reason: &str) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    // The maximum counts the reason as sent, like the schema's `maxLength`.
    if reason.is_empty() || input.reason.chars().count() > 5000 {
        errors.add("reason", "must be 1 to 5000 characters");
    }
    if input.about_user_id == caller.id() {
        errors.add("about_user_id", "you cannot report yourself");
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors.into())
    }
}

/// Reports a concern about someone; coordinators are alerted at once
/// (the alert does not carry the text), or, when a report alert went out
/// within `safety.alert_batch_window`, counted into that window's summary
/// (`emails::alerts`).
pub fn report(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &ReportInput,
) -> ServiceResult<ReportView> {
    let reason = input.reason.trim().to_string();
    report_errors(caller, input, &reason)?;
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let Some(about) = kindred_db::users::find(conn, &input.about_user_id)? else {
            return Err(ServiceError::NotFound);
        };
        record_identity(conn, &about.id, about.email.as_deref())?;
        if let Some(match_id) = &input.match_id {
            let m = visible_match(conn, caller, match_id)?;
            if m.mentor_id != input.about_user_id && m.mentee_id != input.about_user_id {
                return Err(ServiceError::field(
                    "match_id",
                    "the reported person is not part of this match",
                ));
            }
        }
        let r = Report {
            id: kindred_db::new_id(),
            reporter_id: Some(caller.id().to_string()),
            about_user_id: input.about_user_id.clone(),
            match_id: input.match_id.clone(),
            reason: reason.clone(),
            status: "open".into(),
            created_at: kindred_db::now(),
            handled_at: None,
            handled_by: None,
        };
        kindred_db::safety::insert_report(conn, &r)?;
        crate::emails::report_alert(conn, settings, &r.id)?;
        Ok(report_view(r))
    })
}

/// Every report, oldest first (coordinators).
pub fn list_reports(
    conn: &mut DbConnection,
    caller: &Caller,
    page: PageQuery,
) -> ServiceResult<Page<ReportView>> {
    caller.require_coordinator()?;
    let page = page.validate()?;
    let (rows, next) = page.load(conn, kindred_db::safety::list_reports, |r| r.id.clone())?;
    Ok(Page {
        items: rows.into_iter().map(report_view).collect(),
        next_cursor: next,
    })
}
