//! Matches: list, read, the audit log, and manual pairing.

use actix_web::{web, HttpResponse};
use kindred_service::matches::actions::{self, ManualMatchInput};
use kindred_service::matches::views::{self, EventView, MatchView};
use kindred_service::pagination::PageQuery;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/matches")
            .route(web::get().to(list_matches))
            .route(web::post().to(create_manual)),
    )
    .service(web::resource("/matches/{id}").route(web::get().to(get_match)))
    .service(web::resource("/matches/{id}/events").route(web::get().to(match_events)));
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchesQuery {
    #[param(pattern = "^(proposed|awaiting_mentor|active|rejected|declined|expired|ended)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct MatchPage {
    pub items: Vec<MatchView>,
    pub next_cursor: Option<String>,
}

/// Coordinators see every match; mentors and mentees their own.
#[utoipa::path(get, path = "/api/v1/matches", tag = "matching", params(MatchesQuery),
    responses((status = 200, body = MatchPage), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_matches(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<MatchesQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let found = state
        .call(move |conn, settings| views::list(conn, settings, &caller, q.state.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

/// One match: participants and coordinators; anyone else 404.
#[utoipa::path(get, path = "/api/v1/matches/{id}", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = MatchView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_match(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let view = state
        .call(move |conn, settings| views::get(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// The audit log of one match: who moved it, when and why (coordinators).
#[utoipa::path(get, path = "/api/v1/matches/{id}/events", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = Vec<EventView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn match_events(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let events = state
        .call(move |conn, _| views::events(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(events))
}

/// A coordinator pairs a request with a mentor by hand (`proposed`, or
/// `awaiting_mentor` with auto-approve). Hard rules still apply.
#[utoipa::path(post, path = "/api/v1/matches", tag = "matching", request_body = ManualMatchInput,
    responses((status = 201, body = MatchView), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_manual(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ManualMatchInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, settings| actions::create_manual(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}
