//! The caller's own account: read, add a role, export, erase.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_core::AddRoleInput;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::routes::profiles::{profile_view, ProfileView};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me")
            .route(web::get().to(get_me))
            .route(web::delete().to(delete_me)),
    )
    .service(web::resource("/me/roles").route(web::post().to(add_role)))
    .service(web::resource("/me/export").route(web::get().to(export_me)));
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MeView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    #[schema(example = json!(["mentee"]))]
    pub roles: Vec<String>,
    pub created_at: DateTime<Utc>,
}

pub fn me_view(user: &kindred_db::models::User, roles: Vec<String>) -> MeView {
    MeView {
        id: user.id.clone(),
        email: user.email.clone().unwrap_or_default(),
        display_name: user.display_name.clone(),
        pronouns: user.pronouns.clone(),
        roles,
        created_at: user.created_at.and_utc(),
    }
}

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeView), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_me(caller: Caller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(me_view(&caller.user, caller.roles.clone())))
}

/// Adds the mentee or mentor role to the caller (a person may hold both).
#[utoipa::path(post, path = "/api/v1/me/roles", tag = "accounts",
    request_body = AddRoleInput,
    responses((status = 200, body = MeView), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn add_role(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<AddRoleInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0.validate_all()?;
    let user = caller.user.clone();
    let view = state
        .db(move |conn| {
            kindred_db::users::add_role(conn, &user.id, input.role.as_str())?;
            let roles = kindred_db::users::roles(conn, &user.id)?;
            Ok(me_view(&user, roles))
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Serialize, ToSchema)]
pub struct ExportedToken {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
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
#[derive(Serialize, ToSchema)]
pub struct Export {
    pub exported_at: DateTime<Utc>,
    pub account: MeView,
    pub verified_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// Sessions (token hashes are not exported: they are useless to the person).
    pub sessions: Vec<ExportedToken>,
    pub profiles: Vec<ProfileView>,
    pub emails: Vec<ExportedEmail>,
    pub requests: Vec<crate::routes::requests::RequestView>,
    pub matches: Vec<crate::routes::matches::MatchView>,
    /// Check-ins the person wrote.
    pub check_ins: Vec<crate::routes::safety::CheckInView>,
    /// Reports the person filed.
    pub reports: Vec<crate::routes::safety::ReportView>,
    /// People the person blocked (ids only).
    pub blocked_user_ids: Vec<String>,
    pub notifications: crate::routes::notifications::NotificationPrefs,
}

/// Everything stored about the caller, as JSON.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    responses((status = 200, body = Export), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let user = caller.user.clone();
    let roles = caller.roles.clone();
    let settings = state.settings.clone();
    let is_coordinator = caller.is_coordinator();
    let export = state
        .db(move |conn| {
            kindred_db::read_tx(conn, |conn| -> ApiResult<Export> {
                use crate::routes::{matches::match_view, requests::request_view, safety};
                let sessions = kindred_db::users::tokens_for_user(conn, &user.id)?
                    .into_iter()
                    .map(|t| ExportedToken {
                        id: t.id,
                        created_at: t.created_at.and_utc(),
                        expires_at: t.expires_at.and_utc(),
                        revoked_at: t.revoked_at.map(|r| r.and_utc()),
                    })
                    .collect();
                let profiles = kindred_db::profiles::for_user(conn, &user.id)?
                    .iter()
                    .map(|p| profile_view(p, true))
                    .collect::<ApiResult<Vec<_>>>()?;
                let emails = kindred_db::outbox::for_user(conn, &user.id)?
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
                    .collect();
                let requests = kindred_db::lifecycle::requests_for_mentee(conn, &user.id)?
                    .iter()
                    .map(request_view)
                    .collect();
                let matches = kindred_db::lifecycle::matches_of_user(conn, &user.id, &[])?
                    .iter()
                    // Proposals under coordinator review are not theirs to see yet.
                    .filter(|m| {
                        !kindred_db::lifecycle::COORDINATOR_ONLY_STATES.contains(&m.state.as_str())
                    })
                    .map(|m| match_view(conn, &settings, m, &user.id, is_coordinator))
                    .collect::<ApiResult<Vec<_>>>()?;
                let check_ins = kindred_db::safety::check_ins_by_author(conn, &user.id)?
                    .into_iter()
                    .map(safety::check_in_view)
                    .collect();
                let reports = kindred_db::safety::reports_by(conn, &user.id)?
                    .into_iter()
                    .map(safety::report_view)
                    .collect();
                let blocked_user_ids = kindred_db::safety::blocks_by(conn, &user.id)?
                    .into_iter()
                    .map(|b| b.blocked_id)
                    .collect();
                Ok(Export {
                    exported_at: Utc::now(),
                    verified_at: user.verified_at.map(|v| v.and_utc()),
                    updated_at: user.updated_at.and_utc(),
                    account: me_view(&user, roles),
                    sessions,
                    profiles,
                    emails,
                    requests,
                    matches,
                    check_ins,
                    reports,
                    blocked_user_ids,
                    notifications: crate::routes::notifications::prefs_view(
                        &kindred_db::safety::get_prefs(conn, &user.id)?,
                    ),
                })
            })
        })
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"kindred-export.json\"",
        ))
        .json(export))
}

/// Erases the caller: tokens revoked, profiles and pending email removed,
/// the account reduced to an anonymous tombstone.
#[utoipa::path(delete, path = "/api/v1/me", tag = "accounts",
    responses((status = 204), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn delete_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let user = caller.user.clone();
    let settings = state.settings.clone();
    state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<()> {
                // Open matches end first (their emails to the erased person
                // are then deleted with the rest of their outbox rows).
                let open = kindred_db::lifecycle::matches_of_user(
                    conn,
                    &user.id,
                    &kindred_db::lifecycle::OPEN_MATCH_STATES,
                )?;
                let actor = crate::lifecycle::Actor {
                    user_id: None,
                    role: "system",
                };
                crate::lifecycle::close_open_matches(
                    conn,
                    &settings,
                    open,
                    &actor,
                    "account deleted",
                )?;
                kindred_db::lifecycle::scrub_user(conn, &user.id)?;
                crate::schedule::cancel_for_user(conn, &user.id)?;
                kindred_db::users::erase(conn, &user.id, user.email.as_deref())?;
                Ok(())
            })
        })
        .await?;
    tracing::info!(user_id = %caller.user.id, "account erased");
    Ok(HttpResponse::NoContent().finish())
}
