//! The caller's own account: read, add a role, choose the language, change
//! the password, export, erase.

use actix_web::{web, HttpRequest, HttpResponse};
use kindred_core::{AddRoleInput, ChangePasswordInput, LanguageInput};
use kindred_service::accounts::{self, data::Export, MeView};

use crate::error::ApiResult;
use crate::extract::{Caller, JsonBody, PasswordChangeCaller};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/me")
            .route(web::get().to(get_me))
            .route(web::delete().to(delete_me)),
    )
    .service(web::resource("/me/roles").route(web::post().to(add_role)))
    .service(web::resource("/me/language").route(web::put().to(set_language)))
    .service(web::resource("/me/password").route(web::put().to(change_password)))
    .service(web::resource("/me/export").route(web::get().to(export_me)));
}

/// The caller's account (also while a password change is required).
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts",
    responses((status = 200, body = MeView), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn get_me(caller: PasswordChangeCaller) -> ApiResult<HttpResponse> {
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

/// Sets the language of the caller's emails (`en` or `es`), which the web
/// app also uses once they sign in.
#[utoipa::path(put, path = "/api/v1/me/language", tag = "accounts",
    request_body = LanguageInput,
    responses((status = 200, body = MeView), (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn set_language(
    state: web::Data<AppState>,
    caller: Caller,
    body: JsonBody<LanguageInput>,
) -> ApiResult<HttpResponse> {
    let view = state
        .call(move |conn, _| accounts::set_language(conn, &caller, &body.0))
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Changes the caller's password; the caller's other tokens are revoked.
/// Rate-limited like login.
#[utoipa::path(put, path = "/api/v1/me/password", tag = "accounts",
    request_body = ChangePasswordInput,
    responses((status = 204, description = "Password changed; the caller's other sessions revoked"),
        (status = 401, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem, description = "Wrong current_password or a new_password that breaks the policy"),
        (status = 429, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn change_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    caller: PasswordChangeCaller,
    body: JsonBody<ChangePasswordInput>,
) -> ApiResult<HttpResponse> {
    let ip = state.client_ip(&req);
    state
        .limit_route("password_change", &ip, Some(caller.id()))
        .await?;
    let input = body.0;
    state
        .call_with_pool(move |pool, _| accounts::passwords::change_password(pool, &caller, &input))
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
