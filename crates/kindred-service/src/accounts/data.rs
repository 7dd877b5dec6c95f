//! A person's own data: the export (GDPR art. 15 and 20) and erasure.

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_db::models::User;
use kindred_db::DbConnection;
use serde::Serialize;

use crate::accounts::{me, MeView};
use crate::caller::Caller;
use crate::error::ServiceResult;
use crate::matches::transitions::{close_open_matches, Actor};
use crate::matches::views::{match_view, MatchView};
use crate::notifications::{prefs_view, NotificationPrefs};
use crate::profiles::{profile_view, ProfileView};
use crate::requests::{request_view, RequestView};
use crate::safety::{check_in_view, report_view, CheckInView, ReportView};

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedToken {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedEmail {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub state: String,
    /// Kept until delivery; sent emails keep no body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// Everything Kindred stores about a person (GDPR art. 15 and 20).
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Export {
    pub exported_at: DateTime<Utc>,
    pub account: MeView,
    pub verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Sessions (token hashes are not exported: they are useless to the person).
    pub sessions: Vec<ExportedToken>,
    pub profiles: Vec<ProfileView>,
    pub emails: Vec<ExportedEmail>,
    pub requests: Vec<RequestView>,
    pub matches: Vec<MatchView>,
    /// Check-ins the person wrote.
    pub check_ins: Vec<CheckInView>,
    /// Reports the person filed.
    pub reports: Vec<ReportView>,
    /// People the person blocked (ids only).
    pub blocked_user_ids: Vec<String>,
    pub notifications: NotificationPrefs,
    /// Circle requests, the circles they were in or led, their circle check-ins.
    pub circles: crate::circles::CirclesExport,
}

fn sessions(conn: &mut DbConnection, user: &User) -> ServiceResult<Vec<ExportedToken>> {
    Ok(kindred_db::tokens::tokens_for_user(conn, &user.id)?
        .into_iter()
        .map(|t| ExportedToken {
            id: t.id,
            created_at: t.created_at.and_utc(),
            expires_at: t.expires_at.and_utc(),
            revoked_at: t.revoked_at.map(|r| r.and_utc()),
        })
        .collect())
}

fn emails(conn: &mut DbConnection, user: &User) -> ServiceResult<Vec<ExportedEmail>> {
    Ok(kindred_db::outbox::for_user(conn, &user.id)?
        .into_iter()
        .map(|row| ExportedEmail {
            subject: serde_json::from_str::<kindred_mail::OutgoingEmail>(&row.message)
                .map(|m| m.subject)
                .ok(),
            id: row.id,
            kind: row.kind,
            recipient: row.recipient,
            state: row.state,
            attempts: row.attempts,
            created_at: row.created_at.and_utc(),
            sent_at: row.sent_at.map(|s| s.and_utc()),
        })
        .collect())
}

fn matches(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
) -> ServiceResult<Vec<MatchView>> {
    kindred_db::matches::matches_of_user(conn, caller.id(), &[])?
        .iter()
        // Proposals under coordinator review are not theirs to see yet.
        .filter(|m| !m.state.is_coordinator_only())
        .map(|m| match_view(conn, settings, m, caller.id(), caller.is_coordinator()))
        .collect()
}

/// Everything stored about the caller, read in one transaction.
pub fn export(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
) -> ServiceResult<Export> {
    let user = &caller.user;
    kindred_db::read_tx(conn, |conn| -> ServiceResult<Export> {
        let profiles = kindred_db::profiles::for_user(conn, &user.id)?
            .iter()
            .map(|p| profile_view(p, true))
            .collect::<ServiceResult<Vec<_>>>()?;
        let requests = kindred_db::requests::requests_for_mentee(conn, &user.id)?
            .iter()
            .map(request_view)
            .collect();
        let check_ins = kindred_db::safety::check_ins_by_author(conn, &user.id)?
            .into_iter()
            .map(check_in_view)
            .collect();
        let reports = kindred_db::safety::reports_by(conn, &user.id)?
            .into_iter()
            .map(report_view)
            .collect();
        let blocked_user_ids = kindred_db::safety::blocks_by(conn, &user.id)?
            .into_iter()
            .map(|b| b.blocked_id)
            .collect();
        Ok(Export {
            exported_at: Utc::now(),
            verified_at: user.verified_at.map(|v| v.and_utc()),
            updated_at: user.updated_at.and_utc(),
            account: me(caller),
            sessions: sessions(conn, user)?,
            profiles,
            emails: emails(conn, user)?,
            requests,
            matches: matches(conn, settings, caller)?,
            check_ins,
            reports,
            blocked_user_ids,
            notifications: prefs_view(&kindred_db::notifications::get_prefs(conn, &user.id)?),
            circles: crate::circles::export(conn, caller)?,
        })
    })
}

/// Erases the caller: open matches end, sessions are revoked, profiles,
/// pending email and jobs about them go, and the account becomes an
/// anonymous tombstone.
pub fn erase(conn: &mut DbConnection, settings: &Settings, caller: &Caller) -> ServiceResult<()> {
    let user = &caller.user;
    kindred_db::write_tx(conn, |conn| -> ServiceResult<()> {
        // Blocks and reports outlive erasure: the email identity stays if
        // one of them needs it (docs/privacy.md), and goes otherwise.
        crate::safety::record_identity(conn, &user.id, user.email.as_deref())?;
        // Open matches end first (their emails to the erased person are
        // then deleted with the rest of their outbox rows).
        let open = kindred_db::matches::matches_of_user(
            conn,
            &user.id,
            &kindred_db::matches::open_states(),
        )?;
        close_open_matches(conn, settings, open, &Actor::SYSTEM, "account deleted")?;
        crate::circles::safety::on_erasure(conn, settings, &user.id)?;
        kindred_db::erasure::scrub_user(conn, &user.id)?;
        kindred_db::jobs::cancel_for_user(conn, &user.id)?;
        kindred_db::users::erase(conn, &user.id, user.email.as_deref())?;
        kindred_db::safety::keep_identity_only_if_needed(conn, &user.id)?;
        Ok(())
    })?;
    tracing::info!(user_id = %user.id, "account erased");
    // Old page versions in SQLite's WAL still hold what was just erased.
    match kindred_db::checkpoint_after_erasure(conn) {
        Ok(true) => {}
        Ok(false) => tracing::warn!(
            "WAL checkpoint after an erasure stayed busy; the WAL empties at a later checkpoint"
        ),
        Err(e) => tracing::warn!(error = %e, "WAL checkpoint after an erasure failed"),
    }
    Ok(())
}

/// Erases the caller after they typed their password again (the web app's
/// "delete my account": a session left open on a shared computer must not
/// be enough). A wrong password is `422` naming `password`, and nothing is
/// erased. Runs on a blocking thread (the hash check is slow on purpose).
pub fn erase_confirmed(
    pool: &kindred_db::Pool,
    settings: &Settings,
    caller: &Caller,
    password: &str,
) -> ServiceResult<()> {
    if password.is_empty() {
        return Err(crate::error::ServiceError::field("password", "is required"));
    }
    if !crate::credentials::verify_password(password, caller.user.password_hash.as_deref()) {
        return Err(crate::error::ServiceError::field(
            "password",
            "is not the current password",
        ));
    }
    let mut conn = pool.get().map_err(kindred_db::DbError::from)?;
    erase(&mut conn, settings, caller)
}
