//! The caller's own account: read, add a role, export, erase.

use actix_web::{web, HttpResponse};
use kindred_core::AddRoleInput;
use kindred_service::accounts::{self, data::Export, MeView};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody};
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

/// The caller's account.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeView), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_me(caller: Caller) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(accounts::me(&caller)))
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
    let view = state
        .call(move |conn, _| accounts::add_role(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Everything stored about the caller, as JSON.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "accounts",
    responses((status = 200, body = Export), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn export_me(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let export = state
        .call(move |conn, settings| accounts::data::export(conn, settings, &caller))
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
    state
        .call(move |conn, settings| accounts::data::erase(conn, settings, &caller))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
