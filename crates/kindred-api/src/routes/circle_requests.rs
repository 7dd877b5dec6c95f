//! Circle requests and circle runs.

use actix_web::{web, HttpResponse};
use kindred_service::circles::formation::{self, CircleRunInput, CircleRunView};
use kindred_service::circles::requests::{self, CircleRequestInput, CircleRequestView};
use kindred_service::pagination::PageQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/circle-requests")
            .route(web::post().to(create))
            .route(web::get().to(list)),
    )
    .service(
        web::resource("/circle-requests/{id}")
            .route(web::get().to(get))
            .route(web::delete().to(withdraw)),
    )
    .service(web::resource("/circle-runs").route(web::post().to(start_run)))
    .service(web::resource("/circle-runs/{id}").route(web::get().to(get_run)));
}

/// Asks for a place in a circle (a person with a mentee profile). `409` if
/// one is in progress.
#[utoipa::path(post, path = "/api/v1/circle-requests", tag = "circles", request_body = CircleRequestInput,
    responses((status = 201, body = CircleRequestView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CircleRequestInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| requests::create(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// A circle request: its author and coordinators.
#[utoipa::path(get, path = "/api/v1/circle-requests/{id}", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = CircleRequestView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, _| requests::get(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Withdraws a circle request (its author). One already invited to a
/// circle is `409`: leave the circle instead.
#[utoipa::path(delete, path = "/api/v1/circle-requests/{id}", tag = "circles", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    state
        .call(move |conn, _| requests::withdraw(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CircleRequestsQuery {
    /// open (default), placed, withdrawn or closed
    #[param(pattern = "^(open|placed|withdrawn|closed)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CircleRequestPage {
    pub items: Vec<CircleRequestView>,
    pub next_cursor: Option<String>,
}

/// Circle requests, oldest first (coordinators).
#[utoipa::path(get, path = "/api/v1/circle-requests", tag = "circles", params(CircleRequestsQuery),
    responses((status = 200, body = CircleRequestPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CircleRequestsQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let out = state
        .call(move |conn, _| requests::list(conn, &caller, q.state.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Forms `proposed` circles from every open circle request and every
/// facilitator with room (coordinators); `dry_run` reports only.
#[utoipa::path(post, path = "/api/v1/circle-runs", tag = "circles", request_body = CircleRunInput,
    responses((status = 201, body = CircleRunView), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn start_run(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<CircleRunInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, settings| formation::run(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// A circle run's report (coordinators).
#[utoipa::path(get, path = "/api/v1/circle-runs/{id}", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = CircleRunView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_run(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, _| formation::get_run(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}
