//! Sign up, confirm the address, log in and out, the signed-in home.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::{LoginInput, RegisterInput, VerifyInput};
use kindred_service::accounts;
use serde::Deserialize;

use super::{anon_page, form_failure, limit, see_other, session_page, NoticeQuery};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};

const SIGNUP_FIELDS: &[Field] = &[
    field("email", "email", "field-email"),
    field("password", "password", "field-password"),
    field("display_name", "display_name", "field-display-name"),
    field("pronouns", "pronouns", "field-pronouns"),
    field("role", "role-mentee", "field-role"),
];
const VERIFY_FIELDS: &[Field] = &[
    field("email", "email", "field-email"),
    field("code", "code", "field-code"),
];
const LOGIN_FIELDS: &[Field] = &[
    field("email", "email", "field-email"),
    field("password", "password", "field-password"),
];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct SignupForm {
    csrf: String,
    email: String,
    password: String,
    display_name: String,
    pronouns: String,
    role: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct VerifyForm {
    csrf: String,
    email: String,
    code: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn signup_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "signup.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// Starts a registration; the answer is "check your email" for new and
/// known addresses alike (the service sends the right email).
pub async fn signup(req: HttpRequest, form: web::Form<SignupForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    limit(&ctx, "register", &form.email).await?;
    let shown = FormState::with_values(&[
        ("email", &form.email),
        ("display_name", &form.display_name),
        ("pronouns", &form.pronouns),
        ("role", &form.role),
    ]);
    let input = RegisterInput {
        email: form.email,
        password: form.password,
        display_name: form.display_name,
        role: form.role,
        pronouns: Some(form.pronouns).filter(|p| !p.trim().is_empty()),
        // The page's language becomes the account's (its emails'), starting
        // with the verification code.
        language: Some(ctx.lang.tag().to_string()),
    };
    let done = ctx
        .state
        .call_with_pool(move |pool, settings| accounts::register(pool, settings, &input))
        .await;
    match done {
        Ok(()) => Ok(see_other("/signup/sent")),
        Err(err) => {
            let form = form_failure(&ctx, err, SIGNUP_FIELDS, shown)?;
            anon_page(
                &ctx,
                "signup.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

pub async fn signup_sent(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "signup_sent.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

pub async fn verify_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "verify.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// Confirms the address with the emailed code and signs the person in.
pub async fn verify(req: HttpRequest, form: web::Form<VerifyForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    limit(&ctx, "verify", &form.email).await?;
    let mut shown = FormState::with_values(&[("email", &form.email)]);
    let input = VerifyInput {
        email: form.email,
        code: form.code,
    };
    let verified = ctx
        .state
        .call(move |conn, settings| accounts::verify(conn, settings, &input))
        .await;
    match verified {
        Ok(verified) => {
            let location = if verified.password_set {
                "/home?notice=verified"
            } else {
                "/home?notice=choose-password"
            };
            let mut res = see_other(location);
            ctx.end_previous_session().await;
            res.add_cookie(&ctx.session_cookie(&verified.token))
                .map_err(|_| ctx.fail(Failure::Internal))?;
            Ok(res)
        }
        Err(ApiError::BadRequest(_)) => {
            shown.add_message(ctx.lang, VERIFY_FIELDS[1], "err-code");
            anon_page(&ctx, "verify.html", StatusCode::BAD_REQUEST, shown, None).await
        }
        Err(err) => {
            let form = form_failure(&ctx, err, VERIFY_FIELDS, shown)?;
            anon_page(
                &ctx,
                "verify.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

pub async fn login_page(
    req: HttpRequest,
    query: web::Query<NoticeQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = FormState::default();
    anon_page(&ctx, "login.html", StatusCode::OK, form, query.message()).await
}

/// The preferred language of the account behind a fresh session token.
async fn stored_language(ctx: &Ctx, token: &str) -> Option<crate::i18n::Lang> {
    let token = token.to_string();
    let caller = ctx
        .state
        .call(move |conn, _| {
            kindred_service::Caller::authenticate_allowing_password_change(conn, &token)
        })
        .await
        .ok()?;
    crate::i18n::Lang::parse(&caller.user.preferred_language)
}

/// Exchanges email and password for a session cookie. Every failure is
/// the same message, as in the API.
pub async fn login(req: HttpRequest, form: web::Form<LoginForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    let account = kindred_core::Email::normalize(&form.email);
    let attempt = ctx
        .state
        .login_attempt(&ctx.client_ip(), &account)
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let mut shown = FormState::with_values(&[("email", &form.email)]);
    let input = LoginInput {
        email: form.email,
        password: form.password,
    };
    let session = ctx
        .state
        .call_with_pool(move |pool, settings| accounts::login(pool, settings, &input))
        .await;
    match session {
        Ok(session) => {
            ctx.state.login_succeeded(attempt).await;
            let location = if session.must_change_password {
                "/account/password"
            } else {
                "/home"
            };
            let mut res = see_other(location);
            ctx.end_previous_session().await;
            res.add_cookie(&ctx.session_cookie(&session.token))
                .map_err(|_| ctx.fail(Failure::Internal))?;
            // A browser with no language chosen yet gets the person's own
            // (the one their emails use), not its Accept-Language.
            if req.cookie(crate::i18n::LANG_COOKIE).is_none() {
                if let Some(lang) = stored_language(&ctx, &session.token).await {
                    res.add_cookie(&super::lang_cookie(&ctx, lang))
                        .map_err(|_| ctx.fail(Failure::Internal))?;
                }
            }
            Ok(res)
        }
        Err(ApiError::LoginFailed) => {
            shown.add_message(ctx.lang, LOGIN_FIELDS[0], "login-failed");
            anon_page(&ctx, "login.html", StatusCode::UNAUTHORIZED, shown, None).await
        }
        Err(err) => {
            let form = form_failure(&ctx, err, LOGIN_FIELDS, shown)?;
            anon_page(
                &ctx,
                "login.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

/// Ends this session (its token is revoked) and drops the cookie.
pub async fn logout(req: HttpRequest, form: web::Form<CsrfForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(true).await?;
    ctx.check_session(&session, &form.csrf)?;
    let caller = session.caller;
    ctx.state
        .call(move |conn, _| accounts::logout(conn, &caller))
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let mut res = see_other("/login?notice=logged-out");
    res.headers_mut().append(
        header::SET_COOKIE,
        header::HeaderValue::from_str(&ctx.clear_session_cookie().to_string())
            .map_err(|_| ctx.fail(Failure::Internal))?,
    );
    Ok(res)
}

/// The signed-in home: who you are and what comes next.
pub async fn home(req: HttpRequest, query: web::Query<NoticeQuery>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(false).await?;
    // Who you are, and your request and matches in words (the matches area).
    let values = super::matches::home::values(&ctx, &session).await?;
    Ok(session_page(
        &ctx,
        &session,
        "home.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
        values,
    ))
}
