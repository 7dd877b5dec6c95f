//! Circles: list, read, manual circles, transitions, sessions, attendance
//! and check-ins.

use actix_web::{web, HttpResponse};
use kindred_service::circles::formation::{self, ManualCircleInput};
use kindred_service::circles::sessions::{
    self, AttendanceInput, CircleCheckInInput, CircleCheckInView, SessionView,
};
use kindred_service::circles::transitions::{self, JoinInput, ReasonInput, StartInput};
use kindred_service::circles::{views, CircleView};
use kindred_service::pagination::PageQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/circles")
            .route(web::get().to(list))
            .route(web::post().to(create_manual)),
    )
    .service(web::resource("/circles/{id}").route(web::get().to(get)))
    .service(web::resource("/circles/{id}/approve").route(web::post().to(approve)))
    .service(web::resource("/circles/{id}/reject").route(web::post().to(reject)))
    .service(web::resource("/circles/{id}/join").route(web::post().to(join)))
    .service(web::resource("/circles/{id}/leave").route(web::post().to(leave)))
    .service(web::resource("/circles/{id}/start").route(web::post().to(start)))
    .service(web::resource("/circles/{id}/end").route(web::post().to(end)))
    .service(web::resource("/circles/{id}/sessions").route(web::get().to(list_sessions)))
    .service(
        web::resource("/circles/{id}/sessions/{n}/attendance")
            .route(web::post().to(record_attendance)),
    )
    .service(
        web::resource("/circles/{id}/check-ins")
            .route(web::post().to(check_in))
            .route(web::get().to(list_check_ins)),
    );
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CirclesQuery {
    #[param(pattern = "^(proposed|approved|rejected|active|ended)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct CirclePage {
    pub items: Vec<CircleView>,
    pub next_cursor: Option<String>,
}

/// Coordinators see every circle; facilitators and members the circles
/// they lead or were invited to, once approved.
#[utoipa::path(get, path = "/api/v1/circles", tag = "circles", params(CirclesQuery),
    responses((status = 200, body = CirclePage)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CirclesQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let out = state
        .call(move |conn, _| views::list(conn, &caller, q.state.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A coordinator's own `proposed` circle, checked against the same hard
/// rules as a run's (`422` names each rule it breaks).
#[utoipa::path(post, path = "/api/v1/circles", tag = "circles", request_body = ManualCircleInput,
    responses((status = 201, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_manual(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ManualCircleInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, settings| formation::create_manual(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// One circle: coordinators; its facilitator and members once approved.
#[utoipa::path(get, path = "/api/v1/circles/{id}", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = CircleView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, _| views::get(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `proposed → approved` (coordinators): members are invited, the
/// facilitator told. `409` below `circles.min_size` or without room.
#[utoipa::path(post, path = "/api/v1/circles/{id}/approve", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn approve(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| transitions::approve(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `proposed → rejected` with a reason (coordinators); its requests reopen.
#[utoipa::path(post, path = "/api/v1/circles/{id}/reject", tag = "circles", params(("id" = String, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn reject(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<ReasonInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, _| transitions::reject(conn, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// An invited member joins, accepting the group agreement (`422` without it).
#[utoipa::path(post, path = "/api/v1/circles/{id}/join", tag = "circles", params(("id" = String, Path)),
    request_body = JoinInput,
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn join(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<JoinInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| transitions::join(conn, settings, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// A member leaves (no reason needed).
#[utoipa::path(post, path = "/api/v1/circles/{id}/leave", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn leave(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| transitions::leave(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `approved → active` (its facilitator), once at least `circles.min_size`
/// members joined, else `409`. Everyone gets the meeting details and a
/// recurring calendar event.
#[utoipa::path(post, path = "/api/v1/circles/{id}/start", tag = "circles", params(("id" = String, Path)),
    request_body = StartInput,
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn start(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<StartInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| transitions::start(conn, settings, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// `active → ended` with a reason (its facilitator or a coordinator).
#[utoipa::path(post, path = "/api/v1/circles/{id}/end", tag = "circles", params(("id" = String, Path)),
    request_body = ReasonInput,
    responses((status = 200, body = CircleView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn end(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<ReasonInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| transitions::end(conn, settings, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Past sessions and the next few (empty before the start).
#[utoipa::path(get, path = "/api/v1/circles/{id}/sessions", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = Vec<SessionView>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_sessions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let out = state
        .call(move |conn, settings| sessions::list(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Records who was at session `n` (its facilitator), once it has begun.
#[utoipa::path(post, path = "/api/v1/circles/{id}/sessions/{n}/attendance", tag = "circles",
    params(("id" = String, Path), ("n" = u32, Path, minimum = 1, maximum = 100000)),
    request_body = AttendanceInput,
    responses((status = 200, body = Vec<SessionView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn record_attendance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    body: JsonBody<AttendanceInput>,
) -> ApiResult<HttpResponse> {
    let (id, n) = path.into_inner();
    let n: i64 = n
        .parse()
        .ok()
        .filter(|n| (1..=100_000).contains(n))
        .ok_or_else(|| {
            kindred_service::error::ServiceError::field("n", "must be a session number from 1")
        })?;
    let out = state
        .call(move |conn, settings| {
            sessions::record_attendance(conn, settings, &caller, &id, n, &body.0)
        })
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A member's check-in: `needs_support` alerts the coordinators and the
/// facilitator at once; the note goes to coordinators only.
#[utoipa::path(post, path = "/api/v1/circles/{id}/check-ins", tag = "circles", params(("id" = String, Path)),
    request_body = CircleCheckInInput,
    responses((status = 201, body = CircleCheckInView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn check_in(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: JsonBody<CircleCheckInInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| sessions::check_in(conn, settings, &caller, &id, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Check-ins: coordinators see all; a member their own; the facilitator none.
#[utoipa::path(get, path = "/api/v1/circles/{id}/check-ins", tag = "circles", params(("id" = String, Path)),
    responses((status = 200, body = Vec<CircleCheckInView>), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_check_ins(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let out = state
        .call(move |conn, _| sessions::check_ins(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}
