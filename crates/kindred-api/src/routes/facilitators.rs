//! Facilitators (coordinators): grant with training, revoke, list; and the
//! facilitator's own profile.

use actix_web::{web, HttpResponse};
use kindred_core::{ProfileInput, ProfileKind};
use kindred_service::circles::facilitators::{self, FacilitatorInput, FacilitatorView};
use kindred_service::pagination::PageQuery;
use kindred_service::profiles::ProfileView;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/facilitators")
            .route(web::post().to(grant))
            .route(web::get().to(list)),
    )
    .service(web::resource("/facilitators/{user_id}").route(web::delete().to(revoke)))
    .service(
        web::resource("/me/facilitator-profile")
            .route(web::get().to(get_profile))
            .route(web::put().to(put_profile)),
    );
}

/// Grants the `facilitator` role and records the training (coordinators).
#[utoipa::path(post, path = "/api/v1/facilitators", tag = "circles", request_body = FacilitatorInput,
    responses((status = 201, body = FacilitatorView), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn grant(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<FacilitatorInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| facilitators::grant(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Created().json(view))
}

/// Revokes the role (coordinators). Their approved or active circles are
/// flagged to coordinators; their proposed ones are rejected.
#[utoipa::path(delete, path = "/api/v1/facilitators/{user_id}", tag = "circles", params(("user_id" = String, Path)),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    state
        .call(move |conn, settings| facilitators::revoke(conn, settings, &caller, &id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    #[param(value_type = Option<u32>, minimum = 1, maximum = 200)]
    pub limit: Option<String>,
    #[param(pattern = "^[0-9A-Za-z_-]{0,100}$")]
    pub cursor: Option<String>,
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FacilitatorPage {
    pub items: Vec<FacilitatorView>,
    pub next_cursor: Option<String>,
}

/// Facilitators with their training and circle load (coordinators).
#[utoipa::path(get, path = "/api/v1/facilitators", tag = "circles", params(PageParams),
    responses((status = 200, body = FacilitatorPage), (status = 403, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PageParams>,
) -> ApiResult<HttpResponse> {
    let q = query.into_inner();
    let page = PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    };
    let out = state
        .call(move |conn, _| facilitators::list(conn, &caller, page))
        .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The caller's facilitator profile.
#[utoipa::path(get, path = "/api/v1/me/facilitator-profile", tag = "circles",
    responses((status = 200, body = ProfileView), (status = 404, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_profile(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| {
            kindred_service::profiles::read_own(conn, &caller, ProfileKind::Facilitator)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Creates (201) or replaces (200) the caller's facilitator profile: like a
/// mentor's, with `max_circles` (1..=5) instead of `capacity`. Facilitators only.
#[utoipa::path(put, path = "/api/v1/me/facilitator-profile", tag = "circles",
    request_body = ProfileInput,
    responses((status = 200, body = ProfileView), (status = 201, body = ProfileView),
        (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn put_profile(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<ProfileInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    let written = state
        .call(move |conn, _| {
            kindred_service::profiles::write_own(conn, &caller, ProfileKind::Facilitator, &input)
        })
        .await?;
    Ok(if written.created {
        HttpResponse::Created().json(written.view)
    } else {
        HttpResponse::Ok().json(written.view)
    })
}
