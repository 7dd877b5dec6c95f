//! Matching runs (coordinators).

use actix_web::{web, HttpResponse};
use kindred_service::matches::runs::{self, RunInput, RunView};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/matching-runs").route(web::post().to(start_run)))
        .service(web::resource("/matching-runs/{id}").route(web::get().to(get_run)));
}

/// Runs the matcher over every open request and every accepting mentor with
/// free capacity, on a consistent snapshot. Runs never overlap: a second one
/// waits for the first and then sees its proposals.
#[utoipa::path(post, path = "/api/v1/matching-runs", tag = "matching", request_body = RunInput,
    responses((status = 201, body = RunView), (status = 403, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn start_run(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<RunInput>,
) -> ApiResult<HttpResponse> {
    let run = state
        .call(move |conn, settings| runs::start(conn, settings, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(run))
}

/// A matching run and its report (coordinators).
#[utoipa::path(get, path = "/api/v1/matching-runs/{id}", tag = "matching", params(("id" = String, Path)),
    responses((status = 200, body = RunView), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_run(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let run = state
        .call(move |conn, _| runs::get(conn, &caller, &id))
        .await?;
    Ok(HttpResponse::Ok().json(run))
}
