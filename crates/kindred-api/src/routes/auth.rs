//! Registration, verification, login and logout, password reset.

use actix_web::{web, HttpRequest, HttpResponse};
use kindred_core::{
    LoginInput, PasswordResetConfirmInput, PasswordResetInput, RegisterInput, VerifyInput,
};
use kindred_service::accounts::{self, LoginResponse, VerifiedResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiResult;
use crate::extract::{JsonBody, PasswordChangeCaller};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/register").route(web::post().to(register)))
        .service(web::resource("/auth/verify").route(web::post().to(verify)))
        .service(web::resource("/auth/login").route(web::post().to(login)))
        .service(web::resource("/auth/logout").route(web::post().to(logout)))
        .service(web::resource("/auth/password-reset").route(web::post().to(password_reset)))
        .service(
            web::resource("/auth/password-reset/confirm")
                .route(web::post().to(password_reset_confirm)),
        );
}

#[derive(Serialize, ToSchema)]
pub struct RegisterAccepted {
    /// Always `verification_sent`, whether or not the email already has an account.
    #[schema(example = "verification_sent")]
    pub status: &'static str,
}

#[derive(Serialize, ToSchema)]
pub struct ResetAccepted {
    /// Always `reset_sent`, whether or not the email has an account.
    #[schema(example = "reset_sent")]
    pub status: &'static str,
}

/// Consumes one attempt of the caller's address and account for `route`.
async fn limit(state: &AppState, req: &HttpRequest, route: &str, email: &str) -> ApiResult<()> {
    let ip = state.client_ip(req);
    let email_key = kindred_core::Email::normalize(email);
    state.limit_route(route, &ip, Some(&email_key)).await
}

/// Starts a registration. The answer is the same for new and existing emails.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "accounts",
    request_body = RegisterInput,
    responses(
        (status = 202, body = RegisterAccepted, description = "A code (or an 'already registered' notice) was emailed"),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<RegisterInput>,
) -> ApiResult<HttpResponse> {
    limit(&state, &req, "register", &body.0.email).await?;
    let input = body.0;
    state
        .call_with_pool(move |pool, settings| accounts::register(pool, settings, &input))
        .await?;
    Ok(HttpResponse::Accepted().json(RegisterAccepted {
        status: "verification_sent",
    }))
}

/// Proves the email address with the emailed code and signs the person in.
#[utoipa::path(post, path = "/api/v1/auth/verify", tag = "accounts",
    request_body = VerifyInput,
    responses((status = 201, body = VerifiedResponse), (status = 400, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<VerifyInput>,
) -> ApiResult<HttpResponse> {
    limit(&state, &req, "verify", &body.0.email).await?;
    let input = body.0;
    let verified = state
        .call(move |conn, settings| accounts::verify(conn, settings, &input))
        .await?;
    Ok(HttpResponse::Created().json(verified))
}

/// Exchanges email and password for a bearer token. Every failure is the same `401`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts",
    request_body = LoginInput,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::Problem),
        (status = 429, body = crate::error::Problem)))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<LoginInput>,
) -> ApiResult<HttpResponse> {
    // Failures count per (account, address) and per account; a success
    // gives its cells back, so others' guesses cannot keep the owner out.
    let ip = state.client_ip(&req);
    let account = kindred_core::Email::normalize(&body.0.email);
    let attempt = state.login_attempt(&ip, &account).await?;
    let input = body.0;
    let session = state
        .call_with_pool(move |pool, settings| accounts::login(pool, settings, &input))
        .await?;
    state.login_succeeded(attempt).await;
    Ok(HttpResponse::Ok().json(session))
}

/// Revokes the token used for this request (also while a password change is required).
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn logout(
    state: web::Data<AppState>,
    caller: PasswordChangeCaller,
) -> ApiResult<HttpResponse> {
    state
        .call(move |conn, _| accounts::logout(conn, &caller))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Emails a one-time reset code to the address if it has an account. The
/// answer is the same for every address; nothing is sent to an unknown one.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "accounts",
    request_body = PasswordResetInput,
    responses(
        (status = 202, body = ResetAccepted, description = "A reset code was emailed if the address has an account"),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn password_reset(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<PasswordResetInput>,
) -> ApiResult<HttpResponse> {
    limit(&state, &req, "password_reset", &body.0.email).await?;
    let input = body.0;
    state
        .call(move |conn, settings| accounts::passwords::request_reset(conn, settings, &input))
        .await?;
    Ok(HttpResponse::Accepted().json(ResetAccepted {
        status: "reset_sent",
    }))
}

/// Sets a new password with the emailed reset code; every token of the account is revoked.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "accounts",
    request_body = PasswordResetConfirmInput,
    responses((status = 204, description = "Password changed; every session of the account revoked"),
        (status = 400, body = crate::error::Problem),
        (status = 422, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn password_reset_confirm(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<PasswordResetConfirmInput>,
) -> ApiResult<HttpResponse> {
    limit(&state, &req, "password_reset_confirm", &body.0.email).await?;
    let input = body.0;
    state
        .call_with_pool(move |pool, settings| {
            accounts::passwords::confirm_reset(pool, settings, &input)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
