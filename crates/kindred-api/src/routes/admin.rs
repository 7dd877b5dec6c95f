//! The operators' view of background work: jobs and emails (coordinators).

use actix_web::{web, HttpResponse};
use kindred_service::admin::{self, EmailView, JobView};
use kindred_service::pagination::PageQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::Caller;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/admin/jobs").route(web::get().to(list_jobs)))
        .service(web::resource("/admin/jobs/{id}/retry").route(web::post().to(retry_job)))
        .service(web::resource("/admin/emails").route(web::get().to(list_emails)))
        .service(web::resource("/admin/emails/{id}/retry").route(web::post().to(retry_email)));
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobsQuery {
    /// pending, running, done, dead or cancelled
    #[param(pattern = "^(pending|running|done|dead|cancelled)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmailsQuery {
    /// pending, sending, sent, dead or cancelled
    #[param(pattern = "^(pending|sending|sent|dead|cancelled)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

fn split(
    state: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
) -> (Option<String>, PageQuery) {
    (state, PageQuery { limit, cursor })
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JobPage {
    pub items: Vec<JobView>,
    pub next_cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EmailPage {
    pub items: Vec<EmailView>,
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
    let q = query.into_inner();
    let (wanted, page) = split(q.state, q.limit, q.cursor);
    let found = state
        .call(move |conn, _| admin::list_jobs(conn, &caller, wanted.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
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
    let id = path.into_inner();
    let job = state
        .call(move |conn, _| admin::retry_job(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(job))
}

/// The mail outbox, e.g. `?state=dead` with the last SMTP error (coordinators).
/// Bodies are never shown.
#[utoipa::path(get, path = "/api/v1/admin/emails", tag = "operations", params(EmailsQuery),
    responses((status = 200, body = EmailPage), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_emails(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<EmailsQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let (wanted, page) = split(q.state, q.limit, q.cursor);
    let found = state
        .call(move |conn, _| admin::list_emails(conn, &caller, wanted.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
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
    let id = path.into_inner();
    let row = state
        .call(move |conn, _| admin::retry_email(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(row))
}
