//! Notification preferences, one-click unsubscribe, and the operator's view
//! of background jobs.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::emails::{CHECKIN_REMINDERS, DIGEST, MENTOR_REMINDERS};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me/notifications")
            .route(web::get().to(get_prefs))
            .route(web::put().to(put_prefs)),
    )
    .service(
        web::resource("/unsubscribe")
            .route(web::get().to(unsubscribe))
            .route(web::post().to(unsubscribe)),
    )
    .service(web::resource("/admin/jobs").route(web::get().to(list_jobs)))
    .service(web::resource("/admin/jobs/{id}/retry").route(web::post().to(retry_job)))
    .service(web::resource("/admin/emails").route(web::get().to(list_emails)))
    .service(web::resource("/admin/emails/{id}/retry").route(web::post().to(retry_email)));
}

/// Which optional emails a person receives. Introductions and safety
/// alerts are always sent.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPrefs {
    pub checkin_reminders: bool,
    pub mentor_reminders: bool,
    /// Coordinators' periodic digest.
    pub digest: bool,
}

pub fn prefs_view(p: &kindred_db::models::NotificationPrefs) -> NotificationPrefs {
    NotificationPrefs {
        checkin_reminders: p.checkin_reminders,
        mentor_reminders: p.mentor_reminders,
        digest: p.digest,
    }
}

/// The caller's notification preferences.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "accounts",
    responses((status = 200, body = NotificationPrefs), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_prefs(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let id = caller.id().to_string();
    let prefs = state
        .db(move |conn| Ok(kindred_db::safety::get_prefs(conn, &id)?))
        .await?;
    Ok(HttpResponse::Ok().json(prefs_view(&prefs)))
}

/// Replaces the caller's notification preferences.
#[utoipa::path(put, path = "/api/v1/me/notifications", tag = "accounts", request_body = NotificationPrefs,
    responses((status = 200, body = NotificationPrefs), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_prefs(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<NotificationPrefs>,
) -> ApiResult<HttpResponse> {
    let id = caller.id().to_string();
    let input = body.0;
    let prefs = state
        .db(move |conn| {
            let row = kindred_db::models::NotificationPrefs {
                user_id: id,
                checkin_reminders: input.checkin_reminders,
                mentor_reminders: input.mentor_reminders,
                digest: input.digest,
                updated_at: kindred_db::now(),
            };
            kindred_db::safety::put_prefs(conn, &row)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(prefs_view(&prefs)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UnsubscribeQuery {
    /// The signed token from the email's `List-Unsubscribe` link.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Unsubscribed {
    /// The category switched off.
    #[schema(example = "checkin_reminders")]
    pub unsubscribed: String,
}

/// One-click unsubscribe (RFC 8058: mail clients `POST` here; a browser `GET`
/// works too). The signed token names the person and the category.
#[utoipa::path(post, path = "/api/v1/unsubscribe", tag = "accounts", params(UnsubscribeQuery),
    responses((status = 200, body = Unsubscribed), (status = 400, body = crate::error::Problem)))]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    query: web::Query<UnsubscribeQuery>,
) -> ApiResult<HttpResponse> {
    let token = query.into_inner().token;
    let category = state
        .db(move |conn| {
            let key = crate::emails::unsubscribe_key(conn)?;
            let Some((user_id, category)) = kindred_mail::unsubscribe::verify(&key, &token) else {
                return Err(ApiError::BadRequest(
                    "this unsubscribe link is not valid".into(),
                ));
            };
            let mut prefs = kindred_db::safety::get_prefs(conn, &user_id)?;
            match category.as_str() {
                CHECKIN_REMINDERS => prefs.checkin_reminders = false,
                MENTOR_REMINDERS => prefs.mentor_reminders = false,
                DIGEST => prefs.digest = false,
                _ => {
                    return Err(ApiError::BadRequest(
                        "this unsubscribe link is not valid".into(),
                    ))
                }
            }
            prefs.updated_at = kindred_db::now();
            if kindred_db::users::find(conn, &user_id)?.is_some() {
                kindred_db::safety::put_prefs(conn, &prefs)?;
            }
            Ok(category)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Unsubscribed {
        unsubscribed: category,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct JobsQuery {
    /// pending, running, done, dead or cancelled
    pub state: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// Identifiers only (never personal data).
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
}

fn job_view(j: kindred_db::jobs::JobRow) -> JobView {
    JobView {
        payload: serde_json::from_str(&j.payload).unwrap_or(serde_json::Value::Null),
        id: j.id,
        kind: j.kind,
        state: j.state,
        attempts: j.attempts,
        max_attempts: j.max_attempts,
        run_at: j.run_at.and_utc(),
        last_error: j.last_error,
        created_at: j.created_at.and_utc(),
        finished_at: j.finished_at.map(|t| t.and_utc()),
    }
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JobPage {
    pub items: Vec<JobView>,
    pub next_cursor: Option<String>,
}

/// Background jobs, e.g. `?state=dead` with their last error (coordinators).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "operations", params(JobsQuery),
    responses((status = 200, body = JobPage), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_jobs(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<JobsQuery>,
) -> ApiResult<HttpResponse> {
    admin_list(
        &state,
        &caller,
        query.into_inner(),
        &kindred_db::jobs::STATES,
        kindred_db::jobs::list,
        |j| j.id.clone(),
        job_view,
    )
    .await
}

/// Puts a dead job back in the queue with fresh attempts (coordinators).
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = JobView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn retry_job(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let job = admin_retry(
        &state,
        &caller,
        path.into_inner(),
        "jobs",
        |c, id| Ok(kindred_db::jobs::get(c, id)?.map(|j| (j.state.clone(), j))),
        kindred_db::jobs::retry_dead,
    )
    .await?;
    Ok(HttpResponse::Ok().json(job_view(job)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailView {
    pub id: String,
    pub kind: String,
    pub recipient: String,
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

fn email_view(r: kindred_db::models::OutboxRow) -> EmailView {
    EmailView {
        id: r.id,
        kind: r.kind,
        recipient: r.recipient,
        state: r.state,
        attempts: r.attempts,
        last_error: r.last_error,
        next_attempt_at: r.next_attempt_at.and_utc(),
        created_at: r.created_at.and_utc(),
        sent_at: r.sent_at.map(|t| t.and_utc()),
    }
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EmailPage {
    pub items: Vec<EmailView>,
    pub next_cursor: Option<String>,
}

const EMAIL_STATES: [&str; 5] = ["pending", "sending", "sent", "dead", "cancelled"];

/// The mail outbox, e.g. `?state=dead` with the last SMTP error (coordinators).
/// Bodies are never shown.
#[utoipa::path(get, path = "/api/v1/admin/emails", tag = "operations", params(JobsQuery),
    responses((status = 200, body = EmailPage), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_emails(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<JobsQuery>,
) -> ApiResult<HttpResponse> {
    admin_list(
        &state,
        &caller,
        query.into_inner(),
        &EMAIL_STATES,
        kindred_db::outbox::list,
        |r| r.id.clone(),
        email_view,
    )
    .await
}

/// Sends a dead email again with fresh attempts (coordinators).
#[utoipa::path(post, path = "/api/v1/admin/emails/{id}/retry", tag = "operations", params(("id" = String, Path)),
    responses((status = 200, body = EmailView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn retry_email(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let row = admin_retry(
        &state,
        &caller,
        path.into_inner(),
        "emails",
        |c, id| Ok(kindred_db::outbox::get(c, id)?.map(|r| (r.state.clone(), r))),
        kindred_db::outbox::retry_dead,
    )
    .await?;
    state.mail_queued();
    Ok(HttpResponse::Ok().json(email_view(row)))
}

type Loader<T> = fn(
    &mut kindred_db::DbConnection,
    Option<&str>,
    Option<&str>,
    i64,
) -> kindred_db::DbResult<Vec<T>>;

/// A coordinator's page of background rows (jobs or emails), optionally in one state.
async fn admin_list<T: Send + 'static, V: Serialize>(
    state: &AppState,
    caller: &Caller,
    query: JobsQuery,
    states: &'static [&'static str],
    load: Loader<T>,
    key: fn(&T) -> String,
    view: fn(T) -> V,
) -> ApiResult<HttpResponse> {
    caller.require_coordinator()?;
    if let Some(s) = query.state.as_deref() {
        if !states.contains(&s) {
            return Err(ApiError::field(
                "state",
                format!("must be one of {}", states.join(", ")),
            ));
        }
    }
    let page = PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    }
    .validate()?;
    let wanted = query.state;
    let (rows, next) = state
        .db(move |conn| {
            page.load(
                conn,
                |c, after, n| load(c, wanted.as_deref(), after, n),
                key,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page {
        items: rows.into_iter().map(view).collect(),
        next_cursor: next,
    }))
}

/// Reads a row with its state.
type StateAndRow<T> = fn(&mut kindred_db::DbConnection, &str) -> ApiResult<Option<(String, T)>>;

/// Moves a dead row (job or email) back to pending; anything else is 409.
async fn admin_retry<T: Send + 'static>(
    state: &AppState,
    caller: &Caller,
    id: String,
    what: &'static str,
    get: StateAndRow<T>,
    retry: fn(&mut kindred_db::DbConnection, &str) -> kindred_db::DbResult<bool>,
) -> ApiResult<T> {
    caller.require_coordinator()?;
    state
        .db(move |conn| {
            let (current, _) = get(conn, &id)?.ok_or(ApiError::NotFound)?;
            if !retry(conn, &id)? {
                return Err(ApiError::Conflict {
                    detail: format!("only dead {what} can be retried"),
                    current_state: Some(current),
                });
            }
            get(conn, &id)?
                .map(|(_, row)| row)
                .ok_or(ApiError::NotFound)
        })
        .await
}
