//! Mentorship requests: create, read, withdraw, the coordinator queue, suggestions.

use actix_web::{web, HttpResponse};
use kindred_service::pagination::PageQuery;
use kindred_service::requests::{self, CreatedRequest, RequestInput, RequestView, SuggestionView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;
use kindred_service::ratelimit::UserAction;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/requests")
            .route(web::post().to(create_request))
            .route(web::get().to(list_requests)),
    )
    .service(
        web::resource("/requests/{id}")
            .route(web::get().to(get_request))
            .route(web::delete().to(withdraw_request)),
    )
    .service(web::resource("/requests/{id}/suggestions").route(web::get().to(suggestions)));
}

/// A mentee asks for a mentor. `409` if they already have a request in progress.
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", request_body = RequestInput,
    responses((status = 201, body = CreatedRequest), (status = 403, body = crate::error::Problem),
        (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn create_request(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<RequestInput>,
) -> ApiResult<HttpResponse> {
    state.limit_user(UserAction::Request, caller.id()).await?;
    let created = state
        .call(move |conn, _| requests::create(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// A request: its mentee and coordinators.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_request(
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

/// Withdraws an open request (its mentee). A pending proposal is withdrawn
/// with it; a match already sent to the mentor or active is `409`.
#[utoipa::path(delete, path = "/api/v1/requests/{id}", tag = "requests", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_request(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    state
        .call(move |conn, settings| requests::withdraw(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// open (default), matched, withdrawn or closed
    #[param(pattern = "^(open|matched|withdrawn|closed)$")]
    pub state: Option<String>,
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RequestPage {
    pub items: Vec<RequestView>,
    pub next_cursor: Option<String>,
}

/// The coordinators' queue: oldest first, with waiting time.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", params(RequestsQuery),
    responses((status = 200, body = RequestPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list_requests(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<RequestsQuery>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let found = state
        .call(move |conn, _| requests::list(conn, &caller, q.state.as_deref(), page))
        .await?;
    Ok(HttpResponse::Ok().json(found))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestionsQuery {
    /// How many mentors (1–50, default 5).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50)]
    pub limit: Option<String>,
}

/// The best mentors for one request, each with the explanation of its score.
#[utoipa::path(get, path = "/api/v1/requests/{id}/suggestions", tag = "requests",
    params(("id" = String, Path), SuggestionsQuery),
    responses((status = 200, body = Vec<SuggestionView>), (status = 403, body = crate::error::Problem),
        (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn suggestions(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<SuggestionsQuery>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let limit = query.into_inner().limit;
    let found = state
        .call(move |conn, settings| {
            requests::suggestions(conn, settings, &caller, &id, limit.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(found))
}
