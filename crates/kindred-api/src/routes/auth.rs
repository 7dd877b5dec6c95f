//! Registration, verification, login and logout.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use kindred_core::{LoginInput, RegisterInput, VerifyInput};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, JsonBody};
use crate::routes::me::{me_view, MeView};
use crate::security;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/auth/register").route(web::post().to(register)))
        .service(web::resource("/auth/verify").route(web::post().to(verify)))
        .service(web::resource("/auth/login").route(web::post().to(login)))
        .service(web::resource("/auth/logout").route(web::post().to(logout)));
}

#[derive(Serialize, ToSchema)]
pub struct RegisterAccepted {
    /// Always `verification_sent`, whether or not the email already has an account.
    #[schema(example = "verification_sent")]
    pub status: &'static str,
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
    let ip = state.client_ip(&req);
    let email_key = kindred_core::Email::normalize(&body.0.email);
    state.limits.check("register", &ip, Some(&email_key))?;
    let input = body.0.validate_all()?;
    let settings = state.settings.clone();
    // Hash first, in every case, so new and existing emails take the same time.
    let password = input.password.expose().to_string();
    let hash = web::block(move || security::hash_password(&password))
        .await?
        .map_err(ApiError::Internal)?;
    state
        .db(move |conn| {
            kindred_db::write_tx(conn, |conn| -> ApiResult<()> {
                let email = input.email.as_str();
                match kindred_db::users::find_by_email(conn, email)? {
                    Some(existing) if existing.verified_at.is_some() => {
                        crate::emails::already_registered(conn, &settings, &existing)?;
                    }
                    _ => {
                        let code = security::new_verification_code();
                        let user = kindred_db::users::register_unverified(
                            conn,
                            &kindred_db::users::PendingRegistration {
                                email,
                                password_hash: &hash,
                                display_name: input.display_name.as_str(),
                                pronouns: input.pronouns.as_ref().map(|p| p.as_str()),
                                role: input.role.as_str(),
                            },
                            |user_id| security::code_hash(user_id, &code),
                            kindred_db::now() + settings.auth.verification_ttl.as_chrono(),
                        )?;
                        crate::emails::verification_code(
                            conn,
                            &settings,
                            &user,
                            input.display_name.as_str(),
                            &code,
                        )?;
                    }
                }
                Ok(())
            })
        })
        .await?;
    state.mail_queued();
    Ok(HttpResponse::Accepted().json(RegisterAccepted {
        status: "verification_sent",
    }))
}

#[derive(Serialize, ToSchema)]
pub struct VerifiedResponse {
    pub user: MeView,
    /// Bearer token for `Authorization: Bearer …`.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

const BAD_CODE: &str = "the code is wrong, expired or already used";

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
    let ip = state.client_ip(&req);
    let email_key = kindred_core::Email::normalize(&body.0.email);
    state.limits.check("verify", &ip, Some(&email_key))?;
    let input = body.0.validate_all()?;
    let settings = state.settings.clone();
    let (view, token, expires_at) = state
        .db(move |conn| {
            // Wrong codes are answered with Ok(Err(..)) so the attempt count commits.
            let outcome =
                kindred_db::write_tx(conn, |conn| -> Result<ApiResult<_>, kindred_db::DbError> {
                    let Some(user) = kindred_db::users::find_by_email(conn, input.email.as_str())?
                    else {
                        return Ok(Err(ApiError::BadRequest(BAD_CODE.into())));
                    };
                    let max =
                        i32::try_from(settings.auth.verification_max_attempts).unwrap_or(i32::MAX);
                    let live: Vec<_> =
                        kindred_db::users::live_codes(conn, &user.id, kindred_db::now())?
                            .into_iter()
                            .filter(|c| c.attempts < max)
                            .collect();
                    let given = security::code_hash(&user.id, &input.code);
                    let Some(code) = live
                        .iter()
                        .find(|c| security::digests_equal(&given, &c.code_hash))
                    else {
                        if !live.is_empty() {
                            kindred_db::users::record_failed_guess(conn, &user.id)?;
                        }
                        return Ok(Err(ApiError::BadRequest(BAD_CODE.into())));
                    };
                    if !kindred_db::users::complete_verification(conn, code)? {
                        return Ok(Err(ApiError::BadRequest(BAD_CODE.into())));
                    }
                    let (token, hash) = security::new_token();
                    let expires_at = kindred_db::now() + settings.auth.token_ttl.as_chrono();
                    kindred_db::users::insert_token(conn, &user.id, &hash, expires_at)?;
                    let user = kindred_db::users::find(conn, &user.id)?.ok_or(diesel_not_found())?;
                    let roles = kindred_db::users::roles(conn, &user.id)?;
                    Ok(Ok((me_view(&user, roles), token, expires_at.and_utc())))
                })?;
            outcome
        })
        .await?;
    Ok(HttpResponse::Created().json(VerifiedResponse {
        user: view,
        token,
        expires_at,
    }))
}

fn diesel_not_found() -> kindred_db::DbError {
    kindred_db::DbError::Corrupt("user vanished during verification".into())
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
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
    let ip = state.client_ip(&req);
    let email_key = kindred_core::Email::normalize(&body.0.email);
    state.limits.check("login", &ip, Some(&email_key))?;
    // A login body that breaks the password policy can never match, but is
    // answered like any other failure so the policy check leaks nothing.
    let password = body.0.password.clone();
    let user = state
        .db(move |conn| Ok(kindred_db::users::find_by_email(conn, &email_key)?))
        .await?;
    let stored = user
        .as_ref()
        .filter(|u| u.verified_at.is_some())
        .and_then(|u| u.password_hash.clone());
    let ok = web::block(move || security::verify_password(&password, stored.as_deref())).await?;
    let user = match (ok, user) {
        (true, Some(user)) => user,
        _ => return Err(ApiError::LoginFailed),
    };
    let ttl = state.settings.auth.token_ttl;
    let (token, expires_at) = state
        .db(move |conn| {
            let (token, hash) = security::new_token();
            let expires_at = kindred_db::now() + ttl.as_chrono();
            kindred_db::users::insert_token(conn, &user.id, &hash, expires_at)?;
            Ok((token, expires_at.and_utc()))
        })
        .await?;
    Ok(HttpResponse::Ok().json(LoginResponse { token, expires_at }))
}

/// Revokes the token used for this request.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts",
    responses((status = 204), (status = 401, body = crate::error::Problem)),
    security(("bearer" = [])))]
pub async fn logout(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let token_id = caller.token_id.clone();
    state
        .db(move |conn| Ok(kindred_db::users::revoke_token(conn, &token_id)?))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
