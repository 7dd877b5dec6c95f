//! Forgotten password (emailed code, then a new password) and the
//! signed-in password change.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use kindred_api::ApiError;
use kindred_core::{ChangePasswordInput, PasswordResetConfirmInput, PasswordResetInput};
use kindred_service::accounts::passwords;
use serde::Deserialize;

use super::{anon_page, form_failure, limit, see_other, session_page, NoticeQuery};
use crate::context::Ctx;
use crate::error::{Failure, WebResult};
use crate::forms::{field, Field, FormState};

const FORGOT_FIELDS: &[Field] = &[field("email", "email", "field-email")];
/// The reset form's fields (also the invitation's: `pages::invitation`).
pub(crate) const RESET_FIELDS: &[Field] = &[
    field("email", "email", "field-email"),
    field("code", "code", "field-code"),
    field("new_password", "new_password", "field-new-password"),
];
const CHANGE_FIELDS: &[Field] = &[
    field(
        "current_password",
        "current_password",
        "field-current-password",
    ),
    field("new_password", "new_password", "field-new-password"),
];

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ForgotForm {
    csrf: String,
    email: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    pub(crate) csrf: String,
    pub(crate) email: String,
    pub(crate) code: String,
    pub(crate) new_password: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
pub struct ChangeForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

pub async fn forgot_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "forgot.html",
        StatusCode::OK,
        FormState::default(),
        None,
    )
    .await
}

/// Emails a reset code if the address has an account; the next page says
/// the same for every address.
pub async fn forgot(req: HttpRequest, form: web::Form<ForgotForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    limit(&ctx, "password_reset", &form.email).await?;
    let shown = FormState::with_values(&[("email", &form.email)]);
    let input = PasswordResetInput { email: form.email };
    let done = ctx
        .state
        .call(move |conn, settings| passwords::request_reset(conn, settings, &input))
        .await;
    match done {
        Ok(()) => Ok(see_other("/password/reset?notice=reset-sent")),
        Err(err) => {
            let form = form_failure(&ctx, err, FORGOT_FIELDS, shown)?;
            anon_page(
                &ctx,
                "forgot.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

pub async fn reset_page(
    req: HttpRequest,
    query: web::Query<NoticeQuery>,
) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    anon_page(
        &ctx,
        "reset.html",
        StatusCode::OK,
        FormState::default(),
        query.message(),
    )
    .await
}

/// Sets the new password with the emailed code; every session of the
/// account ends (the service revokes its tokens).
pub async fn reset(req: HttpRequest, form: web::Form<ResetForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let form = form.into_inner();
    ctx.check_anon(&form.csrf).await?;
    limit(&ctx, "password_reset_confirm", &form.email).await?;
    let mut shown = FormState::with_values(&[("email", &form.email)]);
    let input = PasswordResetConfirmInput {
        email: form.email,
        code: form.code,
        new_password: form.new_password,
    };
    let done = ctx
        .state
        .call_with_pool(move |pool, settings| passwords::confirm_reset(pool, settings, &input))
        .await;
    match done {
        Ok(()) => {
            let mut res = see_other("/login?notice=password-reset");
            res.headers_mut().append(
                header::SET_COOKIE,
                header::HeaderValue::from_str(&ctx.clear_session_cookie().to_string())
                    .map_err(|_| ctx.fail(Failure::Internal))?,
            );
            Ok(res)
        }
        Err(ApiError::BadRequest(_)) => {
            shown.add_message(ctx.lang, RESET_FIELDS[1], "err-code");
            anon_page(&ctx, "reset.html", StatusCode::BAD_REQUEST, shown, None).await
        }
        Err(err) => {
            let form = form_failure(&ctx, err, RESET_FIELDS, shown)?;
            anon_page(
                &ctx,
                "reset.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
            )
            .await
        }
    }
}

pub async fn change_page(req: HttpRequest) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(true).await?;
    let values = minijinja::context! { must_change => session.caller.user.must_change_password };
    Ok(session_page(
        &ctx,
        &session,
        "password.html",
        StatusCode::OK,
        FormState::default(),
        None,
        values,
    ))
}

/// Changes the password (the current one must match); the person's other
/// sessions end, this one stays. Rate-limited like the API's.
pub async fn change(req: HttpRequest, form: web::Form<ChangeForm>) -> WebResult<HttpResponse> {
    let ctx = Ctx::new(&req)?;
    let session = ctx.session(true).await?;
    ctx.check_session(&session, &form.csrf)?;
    ctx.state
        .limit_route(
            "password_change",
            &ctx.client_ip(),
            Some(session.caller.id()),
        )
        .await
        .map_err(|e| ctx.api_failure(e))?;
    let form = form.into_inner();
    let input = ChangePasswordInput {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    let caller = session.caller.clone();
    let done = ctx
        .state
        .call_with_pool(move |pool, _| passwords::change_password(pool, &caller, &input))
        .await;
    match done {
        Ok(()) => Ok(see_other("/home?notice=password-changed")),
        Err(err) => {
            let form = form_failure(&ctx, err, CHANGE_FIELDS, FormState::default())?;
            let values =
                minijinja::context! { must_change => session.caller.user.must_change_password };
            Ok(session_page(
                &ctx,
                &session,
                "password.html",
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                None,
                values,
            ))
        }
    }
}
